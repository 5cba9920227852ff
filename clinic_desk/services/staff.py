"""Front-desk actions. Each function runs inside the one transaction its caller opened."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from clinic_desk.db.models import Counter, Patient, PortalAccount
from clinic_desk.domain import codes
from clinic_desk.domain.access import is_blank, status_allows_portal, why_access_cannot_turn_on
from clinic_desk.domain.errors import ConflictError, NotAllowed, ValidationError
from clinic_desk.domain.links import EndReason
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.search_keys import email_key, name_key, phone_key
from clinic_desk.domain.switch_off import clean_off_reason, note_needed_for_status, note_needed_to_turn_on
from clinic_desk.domain.text_rules import PATIENT_ACTOR, clean_actor
from clinic_desk.domain.unset import UNSET, Unset
from clinic_desk.domain.validation import (
    clean_date_of_birth,
    clean_email,
    clean_name,
    clean_optional_text,
    clean_patient_status,
    clean_phone,
    clean_sex,
    clean_state,
    clean_zip,
)
from clinic_desk.services import audit
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.hashing import hash_password
from clinic_desk.services.link_life import ALL_LINKS, CONFIRMATION_LINKS, end_links
from clinic_desk.services.permissions import authorize
from clinic_desk.services.records import (
    access_audit_fields,
    contact_audit_fields,
    get_account,
    get_patient,
)


def clean_note(note: str | None) -> str | None:
    """The optional note staff add to an action, for the audit log."""
    return clean_optional_text(note, "Note", 500)


def set_login(account: PortalAccount, username: str, password: str) -> None:
    """Store a (checked) username and the hash of a (checked) password."""
    account.username = username
    account.username_key = username.lower()
    account.password_hash = hash_password(password)


def next_mrn(session: Session) -> str:
    """Take the next medical record number (the counter row is locked until commit).

    Numbers an imported chart already carries are skipped: an import keeps the other
    system's MRNs, which may look like ours.
    """
    while True:
        session.execute(update(Counter).where(Counter.name == "mrn").values(value=Counter.value + 1))
        value = str(session.scalar(select(Counter.value).where(Counter.name == "mrn")))
        if session.scalar(select(Patient.id).where(Patient.mrn == value)) is None:
            return value


def starting_access(
    status: str, email: str | None, zip_code: str | None, *, online: bool = False
) -> tuple[bool, str | None]:
    """A new chart's portal switch and why it is off: on only when the portal has what it
    needs (online registrations wait for the confirmation click)."""
    blocker = why_access_cannot_turn_on(status, email, zip_code)
    can_use_portal = not online and blocker is None
    if can_use_portal:
        return True, None
    return False, codes.OFF_UNCONFIRMED if online else codes.OFF_NOT_ENABLED


def set_search_keys(patient: Patient) -> None:
    """Refresh the folded copies the search uses."""
    patient.first_key = name_key(patient.first_name)
    patient.last_key = name_key(patient.last_name)
    patient.email_key = email_key(patient.email)
    patient.phone_digits = phone_key(patient.phone)


def add_patient(
    session: Session,
    ctx: ServiceContext,
    *,
    first_name: str,
    last_name: str,
    date_of_birth: date | str,
    actor: str,
    email: str | None = None,
    zip_code: str | None = None,
    preferred_name: str | None = None,
    sex: str | None = None,
    phone: str | None = None,
    address_line1: str | None = None,
    address_line2: str | None = None,
    city: str | None = None,
    state: str | None = None,
    status: str = codes.ACTIVE,
    created_via: str = codes.CREATED_BY_STAFF,
    by_portal: bool = False,
) -> int:
    """Create a chart. Portal access starts on only when email and ZIP code are both there.

    Everything is checked before the first query, so a refused chart never waits for (or
    holds) the database's write lock. ``by_portal`` is the online registration's own path:
    the audit log then names the patient portal as the actor.
    """
    actor = PATIENT_ACTOR if by_portal else clean_actor(actor)
    now = ctx.now()
    if created_via not in codes.CHART_ORIGINS:
        raise ValidationError("Chart origin: not one the clinic knows.", field="created_via")
    # Every typed value is checked before the first statement takes the write lock (SQLite's
    # BEGIN IMMEDIATE): bad input never keeps another workstation waiting.
    patient = Patient(
        first_name=clean_name(first_name, "First name"),
        last_name=clean_name(last_name, "Last name"),
        preferred_name=clean_optional_text(preferred_name, "Preferred name", 100),
        date_of_birth=clean_date_of_birth(date_of_birth, now.date()),
        sex=clean_sex(sex),
        email=clean_email(email, ctx.settings.placeholder_domain),
        phone=clean_phone(phone),
        address_line1=clean_optional_text(address_line1, "Address"),
        address_line2=clean_optional_text(address_line2, "Address line 2"),
        city=clean_optional_text(city, "City", 100),
        state=clean_state(state),
        zip_code=clean_zip(zip_code),
        status=clean_patient_status(status),
        created_via=created_via,
        created_at=now,
        updated_at=now,
    )
    set_search_keys(patient)
    if not by_portal:
        # An inactive or deceased chart is a status decision (managers); any desk adds the others.
        closed = patient.status in (codes.INACTIVE, codes.DECEASED)
        needed = Permission.SET_PATIENT_STATUS if closed else Permission.CHART_WORK
        actor = authorize(session, actor, needed)
    patient.mrn = next_mrn(session)
    online = created_via == codes.CREATED_BY_ONLINE_REGISTRATION
    can_use_portal, off_reason = starting_access(
        patient.status, patient.email, patient.zip_code, online=online
    )
    patient.account = PortalAccount(
        access_enabled=can_use_portal,
        access_off_reason=off_reason,
        access_changed_by=actor if can_use_portal else None,
        access_changed_at=now if can_use_portal else None,
        must_change_password=False,
        login_count=0,
        failed_logins=0,
    )
    session.add(patient)
    session.flush()
    audit.record(
        session,
        at=now,
        actor=actor,
        action="add_patient",
        patient_id=patient.id,
        after={
            "mrn": patient.mrn,
            "status": patient.status,
            "created_via": created_via,
            "access_enabled": can_use_portal,
            **contact_audit_fields(patient),
        },
    )
    return patient.id


def update_contact(
    session: Session,
    ctx: ServiceContext,
    patient_id: int,
    *,
    actor: str,
    email: str | Unset | None = UNSET,
    zip_code: str | Unset | None = UNSET,
    phone: str | Unset | None = UNSET,
    address_line1: str | Unset | None = UNSET,
    address_line2: str | Unset | None = UNSET,
    city: str | Unset | None = UNSET,
    state: str | Unset | None = UNSET,
    preferred_name: str | Unset | None = UNSET,
    expected_version: int | None = None,
    note: str | None = None,
) -> int:
    """Change contact details; returns the chart's new version.

    Adding a missing email or ZIP code does not turn portal access on: that stays a
    deliberate step. ``expected_version`` refuses the save when someone else changed
    the chart since this form was loaded.
    """
    actor = clean_actor(actor)
    note = clean_note(note)
    now = ctx.now()
    # Every value is checked before the first query, so a refused save holds no lock.
    changes: dict[str, Any] = {}
    if email is not UNSET:
        changes["email"] = clean_email(email, ctx.settings.placeholder_domain)
    if zip_code is not UNSET:
        changes["zip_code"] = clean_zip(zip_code)
    if phone is not UNSET:
        changes["phone"] = clean_phone(phone)
    if address_line1 is not UNSET:
        changes["address_line1"] = clean_optional_text(address_line1, "Address")
    if address_line2 is not UNSET:
        changes["address_line2"] = clean_optional_text(address_line2, "Address line 2")
    if city is not UNSET:
        changes["city"] = clean_optional_text(city, "City", 100)
    if state is not UNSET:
        changes["state"] = clean_state(state)
    if preferred_name is not UNSET:
        changes["preferred_name"] = clean_optional_text(preferred_name, "Preferred name", 100)
    actor = authorize(session, actor, Permission.CHART_WORK)
    patient = get_patient(session, patient_id)
    if expected_version is not None and patient.version != expected_version:
        raise ConflictError(
            f"{patient.full_name}'s chart was changed by someone else "
            "while you were editing. Your changes were not saved; the form now shows theirs.",
            field="version",
        )
    account = get_account(session, patient_id)
    change_chart(session, patient, account, changes, actor=actor, now=now, note=note)
    return patient.version


def change_chart(
    session: Session,
    patient: Patient,
    account: PortalAccount,
    changes: dict[str, Any],
    *,
    actor: str,
    now: datetime,
    note: str | None = None,
    action: str = "update_contact",
) -> list[str]:
    """Write checked values onto a chart (staff edits and imports share this rule); the
    fields that changed.

    The portal keeps what it needs while access is on; an email change kills every link
    and queued email to another address (DESIGN.md section 1); one audit entry.
    """
    if account.access_enabled:
        for name, needed, instead in (
            ("email", "an email address", "a placeholder email"),
            ("zip_code", "a ZIP code", "a ZIP code"),
        ):
            if name in changes and changes[name] is None:
                raise ValidationError(
                    f"The portal needs {needed} while portal access is on. Turn portal access "
                    f"off first, or enter {instead}.",
                    field=name,
                )
    changes = {name: value for name, value in changes.items() if getattr(patient, name) != value}
    if not changes:
        return []
    before = {name: getattr(patient, name) for name in changes}
    for name, value in changes.items():
        setattr(patient, name, value)
    set_search_keys(patient)
    patient.updated_at = now
    session.flush()
    if "email" in changes:  # links and queued emails to any other address die
        end_links(
            session, patient.id, ALL_LINKS, EndReason.EMAIL_CHANGED, now, unless_sent_to=patient.email or ""
        )
    audit.record(
        session,
        at=now,
        actor=actor,
        action=action,
        patient_id=patient.id,
        before=before,
        after=changes,
        note=note,
    )
    return list(changes)


def set_portal_access(
    session: Session,
    ctx: ServiceContext,
    patient_id: int,
    *,
    enabled: bool,
    actor: str,
    reason: str | None = None,
    note: str | None = None,
) -> None:
    """Flip the 'patient can access portal' switch, with the checks a clinic expects.

    Turning it off needs a ``reason`` (one of ``codes.STAFF_OFF_REASONS``; "other" needs a
    note); turning it on ignores ``reason``, and needs a note to undo a colleague's switch-off
    (``domain.switch_off`` decides).
    """
    actor = clean_actor(actor)
    note = clean_note(note)
    off_reason = None if enabled else clean_off_reason(reason, note)
    now = ctx.now()
    actor = authorize(session, actor, Permission.CHART_WORK if enabled else Permission.ACCESS_OFF)
    patient = get_patient(session, patient_id)
    account = get_account(session, patient_id)
    if enabled and not account.access_enabled and account.staff_off_reason in codes.PROTECTED_OFF_REASONS:
        authorize(session, actor, Permission.UNDO_PROTECTED_SWITCH_OFF)
    if enabled and not account.access_enabled and not note:
        why_note = note_needed_to_turn_on(
            access_off_reason=account.access_off_reason,
            staff_off_reason=account.staff_off_reason,
            switched_off_by=account.access_changed_by,
            actor=actor,
        )
        if why_note:
            raise ValidationError(why_note, field="note")
    before = access_audit_fields(account)
    name = patient.full_name
    if enabled:
        blocker = why_access_cannot_turn_on(patient.status, patient.email, patient.zip_code)
        if blocker == codes.PATIENT_DECEASED:
            raise NotAllowed(f"{name} is marked deceased. Portal access cannot be turned on.")
        if blocker == codes.PATIENT_INACTIVE:
            raise NotAllowed(
                f"{name} is inactive. Make the patient active again before turning portal access on."
            )
        if blocker is not None:
            missing = [
                label
                for label, value in (("email", patient.email), ("ZIP code", patient.zip_code))
                if is_blank(value)
            ]
            raise NotAllowed(
                f"Add {name}'s {' and '.join(missing)} before turning portal access on "
                "(use a placeholder email if the patient has none).",
                field="email" if is_blank(patient.email) else "zip_code",
            )
        if account.access_enabled:
            return
        if account.access_off_reason == codes.OFF_UNCONFIRMED:
            account.confirmed_at = now  # staff confirmed the email with the patient
            end_links(session, patient_id, CONFIRMATION_LINKS, EndReason.CONFIRMED_BY_STAFF, now)
        account.access_enabled = True
        account.access_off_reason = None
        account.staff_off_reason = None
    else:
        if not account.access_enabled and account.access_off_reason == codes.OFF_BY_STAFF:
            return
        account.access_enabled = False
        account.access_off_reason = codes.OFF_BY_STAFF
        end_links(session, patient_id, ALL_LINKS, EndReason.ACCESS_TURNED_OFF, now)
        account.staff_off_reason = off_reason
    account.access_changed_by = actor
    account.access_changed_at = now
    account.access_note = note
    audit.record_access_change(
        session,
        account,
        before,
        at=now,
        actor=actor,
        action="portal_access_on" if enabled else "portal_access_off",
        note=note,
    )


def set_patient_status(
    session: Session,
    ctx: ServiceContext,
    patient_id: int,
    status: str,
    *,
    actor: str,
    note: str | None = None,
) -> None:
    """Change the patient's status. Inactive or deceased turns portal access off."""
    actor = clean_actor(actor)
    status = clean_patient_status(status)
    note = clean_note(note)
    now = ctx.now()
    actor = authorize(session, actor, Permission.SET_PATIENT_STATUS)
    patient = get_patient(session, patient_id)
    account = get_account(session, patient_id)
    change_status(session, patient, account, status, actor=actor, now=now, note=note)


