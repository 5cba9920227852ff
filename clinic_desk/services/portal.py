"""What the patient does on the portal: register, confirm, claim, accept a link, log in."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desk.db.match_candidates import claim_candidates
from clinic_desk.db.models import Patient, PortalAccount, PortalToken
from clinic_desk.domain import codes
from clinic_desk.domain.access import can_sign_in, status_allows_portal
from clinic_desk.domain.errors import ConflictError, NotAllowed, NotFound, ValidationError
from clinic_desk.domain.links import LinkState, link_state
from clinic_desk.domain.match_check import (
    ACCESS_OFF,
    HAS_USERNAME,
    NO_MATCH,
    SEVERAL_MATCH,
    CandidateChart,
    MatchReport,
    check_match,
)
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
from clinic_desk.services.hashing import hash_password, hash_token, verify_password
from clinic_desk.services.outbox import send_link_email
from clinic_desk.services.records import access_audit_fields, get_account, get_patient
from clinic_desk.services.staff import add_patient, ensure_username_free, set_login

PATIENT_ACTOR = "patient (portal)"
PORTAL_OFF = "Portal access is not turned on for this chart. Please call the clinic."
_DEAD_LINK = {
    LinkState.USED: "This link has already been used. Ask the clinic to send a new one.",
    LinkState.REVOKED: "This link was replaced by a newer one. Use the newest email from the clinic.",
    LinkState.EXPIRED: "This link has expired. Ask the clinic to send a new one.",
}


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
    state = link_state(used_at=row.used_at, revoked_at=row.revoked_at, expires_at=row.expires_at, now=now)
    if state is not LinkState.ACTIVE:
        raise NotAllowed(_DEAD_LINK[state], field="token")
    row.used_at = now
    return row


def _open_chart(session: Session, patient_id: int) -> tuple[Patient, PortalAccount]:
    """The chart and its account, when the patient may use the portal; NotAllowed otherwise."""
    patient = get_patient(session, patient_id)
    account = get_account(session, patient_id)
    if not can_sign_in(patient.status, account.access_enabled):
        raise NotAllowed(PORTAL_OFF)
    return patient, account


def confirm_registration(session: Session, ctx: ServiceContext, token: str) -> int:
    """The patient clicked the confirmation link: access turns on (unless staff turned it off)."""
    row = _use_token(session, ctx, token, (codes.CONFIRMATION,))
    now = ctx.now()
    patient = get_patient(session, row.patient_id)
    account = get_account(session, row.patient_id)
    if not status_allows_portal(patient.status):
        raise NotAllowed("This portal account cannot be used. Please call the clinic.")
    before = access_audit_fields(account)
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


def claim_report(
    session: Session,
    ctx: ServiceContext,
    *,
    email: str | None,
    last_name: str | None,
    date_of_birth: date | str | None,
    zip_code: str | None,
) -> MatchReport:
    """What the portal makes of the four details a patient types to claim a chart.

    The portal decides through the same :func:`check_match` the wizard's match check
    replays, so the two can never disagree.
    """
    today = ctx.now().date()
    placeholder = ctx.settings.placeholder_domain
    candidates: list[CandidateChart] = []
    try:
        email_clean = clean_email(email, placeholder)
        last_key = fold(clean_name(last_name or "", "Last name"))
        born = clean_date_of_birth(date_of_birth or "", today)
    except ValidationError:
        email_clean = None  # check_match says what cannot be read
    if email_clean:
        candidates = claim_candidates(
            session, email_key=email_clean.lower(), last_key=last_key, date_of_birth=born
        )
    return check_match(
        candidates,
        email=email,
        last_name=last_name,
        date_of_birth=date_of_birth,
        zip_code=zip_code,
        placeholder_domain=placeholder,
        today=today,
    )


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
    report = claim_report(
        session, ctx, email=email, last_name=last_name, date_of_birth=date_of_birth, zip_code=zip_code
    )
    _refuse_unreadable(report)
    return [chart.patient_id for chart in report.matches]


def _refuse_unreadable(report: MatchReport) -> None:
    """The patient's own typing cannot be read: say what to fix."""
    if report.problems:
        raise ValidationError(" ".join(report.problems))


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
    report = claim_report(
        session, ctx, email=email, last_name=last_name, date_of_birth=date_of_birth, zip_code=zip_code
    )
    _refuse_unreadable(report)
    if report.outcome == NO_MATCH:
        raise NotFound(
            "We could not find a chart with that email, last name, date of birth and ZIP code. "
            "Check each one, or call the clinic."
        )
    if report.outcome == SEVERAL_MATCH:
        raise ConflictError(
            "More than one chart matches these details, so the account cannot be created "
            "online. Please call the clinic."
        )
    if report.outcome == ACCESS_OFF:
        raise NotAllowed(PORTAL_OFF)
    if report.outcome == HAS_USERNAME:
        raise ConflictError(
            "This chart already has a portal account. Use 'Forgot password' or call the clinic.",
            field="username",
        )
    patient_id = report.matches[0].patient_id
    _, account = _open_chart(session, patient_id)
    ensure_username_free(session, username, patient_id)
    now = ctx.now()
    before = access_audit_fields(account)
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
    before = access_audit_fields(account)
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
    allowed = can_sign_in(patient.status, account.access_enabled)
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
