"""What the patient does on the portal: register, confirm, claim, accept a link, log in.

Every path follows the same rules (DESIGN.md sections 3 and 7):

- Attempts are counted in the database (:mod:`clinic_desk.services.attempts`), per account,
  per claimed identity and per client address (``source``), so every portal process
  shares the limits; counters move by atomic ``UPDATE`` statements only.
- Unknown, disabled, locked and wrong get one answer: ``login`` returns False, the
  others return a :class:`Refusal` carrying the one :data:`REFUSED` message, which the
  facade raises as ``NotAllowed`` *after* the transaction committed, so the count and
  the audit entry are kept. ``ValidationError`` speaks only about the patient's own new
  input, and is checked before anything is looked up.
- A sign-in always checks one Argon2 hash, a dummy one when there is no account, so an
  unknown username takes as long as a wrong password.
- Every failure is audited (never what was typed as a password); a sign-in under a
  username nobody has becomes a ``portal_events`` row staff see on the chart whose email
  was typed.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desk.db.models import Patient, PortalAccount, PortalToken
from clinic_desk.domain import codes
from clinic_desk.domain.access import can_sign_in, status_allows_portal
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.links import LinkState, link_state
from clinic_desk.domain.search_keys import name_key
from clinic_desk.domain.text_rules import PATIENT_ACTOR
from clinic_desk.domain.validation import (
    check_password,
    clean_date_of_birth,
    clean_email,
    clean_name,
    clean_username,
    clean_zip,
)
from clinic_desk.services import attempts, audit, web_sessions
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.hashing import hash_token
from clinic_desk.services.outbox import send_link_email
from clinic_desk.services.portal_guard import (
    DEAD_LINK_WORDS,
    Refusal,
    clean_source,
    from_source,
    identity_key,
    identity_limit,
    is_source_locked,
    printable,
    refuse,
)
from clinic_desk.services.records import access_audit_fields, get_account, get_patient
from clinic_desk.services.staff import add_patient, ensure_username_free, set_login


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
    source: str | None = None,
) -> int | Refusal:
    """A new patient registers online; access stays off until they click the confirmation email.

    Every registration counts against its identity (email, names and ZIP code): guessing
    a date of birth by registering again and again stops at the limit. A chart that
    already has these details, in whatever state, gets the one uniform refusal.
    """
    source = clean_source(source)
    email_clean = clean_email(email, ctx.settings.placeholder_domain)
    if email_clean is None:
        raise ValidationError("Email: enter your email address to register.", field="email")
    zip_clean = clean_zip(zip_code)
    if zip_clean is None:
        raise ValidationError("ZIP code: enter your ZIP code to register.", field="zip_code")
    username = clean_username(username)
    check_password(password, username)
    ensure_username_free(session, username, None)
    born = clean_date_of_birth(date_of_birth, ctx.now().date())
    last_key = name_key(clean_name(last_name, "Last name"))
    first_key = name_key(clean_name(first_name, "First name"))

    now = ctx.now()
    limit = identity_limit(ctx.settings)
    key = identity_key("register", email_clean.lower(), first_key, last_key, zip_clean[:5])
    locked = attempts.reserve(session, limit, key, now)  # never forgiven: each registration counts
    existing = list(
        session.scalars(
            select(Patient.id).where(
                Patient.email_key == email_clean.lower(),
                Patient.last_key == last_key,
                Patient.first_key == first_key,
                Patient.date_of_birth == born,
            )
        )
    )
    source_locked = is_source_locked(session, ctx, source)
    if locked or source_locked or existing:
        attempts.failed(session, limit, key, now)
        why = "chart_exists" if existing else "too_many_tries"
        return refuse(
            session, ctx, action="portal_register_refused", why=why, source=source, patient_ids=existing
        )
    attempts.failed(session, limit, key, now)  # the limit counts registrations too
    patient_id = add_patient(
        session,
        ctx,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=born,
        email=email_clean,
        zip_code=zip_code,
        actor=PATIENT_ACTOR,
        by_portal=True,
        status=codes.PROSPECTIVE,
        created_via=codes.CREATED_BY_ONLINE_REGISTRATION,
    )
    patient = get_patient(session, patient_id)
    account = get_account(session, patient_id)
    set_login(account, username, password)
    account.registered_at = now
    send_link_email(session, ctx, patient, codes.CONFIRMATION, username=username)
    audit.record_access_change(
        session, account, None, at=now, actor=PATIENT_ACTOR, action="self_register", note=from_source(source)
    )
    return patient_id


def _link(
    session: Session, ctx: ServiceContext, token: object, kinds: tuple[str, ...], source: str | None
) -> PortalToken | Refusal:
    """The link's row while it works; a counted, audited refusal otherwise. Marks nothing used."""
    text = token if isinstance(token, str) else ""
    row = session.scalar(select(PortalToken).where(PortalToken.token_hash == hash_token(printable(text))))
    source_locked = is_source_locked(session, ctx, source)
    if row is None or row.kind not in kinds or source_locked:
        why = "too_many_tries" if source_locked and row is not None else "unknown_link"
        return refuse(
            session,
            ctx,
            action="portal_link_refused",
            why=why,
            source=source,
            patient_ids=[row.patient_id] if row is not None else [],
            kind=row.kind if row is not None else None,
        )
    state = link_state(
        used_at=row.used_at, revoked_at=row.revoked_at, expires_at=row.expires_at, now=ctx.now()
    )
    if state is not LinkState.ACTIVE:
        # Only someone holding the real link gets here: say what happened to it.
        refuse(
            session,
            ctx,
            action="portal_link_refused",
            why=f"link_{state.value}",
            source=source,
            patient_ids=[row.patient_id],
            kind=row.kind,
        )
        return Refusal(DEAD_LINK_WORDS[state], field="token")
    return row