def change_status(
    session: Session,
    patient: Patient,
    account: PortalAccount,
    status: str,
    *,
    actor: str,
    now: datetime,
    note: str | None,
    action: str = "set_patient_status",
) -> bool:
    """Set a checked status (staff and imports share this rule); False when it was already so.

    Inactive or deceased turns portal access off and ends every link.
    """
    if patient.status == status:
        return False
    why_note = note_needed_for_status(patient.status, status)
    if why_note and not note:
        raise ValidationError(why_note, field="note")
    before = {"status": patient.status, **access_audit_fields(account)}
    patient.status = status
    patient.updated_at = now
    if not status_allows_portal(status) and account.access_enabled:
        account.access_enabled = False
        account.access_off_reason = codes.OFF_NOT_ENABLED
        account.access_changed_by = actor
        account.access_changed_at = now
        account.access_note = f"Turned off because the patient was marked {status}."
    if status in _ENDS_LINKS:
        end_links(session, patient.id, ALL_LINKS, _ENDS_LINKS[status], now)
    session.flush()
    audit.record(
        session,
        at=now,
        actor=actor,
        action=action,
        patient_id=patient.id,
        before=before,
        after={"status": status, **access_audit_fields(account)},
        note=note,
    )
    return True


# Statuses that end every link and queued email, and the reason they keep.
_ENDS_LINKS = {codes.INACTIVE: EndReason.PATIENT_INACTIVE, codes.DECEASED: EndReason.PATIENT_DECEASED}


def ensure_username_free(session: Session, username: str, patient_id: int | None) -> None:
    """Raise ConflictError when another chart already uses this username (any case)."""
    owner = session.scalar(
        select(PortalAccount.patient_id).where(PortalAccount.username_key == username.lower())
    )
    if owner is not None and owner != patient_id:
        raise ConflictError(
            f"The username '{username}' is already taken. Choose another one.", field="username"
        )


def count_patients(session: Session) -> int:
    """How many charts there are."""
    return int(session.scalar(select(func.count()).select_from(Patient)) or 0)
