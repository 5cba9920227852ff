"""The end of emailed links and queued emails (DESIGN.md section 1): the one place that ends them.

Every rule that kills a link calls :func:`end_links` (staff actions, a newer link of the
same purpose) or :func:`cancel_emails` (the delivery's last check before sending), in the
caller's transaction. A link that ended keeps its reason (``revoke_reason``) and never
works again; an email that ended is ``cancelled`` with its reason and is never sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Final

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from clinic_desk.db.models import OutboxEmail, PortalToken
from clinic_desk.domain import codes
from clinic_desk.domain.codes import EmailStatus
from clinic_desk.domain.links import EndReason

# Links that let whoever holds them set the account's password: one purpose, so an
# invitation, a reset and an activation code (a letter's link) replace each other.
PASSWORD_LINKS: Final = (codes.INVITATION, codes.RESET, codes.ACTIVATION)
CONFIRMATION_LINKS: Final = (codes.CONFIRMATION,)
ALL_LINKS: Final = codes.LINK_KINDS
# The links that went to an email address (an activation code went on paper, to the patient).
EMAILED_LINKS: Final = codes.EMAIL_KINDS


def same_purpose(kind: str) -> tuple[str, ...]:
    """The kinds of link a new link of this kind replaces (its own purpose)."""
    return PASSWORD_LINKS if kind in PASSWORD_LINKS else (kind,)


def end_links(
    session: Session,
    patient_id: int,
    kinds: Iterable[str],
    reason: EndReason,
    at: datetime,
    *,
    unless_sent_to: str | None = None,
) -> int:
    """End the patient's open links of these kinds and cancel their queued emails (two UPDATEs).

    Open links (unused, not yet ended) get ``revoked_at``/``revoke_reason``; queued emails of
    these kinds (with or without a link) become ``cancelled`` with ``cancelled_at`` and
    ``cancel_reason``. With ``unless_sent_to``, only links and emails that went to another
    address end (compared ignoring case): the rule for an email change. Returns how many
    links ended.
    """
    kinds = tuple(kinds)
    token_filters = [
        PortalToken.patient_id == patient_id,
        PortalToken.kind.in_(kinds),
        PortalToken.used_at.is_(None),
        PortalToken.revoked_at.is_(None),
    ]
    mail_filters = [
        OutboxEmail.patient_id == patient_id,
        OutboxEmail.kind.in_(kinds),
        OutboxEmail.status == EmailStatus.QUEUED,
    ]
    if unless_sent_to is not None:
        keep = unless_sent_to.strip().lower()
        token_filters.append(func.lower(PortalToken.sent_to) != keep)
        mail_filters.append(func.lower(OutboxEmail.to_address) != keep)
    ended = session.execute(
        update(PortalToken)
        .where(*token_filters)
        .values(revoked_at=at, revoke_reason=reason.value)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(OutboxEmail)
        .where(*mail_filters)
        .values(status=EmailStatus.CANCELLED, cancelled_at=at, cancel_reason=reason.value)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(ended, "rowcount", 0) or 0)


def cancel_emails(session: Session, reasons: Mapping[int, EndReason], at: datetime) -> None:
    """Cancel these queued emails (id → reason) and end the links they carry; two UPDATEs per reason."""
    by_reason: dict[EndReason, list[int]] = {}
    for email_id, reason in reasons.items():
        by_reason.setdefault(reason, []).append(email_id)
    for reason, ids in by_reason.items():
        carried = select(OutboxEmail.token_id).where(
            OutboxEmail.id.in_(ids), OutboxEmail.token_id.is_not(None)
        )
        session.execute(
            update(PortalToken)
            .where(
                PortalToken.id.in_(carried), PortalToken.used_at.is_(None), PortalToken.revoked_at.is_(None)
            )
            .values(revoked_at=at, revoke_reason=reason.value)
            .execution_options(synchronize_session=False)
        )
        session.execute(
            update(OutboxEmail)
            .where(OutboxEmail.id.in_(ids), OutboxEmail.status == EmailStatus.QUEUED)
            .values(
                status=EmailStatus.CANCELLED,
                cancelled_at=at,
                cancel_reason=reason.value,
                claimed_by=None,
                claimed_until=None,
            )
            .execution_options(synchronize_session=False)
        )