def confirm_registration(
    session: Session, ctx: ServiceContext, token: str, *, source: str | None = None
) -> int | Refusal:
    """The patient clicked the confirmation link: access turns on (unless staff turned it off)."""
    source = clean_source(source)
    row = _link(session, ctx, token, (codes.CONFIRMATION,), source)
    if isinstance(row, Refusal):
        return row
    now = ctx.now()
    patient = get_patient(session, row.patient_id)
    account = get_account(session, row.patient_id)
    if not status_allows_portal(patient.status):
        return refuse(
            session,
            ctx,
            action="portal_link_refused",
            why="access_off",
            source=source,
            patient_ids=[patient.id],
            kind=row.kind,
        )
    row.used_at = now
    before = access_audit_fields(account)
    account.confirmed_at = now
    if account.access_off_reason == codes.OFF_UNCONFIRMED:
        account.access_enabled = True
        account.access_off_reason = None
        account.access_changed_by = PATIENT_ACTOR
        account.access_changed_at = now
        account.access_note = "Confirmed by the patient's email click."
    audit.record_access_change(
        session,
        account,
        before,
        at=now,
        actor=PATIENT_ACTOR,
        action="confirm_registration",
        note=from_source(source),
    )
    return patient.id


def accept_invitation(
    session: Session,
    ctx: ServiceContext,
    token: str,
    *,
    username: str | None,
    password: str,
    source: str | None = None,
) -> int | Refusal:
    """The patient follows an invitation or reset link and sets username and password."""
    source = clean_source(source)
    row = _link(session, ctx, token, (codes.INVITATION, codes.RESET), source)
    if isinstance(row, Refusal):
        return row
    now = ctx.now()
    patient = get_patient(session, row.patient_id)
    account = get_account(session, row.patient_id)
    if not can_sign_in(patient.status, account.access_enabled):
        return refuse(
            session,
            ctx,
            action="portal_link_refused",
            why="access_off",
            source=source,
            patient_ids=[patient.id],
            kind=row.kind,
        )
    chosen = (username or "").strip() or account.username
    if not chosen:
        raise ValidationError("Username: choose a username.", field="username")
    chosen = clean_username(chosen)
    check_password(password, chosen)
    use_link(session, row, account, chosen, password, now=now, action=f"accept_{row.kind}", source=source)
    return patient.id


def use_link(
    session: Session,
    row: PortalToken,
    account: PortalAccount,
    username: str,
    password: str,
    *,
    now: datetime,
    action: str,
    source: str | None,
) -> None:
    """The patient's own username and password from a link or an activation code: the link is
    used up, the account starts afresh, older sign-ins end, and the audit says so."""
    ensure_username_free(session, username, account.patient_id)
    row.used_at = now
    before = access_audit_fields(account)
    set_login(account, username, password)
    account.must_change_password = False
    account.failed_logins = 0
    account.locked_until = None
    web_sessions.end_sessions(session, account.patient_id, now)  # a new password: older sign-ins end
    audit.record_access_change(
        session, account, before, at=now, actor=PATIENT_ACTOR, action=action, note=from_source(source)
    )
