"""Read the facts behind one patient's portal status in a fixed, small number of queries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic_desk.db.models import OutboxEmail, Patient, PortalAccount, PortalEvent, PortalToken
from clinic_desk.domain import codes
from clinic_desk.domain.codes import EmailStatus
from clinic_desk.domain.email_checks import is_placeholder
from clinic_desk.domain.errors import NotFound
from clinic_desk.domain.facts import EmailFacts, LinkFacts, PortalFacts, SharedEmailChart

# The shared-email list names at most this many other charts.
SHARED_EMAIL_LIMIT = 10


def load_portal_facts(
    session: Session,
    patient_id: int,
    placeholder_domain: str,
    placeholder_addresses: tuple[str, ...],
) -> PortalFacts:
    """Everything domain.status.evaluate needs for one patient."""
    row = session.execute(
        select(Patient, PortalAccount)
        .join(PortalAccount, PortalAccount.patient_id == Patient.id)
        .where(Patient.id == patient_id)
    ).one_or_none()
    if row is None:
        raise NotFound(f"No patient with id {patient_id} was found.")
    patient, account = row

    # The newest link of each kind, in one query.
    newest_ids = (
        select(func.max(PortalToken.id))
        .where(PortalToken.patient_id == patient_id)
        .group_by(PortalToken.kind)
        .scalar_subquery()
    )
    newest_by_kind = {
        token.kind: token
        for token in session.scalars(select(PortalToken).where(PortalToken.id.in_(newest_ids)))
    }
    links = [newest_by_kind[kind] for kind in (codes.INVITATION, codes.RESET) if kind in newest_by_kind]
    newest_link = max(links, key=lambda token: token.id) if links else None
    confirmation = newest_by_kind.get(codes.CONFIRMATION)
    # The newest email of each kind, in one query: the newest of all, and the confirmation's fate.
    newest_email_ids = (
        select(func.max(OutboxEmail.id))
        .where(OutboxEmail.patient_id == patient_id)
        .group_by(OutboxEmail.kind)
        .scalar_subquery()
    )
    emails_by_kind = {
        mail.kind: mail
        for mail in session.scalars(select(OutboxEmail).where(OutboxEmail.id.in_(newest_email_ids)))
    }
    newest_email = max(emails_by_kind.values(), key=lambda mail: mail.id, default=None)
    # Every invitation, reset or confirmation email carries a link: a link means one went out.
    any_sent = bool(newest_by_kind)

    # Always asked (even without an email) so opening a patient costs the same queries every time.
    others = session.execute(
        select(Patient.id, Patient.first_name, Patient.last_name, Patient.mrn, PortalAccount.username)
        .join(PortalAccount, PortalAccount.patient_id == Patient.id)
        .where(Patient.email_key == (patient.email_key or ""), Patient.id != patient_id)
        .order_by(Patient.id)
        .limit(SHARED_EMAIL_LIMIT)
    ).all()
    shared: tuple[SharedEmailChart, ...] = ()
    if patient.email_key and not is_placeholder(patient.email, placeholder_domain, placeholder_addresses):
        shared = tuple(
            SharedEmailChart(
                patient_id=other.id,
                name=f"{other.first_name} {other.last_name}",
                mrn=other.mrn,
                username=other.username,
            )
            for other in others
        )

    unknown = _unknown_username_failures(session, patient, account, placeholder_domain, placeholder_addresses)

    return PortalFacts(
        patient_id=patient.id,
        first_name=patient.first_name,
        last_name=patient.last_name,
        mrn=patient.mrn,
        patient_status=patient.status,
        email=patient.email,
        zip_code=patient.zip_code,
        access_enabled=account.access_enabled,
        access_off_reason=account.access_off_reason,
        access_changed_by=account.access_changed_by,
        access_changed_at=account.access_changed_at,
        access_note=account.access_note,
        staff_off_reason=account.staff_off_reason,
        created_via=patient.created_via,
        username=account.username,
        must_change_password=account.must_change_password,
        registered_at=account.registered_at,
        confirmed_at=account.confirmed_at,
        confirmation_sent_to=confirmation.sent_to if confirmation else None,
        confirmation_sent_at=confirmation.created_at if confirmation else None,
        last_login_at=account.last_login_at,
        login_count=account.login_count,
        failed_logins=account.failed_logins,
        last_failed_login_at=account.last_failed_login_at,
        locked_until=account.locked_until,
        unknown_username_failures=unknown[0],
        unknown_username_typed=unknown[1],
        unknown_username_last_at=unknown[2],
        newest_link=_link(newest_link),
        newest_email=_email(newest_email),
        confirmation_email=_email(emails_by_kind.get(codes.CONFIRMATION)),
        any_invitation_sent=any_sent,
        shared_with=shared,
        placeholder_domain=placeholder_domain,
        placeholder_addresses=placeholder_addresses,
    )


def _unknown_username_failures(
    session: Session,
    patient: Patient,
    account: PortalAccount,
    placeholder_domain: str,
    placeholder_addresses: tuple[str, ...],
) -> tuple[int, str | None, datetime | None]:
    """Failed sign-ins since the last login under a username nobody has that is this chart's
    email or username: how many, the name typed most often, and the latest time.

    Always asked (even with nothing to match) so opening a patient costs the same queries.
    """
    keys = [key for key in (account.username_key,) if key]
    if patient.email_key and not is_placeholder(patient.email, placeholder_domain, placeholder_addresses):
        keys.append(patient.email_key)
    query = (
        select(PortalEvent.typed_key, func.count(), func.max(PortalEvent.at))
        .where(
            PortalEvent.typed_key.in_(keys or [""]),
            PortalEvent.kind.in_(codes.UNKNOWN_USERNAME_EVENTS),
        )
        .group_by(PortalEvent.typed_key)
    )
    if account.last_login_at is not None:
        query = query.where(PortalEvent.at > account.last_login_at)
    rows = [(str(key), int(count), at) for key, count, at in session.execute(query).all() if keys]
    if not rows:
        return 0, None, None
    typed = max(rows, key=lambda row: (row[1], row[2]))[0]
    return sum(row[1] for row in rows), typed, max(row[2] for row in rows)


def _link(token: PortalToken | None) -> LinkFacts | None:
    if token is None:
        return None
    return LinkFacts(
        kind=token.kind,
        sent_to=token.sent_to,
        created_at=token.created_at,
        expires_at=token.expires_at,
        used_at=token.used_at,
        revoked_at=token.revoked_at,
        revoke_reason=token.revoke_reason,
    )


def _email(mail: OutboxEmail | None) -> EmailFacts | None:
    if mail is None:
        return None
    return EmailFacts(
        kind=mail.kind,
        to=mail.to_address,
        status=mail.status,
        queued_at=mail.queued_at,
        sent_at=mail.sent_at,
        failed_at=mail.failed_at,
        failure_reason=mail.last_error if mail.status == EmailStatus.FAILED else None,
        cancelled_at=mail.cancelled_at,
        cancel_reason=mail.cancel_reason,
    )
