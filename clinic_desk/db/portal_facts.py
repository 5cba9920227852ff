"""The facts behind one patient's portal status, from the rows of one statement."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from clinic_desk.db.models import OutboxEmail, PortalToken
from clinic_desk.db.patient_read import PatientRead, read_patient
from clinic_desk.domain import codes
from clinic_desk.domain.codes import EmailStatus
from clinic_desk.domain.email_checks import is_placeholder
from clinic_desk.domain.facts import EmailFacts, LinkFacts, PortalFacts, SharedEmailChart


def load_portal_facts(
    session: Session,
    patient_id: int,
    placeholder_domain: str,
    placeholder_addresses: tuple[str, ...],
) -> PortalFacts:
    """Everything domain.status.evaluate needs for one patient (one statement)."""
    return portal_facts_of(read_patient(session, patient_id), placeholder_domain, placeholder_addresses)


def portal_facts_of(
    read: PatientRead, placeholder_domain: str, placeholder_addresses: tuple[str, ...]
) -> PortalFacts:
    """The facts behind the status, from one patient's rows (no database work)."""
    patient, account = read.patient, read.account
    newest_by_kind = {token.kind: token for token in read.newest_links}
    links = [newest_by_kind[kind] for kind in (codes.INVITATION, codes.RESET) if kind in newest_by_kind]
    newest_link = max(links, key=lambda token: token.id) if links else None
    confirmation = newest_by_kind.get(codes.CONFIRMATION)
    emails_by_kind = {mail.kind: mail for mail in read.newest_emails}
    newest_email = max(emails_by_kind.values(), key=lambda mail: mail.id, default=None)
    # Every invitation, reset or confirmation email carries a link: a link means one went out.
    any_sent = bool(newest_by_kind)

    real_email = bool(patient.email_key) and not is_placeholder(
        patient.email, placeholder_domain, placeholder_addresses
    )
    shared: tuple[SharedEmailChart, ...] = ()
    if real_email:
        shared = tuple(
            SharedEmailChart(
                patient_id=other.patient_id,
                name=f"{other.first_name} {other.last_name}",
                mrn=other.mrn,
                username=other.username,
            )
            for other in read.shared
        )
    unknown = _unknown_username_failures(read, patient.email_key if real_email else None)

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
    read: PatientRead, email_key: str | None
) -> tuple[int, str | None, datetime | None]:
    """Failed sign-ins since the last login under a username nobody has that is this chart's
    email (a real one) or username: how many, the name typed most often, and the latest time."""
    keys = {key for key in (read.account.username_key, email_key) if key}
    rows = [row for row in read.unknown_usernames if row[0] in keys]
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
