"""Staff actions on a patient's portal login: invitations, confirmations, credentials, unlocking.

Each function runs inside the one transaction its caller opened.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from clinic_desk.db.models import Patient, PortalAccount
from clinic_desk.domain import codes
from clinic_desk.domain.access import status_allows_portal
from clinic_desk.domain.email_checks import is_placeholder
from clinic_desk.domain.errors import NotAllowed
from clinic_desk.domain.links import EndReason
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.text_rules import clean_actor
from clinic_desk.domain.validation import (
    check_password,
    clean_username,
)
from clinic_desk.services import audit, web_sessions
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.link_life import PASSWORD_LINKS, end_links
from clinic_desk.services.outbox import send_link_email
from clinic_desk.services.permissions import authorize
from clinic_desk.services.records import (
    access_audit_fields,
    get_account,
    get_patient,
)
from clinic_desk.services.staff import clean_note, ensure_username_free, set_login


def _check_can_email(patient: Patient, ctx: ServiceContext) -> None:
    name = patient.full_name
    if not patient.email:
        raise NotAllowed(f"{name} has no email on file, so no email can be sent.", field="email")
    settings = ctx.settings
    if is_placeholder(patient.email, settings.placeholder_domain, settings.placeholder_addresses):
        raise NotAllowed(
            f"{name}'s email ({patient.email}) is a placeholder, so no email can be sent. "
            "Set a username and temporary password by hand instead.",
            field="email",
        )


def _check_status_allows_emails(patient: Patient) -> None:
    if not status_allows_portal(patient.status):
        raise NotAllowed(
            f"{patient.full_name} is {patient.status}; portal emails are not sent to "
            f"{patient.status} patients."
        )


def check_can_invite(patient: Patient, account: PortalAccount, ctx: ServiceContext) -> None:
    """Raise NotAllowed, in plain words, when no invitation may go to this patient now.

    The one home of the rule for both the single "Send invitation" and bulk invitations:
    the patient's status allows portal emails, access is on, and there is a real email.
    """
    _check_status_allows_emails(patient)
    _check_can_email(patient, ctx)  # before access: adding the email comes first
    if not account.access_enabled:
        raise NotAllowed(f"Turn on portal access for {patient.full_name} before sending an invitation.")


def queue_invitation(
    session: Session,
    ctx: ServiceContext,
    patient: Patient,
    account: PortalAccount,
    *,
    actor: str,
    note: str | None = None,
    batch: bool = False,
) -> int:
    """Queue the invitation (no username yet) or reset email and its audit entry; returns the email id.

    The caller checked ``check_can_invite`` and the actor; ``batch`` marks a bulk invitation's entry.
    """
    kind = codes.RESET if account.username else codes.INVITATION
    mail = send_link_email(session, ctx, patient, kind, username=account.username)
    session.flush()
    after: dict[str, object] = {"kind": kind, "to": patient.email, "email_id": mail.id}
    if batch:
        after["batch"] = True
    audit.record(
        session,
        at=ctx.now(),
        actor=actor,
        action=f"send_{kind}",
        patient_id=patient.id,
        after=after,
        note=note,
    )
    return mail.id


def send_invitation(
    session: Session, ctx: ServiceContext, patient_id: int, *, actor: str, note: str | None = None
) -> int:
    """Queue an invitation (no username yet) or a password-reset email. Returns the email's id."""
    actor = clean_actor(actor)
    note = clean_note(note)
    actor = authorize(session, actor, Permission.CHART_WORK)
    patient = get_patient(session, patient_id)
    account = get_account(session, patient_id)
    check_can_invite(patient, account, ctx)
    return queue_invitation(session, ctx, patient, account, actor=actor, note=note)


def resend_confirmation(
    session: Session, ctx: ServiceContext, patient_id: int, *, actor: str, note: str | None = None
) -> int:
    """Queue a new registration-confirmation email; the older link dies. Returns the email's id.

    Only for an online registration still waiting for its confirmation (access off with
    ``registration_unconfirmed``); otherwise NotAllowed says what to do instead.
    """
    actor = clean_actor(actor)
    note = clean_note(note)
    now = ctx.now()
    actor = authorize(session, actor, Permission.CHART_WORK)
    patient = get_patient(session, patient_id)
    account = get_account(session, patient_id)
    name = patient.full_name
    _check_status_allows_emails(patient)
    if account.access_enabled or account.access_off_reason != codes.OFF_UNCONFIRMED:
        raise NotAllowed(
            f"{name} has no online registration waiting for confirmation, so there is no "
            "confirmation email to send. Use 'Send invitation' (portal access on) instead."
        )
    _check_can_email(patient, ctx)
    mail = send_link_email(session, ctx, patient, codes.CONFIRMATION, username=account.username)
    session.flush()
    audit.record(
        session,
        at=now,
        actor=actor,
        action="resend_confirmation",
        patient_id=patient_id,
        after={"kind": codes.CONFIRMATION, "to": patient.email, "email_id": mail.id},
        note=note,
    )
    return mail.id


def set_credentials(
    session: Session,
    ctx: ServiceContext,
    patient_id: int,
    *,
    username: str,
    password: str,
    actor: str,
    note: str | None = None,
) -> None:
    """Set a username and temporary password by hand; the patient must change it at first login."""
    actor = clean_actor(actor)
    note = clean_note(note)
    username = clean_username(username)
    check_password(password, username)  # checked before the first query: no lock is held
    now = ctx.now()
    # Checked before the first statement takes the write lock.
    username = clean_username(username)
    check_password(password, username)
    note = clean_note(note)
    actor = authorize(session, actor, Permission.CHART_WORK)
    patient = get_patient(session, patient_id)
    account = get_account(session, patient_id)
    if patient.status == codes.DECEASED:
        raise NotAllowed(f"{patient.full_name} is marked deceased.")
    ensure_username_free(session, username, patient_id)
    before = access_audit_fields(account)
    set_login(account, username, password)
    account.must_change_password = True
    account.failed_logins = 0
    account.locked_until = None
    # Outstanding invitation or reset links would let someone replace this password.
    end_links(session, patient_id, PASSWORD_LINKS, EndReason.CREDENTIALS_SET_BY_STAFF, now)
    web_sessions.end_sessions(session, patient_id, now)  # nobody stays signed in on the old password
    audit.record_access_change(
        session, account, before, at=now, actor=actor, action="set_credentials", note=note
    )


def unlock_account(
    session: Session, ctx: ServiceContext, patient_id: int, *, actor: str, note: str | None = None
) -> None:
    """Clear a lockout and the failed-login count."""
    actor = clean_actor(actor)
    note = clean_note(note)
    now = ctx.now()
    actor = authorize(session, actor, Permission.CHART_WORK)
    account = get_account(session, patient_id)
    before = access_audit_fields(account)
    # Pending resets end with an unlock: whoever asked for them may be the one who locked it.
    ended = end_links(session, patient_id, (codes.RESET,), EndReason.ACCOUNT_UNLOCKED, now)
    if account.locked_until is None and account.failed_logins == 0 and not ended:
        return
    account.locked_until = None
    account.failed_logins = 0
    audit.record_access_change(
        session, account, before, at=now, actor=actor, action="unlock_account", note=note
    )
