"""Links and emails to patients: issued and queued inside the caller's transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic_desk.db.models import OutboxEmail, Patient, PortalToken
from clinic_desk.domain import codes
from clinic_desk.domain.codes import EmailStatus
from clinic_desk.domain.links import EndReason, LinkState, link_state
from clinic_desk.domain.wording import when
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.hashing import new_token
from clinic_desk.services.link_life import end_links, same_purpose
from clinic_desk.services.settings import ClinicSettings
from clinic_desk.services.templates import render

_PATHS = {
    codes.INVITATION: "/accept-invitation",
    codes.RESET: "/reset-password",
    codes.CONFIRMATION: "/confirm-registration",
}


def link_lifetime(settings: ClinicSettings, kind: str) -> timedelta:
    """How long a link of this kind works once its email is sent."""
    return {
        codes.INVITATION: settings.invitation_lifetime,
        codes.RESET: settings.reset_lifetime,
        codes.CONFIRMATION: settings.confirmation_lifetime,
    }[kind]


def send_link_email(
    session: Session,
    ctx: ServiceContext,
    patient: Patient,
    kind: str,
    username: str | None = None,
) -> OutboxEmail:
    """Issue a one-use link of this kind and queue the email that carries it."""
    now = ctx.now()
    to = patient.email or ""
    # A new link replaces the older ones of its purpose (and their queued emails): only the newest works.
    end_links(session, patient.id, same_purpose(kind), EndReason.REPLACED, now)
    token, token_hash = new_token()
    # Provisional: the link's lifetime starts again when its email is sent (delivery).
    expires = now + link_lifetime(ctx.settings, kind)
    row = PortalToken(
        patient_id=patient.id,
        kind=kind,
        token_hash=token_hash,
        sent_to=to,
        created_at=now,
        expires_at=expires,
    )
    session.add(row)
    session.flush()
    settings = ctx.settings
    link = f"{settings.portal_url.rstrip('/')}{_PATHS[kind]}?token={token}"
    rendered = render(
        kind,
        {
            "first_name": patient.preferred_name or patient.first_name,
            "clinic_name": settings.clinic_name,
            "link": link,
            "expires": when(expires),
            "sender_address": settings.sender_address,
            "whitelist_domain": settings.whitelist_domain,
            "username": username or "",
        },
    )
    domain = settings.sender_address.rsplit("@", 1)[-1] or "clinic-desk.invalid"
    mail = OutboxEmail(
        patient_id=patient.id,
        token_id=row.id,
        kind=kind,
        to_address=to,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        link=link,
        message_id=f"<{uuid.uuid4().hex}@{domain}>",
        status=EmailStatus.QUEUED,
        attempts=0,
        next_attempt_at=now,
        queued_at=now,
    )
    session.add(mail)
    return mail


def emails_with_links(
    session: Session, patient_id: int, limit: int | None = None
) -> list[tuple[OutboxEmail, PortalToken | None]]:
    """The emails to this patient with the link each carried, newest first (one query)."""
    rows = session.execute(
        select(OutboxEmail, PortalToken)
        .outerjoin(PortalToken, PortalToken.id == OutboxEmail.token_id)
        .where(OutboxEmail.patient_id == patient_id)
        .order_by(OutboxEmail.id.desc())
        .limit(limit)
    ).all()
    return [(mail, token) for mail, token in rows]


# -- reading the outbox: the timeline the dash and the wizard show, and whole messages ----


@dataclass(frozen=True)
class EmailTimelineEntry:
    """One email in a patient's email timeline (newest first), for the wizard and the dash."""

    id: int
    kind: str
    to: str
    subject: str
    status: EmailStatus
    attempts: int
    queued_at: datetime
    sent_at: datetime | None
    failed_at: datetime | None
    next_attempt_at: datetime | None  # only while queued
    failure_reason: str | None  # the server's reply (also while queued for a retry)
    link_expires_at: datetime | None
    link_used_at: datetime | None
    link_revoked_at: datetime | None
    link_state: LinkState | None  # None: the email carries no link
    cancelled_at: datetime | None  # only when cancelled
    cancel_reason: str | None  # why it was cancelled (domain.links.EndReason)
    link_revoke_reason: str | None  # why the link ended before use (EndReason)


@dataclass(frozen=True)
class OutboxMessage(EmailTimelineEntry):
    """One email to a patient with what it says: for tests, scripts and the mail tools (never the dash)."""

    patient_id: int
    body: str
    html: str | None
    link: str | None  # ends in ?token=... only while queued; None once the email left or ended
    message_id: str


def pending_count(session: Session) -> int:
    """How many emails wait to be sent (queued, due or not)."""
    return int(session.scalar(select(func.count()).where(OutboxEmail.status == EmailStatus.QUEUED)) or 0)


def email_timeline(
    session: Session, patient_id: int, now: datetime, limit: int | None = None
) -> list[EmailTimelineEntry]:
    """The emails to this patient, newest first, with delivery progress and their links' state."""
    return [timeline_entry(mail, token, now) for mail, token in emails_with_links(session, patient_id, limit)]


def timeline_entry(mail: OutboxEmail, token: PortalToken | None, now: datetime) -> EmailTimelineEntry:
    """One email (and the link it carried) as the timeline shows it."""
    return EmailTimelineEntry(**_timeline_fields(mail, token, now))


def outbox_for(session: Session, patient_id: int, now: datetime) -> list[OutboxMessage]:
    """Every email to this patient, newest first, with what it says and its link."""
    return [
        OutboxMessage(
            **_timeline_fields(mail, token, now),
            patient_id=mail.patient_id,
            body=mail.body_text,
            html=mail.body_html,
            link=mail.link if mail.status == EmailStatus.QUEUED else None,
            message_id=mail.message_id,
        )
        for mail, token in emails_with_links(session, patient_id)
    ]


def _timeline_fields(mail: OutboxEmail, token: PortalToken | None, now: datetime) -> dict[str, Any]:
    return {
        "id": mail.id,
        "kind": mail.kind,
        "to": mail.to_address,
        "subject": mail.subject,
        "status": EmailStatus(mail.status),
        "attempts": mail.attempts,
        "queued_at": mail.queued_at,
        "sent_at": mail.sent_at,
        "failed_at": mail.failed_at,
        "next_attempt_at": mail.next_attempt_at if mail.status == EmailStatus.QUEUED else None,
        "failure_reason": mail.last_error,
        "link_expires_at": token.expires_at if token else None,
        "link_used_at": token.used_at if token else None,
        "link_revoked_at": token.revoked_at if token else None,
        "link_state": _link_state(token, now),
        "cancelled_at": mail.cancelled_at,
        "cancel_reason": mail.cancel_reason,
        "link_revoke_reason": token.revoke_reason if token else None,
    }


def _link_state(token: PortalToken | None, now: datetime) -> LinkState | None:
    if token is None:
        return None
    return link_state(
        used_at=token.used_at, revoked_at=token.revoked_at, expires_at=token.expires_at, now=now
    )


def without_token(link: str | None, text: str | None, html: str | None) -> dict[str, str | None]:
    """The stored copy's link and bodies with the token taken out (the page address stays)."""
    if not link or "?token=" not in link:
        return {}
    page, token = link.split("?token=", 1)

    def scrub(body: str | None) -> str | None:
        if body is None:
            return None
        body = body.replace(link, page)
        return body.replace(token, "") if token else body

    return {"link": page, "body_text": scrub(text), "body_html": scrub(html)}
