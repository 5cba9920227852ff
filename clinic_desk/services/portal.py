"""What the patient does on the portal: register, confirm, claim, accept a link, log in."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desk.db.models import Patient, PortalAccount, PortalToken
from clinic_desk.domain import codes
from clinic_desk.domain.errors import ConflictError, NotAllowed, NotFound, ValidationError
from clinic_desk.domain.validation import (
    check_password,
    clean_date_of_birth,
    clean_email,
    clean_name,
    clean_username,
    clean_zip,
    fold,
)
from clinic_desk.services import audit
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.outbox import send_link_email
from clinic_desk.services.records import access_snapshot, get_account, get_patient
from clinic_desk.services.secrets_ import hash_password, hash_token, verify_password
from clinic_desk.services.staff import add_patient, ensure_username_free, set_login

PATIENT_ACTOR = "patient (portal)"


def self_register(
    session: Session,
    ctx: ServiceContext,
    *,
    first_name: str,
    last_name: str,
    date_of_birth: date | str,
    email: str,
    zip_code: str,
    username: str,
    password: str,
) -> int:
    """A new patient registers online; access stays off until they click the confirmation email."""
    email_clean = clean_email(email, ctx.settings.placeholder_domain)
    if email_clean is None:
        raise ValidationError("Email: enter your email address to register.", field="email")
    if clean_zip(zip_code) is None:
        raise ValidationError("ZIP code: enter your ZIP code to register.", field="zip_code")
    username = clean_username(username)
    check_password(password, username)
    ensure_username_free(session, username, None)
    born = clean_date_of_birth(date_of_birth, ctx.now().date())
    existing = session.scalar(
        select(Patient.id).where(
            Patient.email_key == email_clean.lower(),
            Patient.last_key == fold(clean_name(last_name, "Last name")),
            Patient.first_key == fold(clean_name(first_name, "First name")),
            Patient.date_of_birth == born,
        )
    )
    if existing is not None:
        raise ConflictError(
            "A chart with this name, date of birth and email already exists. Use "
            "'I am a registered patient' to create your account, or call the clinic.",
        )
    patient_id = add_patient(
        session,
        ctx,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=born,
        email=email_clean,
        zip_code=zip_code,
        actor=PATIENT_ACTOR,
        status=codes.PROSPECTIVE,
        created_via=codes.CREATED_BY_ONLINE_REGISTRATION,
    )
    now = ctx.now()
    patient = get_patient(session, patient_id)
    account = get_account(session, patient_id)
    set_login(account, username, password)
    account.registered_at = now
    send_link_email(session, ctx, patient, codes.CONFIRMATION, username=username)
    audit.record_access_change(session, account, None, at=now, actor=PATIENT_ACTOR, action="self_register")
    return patient_id


def _use_token(session: Session, ctx: ServiceContext, token: str, kinds: tuple[str, ...]) -> PortalToken:
    row = session.scalar(select(PortalToken).where(PortalToken.token_hash == hash_token(token or "")))
    if row is None or row.kind not in kinds:
        raise NotFound("This link is not valid. Ask the clinic to send a new one.", field="token")
    now = ctx.now()
    if row.used_at is not None:
        raise NotAllowed("This link has already been used. Ask the clinic to send a new one.", field="token")
    if row.revoked_at is not None:
        raise NotAllowed(
            "This link was replaced by a newer one. Use the newest email from the clinic.",
            field="token",
        )
    if row.expires_at <= now:
        raise NotAllowed("This link has expired. Ask the clinic to send a new one.", field="token")
    row.used_at = now
    return row


def _open_chart(session: Session, patient_id: int) -> tuple[Patient, PortalAccount]:
    """The chart and its account, when the patient may use the portal; NotAllowed otherwise."""
    patient = get_patient(session, patient_id)
    account = get_account(session, patient_id)
    if patient.status not in codes.PORTAL_STATUSES or not account.access_enabled:
        raise NotAllowed("Portal access is not turned on for this chart. Please call the clinic.")
    return patient, account


def confirm_registration(session: Session, ctx: ServiceContext, token: str) -> int:
    """The patient clicked the confirmation link: access turns on (unless staff turned it off)."""
    row = _use_token(session, ctx, token, (codes.CONFIRMATION,))
    now = ctx.now()
    patient = get_patient(session, row.patient_id)
    account = get_account(session, row.patient_id)
    if patient.status not in codes.PORTAL_STATUSES:
        raise NotAllowed("This portal account cannot be used. Please call the clinic.")
    before = access_snapshot(account)
    account.confirmed_at = now
    if account.access_off_reason == codes.OFF_UNCONFIRMED:
        account.access_enabled = True
        account.access_off_reason = None
        account.access_changed_by = PATIENT_ACTOR
        account.access_changed_at = now
        account.access_note = "Confirmed by the patient's email click."
    audit.record_access_change(
        session, account, before, at=now, actor=PATIENT_ACTOR, action="confirm_registration"
    )
    return patient.id


def matching_charts(
    session: Session,
    ctx: ServiceContext,
    *,
    email: str,
    last_name: str,
    date_of_birth: date | str,
    zip_code: str,
) -> list[int]:
    """Ids of the charts where email, last name, date of birth and ZIP code all match."""
    email_clean = clean_email(email, ctx.settings.placeholder_domain)
    zip_clean = clean_zip(zip_code)
    born = clean_date_of_birth(date_of_birth, ctx.now().date())
    if email_clean is None or zip_clean is None:
        raise ValidationError(
            "Email and ZIP code are both needed.", field="email" if email_clean is None else "zip_code"
        )
    rows = session.execute(
        select(Patient.id, Patient.zip_code).where(
            Patient.email_key == email_clean.lower(),
            Patient.last_key == fold(clean_name(last_name, "Last name")),
            Patient.date_of_birth == born,
        )
    ).all()
    return [pid for pid, zip_on_file in rows if (zip_on_file or "")[:5] == zip_clean[:5]]


def claim_account(
    session: Session,
    ctx: ServiceContext,
    *,
    email: str,
    last_name: str,
    date_of_birth: date | str,
    zip_code: str,
    username: str,
    password: str,
) -> int:
    """An existing patient creates their own account ("I am a registered patient")."""
    username = clean_username(username)
    check_password(password, username)
    matches = matching_charts(
        session, ctx, email=email, last_name=last_name, date_of_birth=date_of_birth, zip_code=zip_code
    )
    if not matches:
        raise NotFound(
            "We could not find a chart with that email, last name, date of birth and ZIP code. "
            "Check each one, or call the clinic."
        )
    if len(matches) > 1:
        raise ConflictError(
            "More than one chart matches these details, so the account cannot be created "
            "online. Please call the clinic."
        )
    patient_id = matches[0]
    _, account = _open_chart(session, patient_id)
    if account.username:
        raise ConflictError(
            "This chart already has a portal account. Use 'Forgot password' or call the clinic.",
            field="username",
        )
    ensure_username_free(session, username, patient_id)
    now = ctx.now()
    before = access_snapshot(account)
    set_login(account, username, password)
    account.must_change_password = False
    audit.record_access_change(session, account, before, at=now, actor=PATIENT_ACTOR, action="claim_account")
    return patient_id


def accept_invitation(
    session: Session,
    ctx: ServiceContext,
    token: str,
    *,
    username: str | None,
    password: str,
) -> int:
    """The patient follows an invitation or reset link and sets username and password."""
    row = _use_token(session, ctx, token, (codes.INVITATION, codes.RESET))
    now = ctx.now()
    patient, account = _open_chart(session, row.patient_id)
    chosen = (username or "").strip() or account.username
    if not chosen:
        raise ValidationError("Username: choose a username.", field="username")
    chosen = clean_username(chosen)
    check_password(password, chosen)
    ensure_username_free(session, chosen, patient.id)
    before = access_snapshot(account)
    set_login(account, chosen, password)
    account.must_change_password = False
    account.failed_logins = 0
    account.locked_until = None
    audit.record_access_change(
        session, account, before, at=now, actor=PATIENT_ACTOR, action=f"accept_{row.kind}"
    )
    return patient.id


def login(session: Session, ctx: ServiceContext, username: str, password: str) -> bool:
    """True when the patient may come in. Never raises for a wrong username or password."""
    key = (username or "").strip().lower()
    if not key or not password:
        return False
    row = session.execute(
        select(PortalAccount, Patient)
        .join(Patient, Patient.id == PortalAccount.patient_id)
        .where(PortalAccount.username_key == key)
    ).one_or_none()
    if row is None:
        return False
    account, patient = row
    now = ctx.now()
    settings = ctx.settings
    locked = account.locked_until is not None and account.locked_until > now
    allowed = patient.status in codes.PORTAL_STATUSES and account.access_enabled
    if allowed and not locked and verify_password(account.password_hash, password):
        account.last_login_at = now
        account.login_count += 1
        account.failed_logins = 0
        account.locked_until = None
        audit.record(session, at=now, actor=PATIENT_ACTOR, action="portal_login", patient_id=patient.id)
        return True
    if not allowed:
        return False
    account.failed_logins += 1
    account.last_failed_login_at = now
    if not locked and account.failed_logins % settings.lockout_threshold == 0:
        account.locked_until = now + settings.lockout_duration
    audit.record(
        session,
        at=now,
        actor=PATIENT_ACTOR,
        action="portal_login_failed",
        patient_id=patient.id,
        after={"failed_logins": account.failed_logins, "locked_until": account.locked_until},
    )
    return False


def change_password(
    session: Session, ctx: ServiceContext, username: str, old_password: str, new_password: str
) -> None:
    """The patient replaces a temporary password (clears 'must change password')."""
    key = (username or "").strip().lower()
    account = session.scalar(select(PortalAccount).where(PortalAccount.username_key == key))
    if account is None or not verify_password(account.password_hash, old_password):
        raise NotAllowed("The username or current password is not right.")
    check_password(new_password, account.username)
    if new_password == old_password:
        raise ValidationError("Password: choose a password different from the current one.", field="password")
    account.password_hash = hash_password(new_password)
    account.must_change_password = False
    audit.record(
        session, at=ctx.now(), actor=PATIENT_ACTOR, action="change_password", patient_id=account.patient_id
    )
