"""The outbox rows one mail worker holds: claimed within the hourly limit, checked, changed, given back.

A claim stamps ``claimed_by``/``claimed_until`` on due ``queued`` rows nobody holds, in one
short transaction. PostgreSQL uses ``FOR UPDATE SKIP LOCKED`` so workers on several
workstations never pick the same row; SQLite writes begin with ``BEGIN IMMEDIATE`` (see
db.engine), so claims on one file take turns. The clinic's hourly sending limit
(:mod:`clinic_desk.services.hourly_limit`) is counted in the same transaction. The claim
checks each email once more against the chart (``domain.links.why_email_cannot_go``): one
that must not go is cancelled with its reason instead. Every later change checks
``claimed_by``, so a worker whose claim expired changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from clinic_desk.db.models import OutboxEmail, Patient, PortalAccount
from clinic_desk.domain.codes import EmailStatus
from clinic_desk.domain.email_checks import is_placeholder
from clinic_desk.domain.links import EndReason, why_email_cannot_go
from clinic_desk.services import hourly_limit
from clinic_desk.services.database import ClinicDatabase
from clinic_desk.services.delivery_report import ClaimedEmail
from clinic_desk.services.link_life import cancel_emails

# The mail worker's one log, whichever of its files writes the line.
log = logging.getLogger("clinic_desk.services.delivery")


class OutboxClaims:
    """The emails one worker (``worker_id``) holds, each for ``lease`` from its claim."""

    def __init__(self, clinic: ClinicDatabase, worker_id: str, lease: timedelta) -> None:
        self._clinic = clinic
        self.worker_id = worker_id
        self.lease = lease
        self.held_for_limit = 0  # due emails the last claim left for the hourly limit

    def claim(self, limit: int = 50) -> list[ClaimedEmail]:
        """Take up to ``limit`` due, unclaimed queued emails for this worker (one short transaction)."""
        self.held_for_limit = 0
        with self._clinic.transaction() as session:
            now = self._clinic.now()
            room = hourly_limit.room_this_hour(session, self._clinic.settings.mail_per_hour, now)
            if room is not None and room < limit:
                # The clinic's hourly limit: take what fits, and say how many wait.
                self.held_for_limit = max(0, hourly_limit.due_and_free(session, now) - room)
                limit = room
            if limit <= 0:
                return []
            ids = list(
                session.scalars(
                    select(OutboxEmail.id)
                    .where(
                        OutboxEmail.status == EmailStatus.QUEUED,
                        OutboxEmail.next_attempt_at <= now,
                        or_(OutboxEmail.claimed_until.is_(None), OutboxEmail.claimed_until <= now),
                    )
                    .order_by(OutboxEmail.next_attempt_at, OutboxEmail.id)
                    .limit(limit)
                    # PostgreSQL/MariaDB: rows another worker is claiming are skipped, not waited
                    # for. SQLite renders nothing here; its BEGIN IMMEDIATE serialises claims.
                    .with_for_update(skip_locked=True)
                )
            )
            if not ids:
                return []
            until = now + self.lease
            rows = session.execute(
                select(
                    OutboxEmail.id,
                    OutboxEmail.kind,
                    OutboxEmail.token_id,
                    OutboxEmail.link,
                    OutboxEmail.to_address,
                    OutboxEmail.subject,
                    OutboxEmail.body_text,
                    OutboxEmail.body_html,
                    OutboxEmail.message_id,
                    OutboxEmail.attempts,
                    Patient.email.label("email_on_file"),
                    Patient.status.label("patient_status"),
                    PortalAccount.access_enabled,
                    PortalAccount.access_off_reason,
                )
                .join(Patient, Patient.id == OutboxEmail.patient_id)
                .outerjoin(PortalAccount, PortalAccount.patient_id == OutboxEmail.patient_id)
                .where(OutboxEmail.id.in_(ids))
                .order_by(OutboxEmail.next_attempt_at, OutboxEmail.id)
            ).all()
            # The last check before anything leaves: cancel what must not go, claim the rest.
            ended = {row.id: reason for row in rows if (reason := self._why_not(row)) is not None}
            if ended:
                cancel_emails(session, ended, now)
                log.info("mail worker %s cancelled %d emails", self.worker_id, len(ended))
            rows = [row for row in rows if row.id not in ended]
            if not rows:
                return []
            session.execute(
                update(OutboxEmail)
                .where(OutboxEmail.id.in_([row.id for row in rows]))
                .values(claimed_by=self.worker_id, claimed_until=until)
            )
        log.debug("mail worker %s claimed %d emails", self.worker_id, len(rows))
        return [
            ClaimedEmail(
                id=row.id,
                to=row.to_address,
                subject=row.subject,
                text=row.body_text,
                html=row.body_html,
                message_id=row.message_id,
                attempts=row.attempts,
                claimed_until=until,
                kind=row.kind,
                token_id=row.token_id,
                link=row.link,
            )
            for row in rows
        ]

    def _why_not(self, row: Any) -> EndReason | None:
        """Why this claimed row must be cancelled instead of sent (None: it may go)."""
        if not (row.to_address or "").strip():
            return None  # recorded as failed when sending: there is no address at all
        settings = self._clinic.settings
        return why_email_cannot_go(
            kind=row.kind,
            to_address=row.to_address,
            email_on_file=row.email_on_file,
            patient_status=row.patient_status,
            access_enabled=bool(row.access_enabled),
            access_off_reason=row.access_off_reason,
            placeholder=is_placeholder(
                row.to_address, settings.placeholder_domain, settings.placeholder_addresses
            ),
        )

    def still_mine(self, mail: ClaimedEmail) -> bool:
        """The email is still queued and claimed by this worker (checked right before sending it)."""
        with self._clinic.reading() as session:
            status = session.scalar(
                select(OutboxEmail.status).where(
                    OutboxEmail.id == mail.id, OutboxEmail.claimed_by == self.worker_id
                )
            )
        return status == EmailStatus.QUEUED

    def sent_after_all(self, mail: ClaimedEmail, at: datetime) -> bool:
        """Record as sent an email cancelled between the last check and the mail server's OK.

        Only a row cancelled since this worker claimed it (nobody else may send a cancelled
        row); True when it was one.
        """
        with self._clinic.transaction() as session:
            result = session.execute(
                update(OutboxEmail)
                .where(
                    OutboxEmail.id == mail.id,
                    OutboxEmail.status == EmailStatus.CANCELLED,
                    OutboxEmail.sent_at.is_(None),
                    or_(OutboxEmail.claimed_by.is_(None), OutboxEmail.claimed_by == self.worker_id),
                )
                .values(status=EmailStatus.SENT, sent_at=at, attempts=mail.attempts + 1, last_error=None)
                .execution_options(synchronize_session=False)
            )
            return bool(getattr(result, "rowcount", 0))

    def release(self, claimed: Sequence[ClaimedEmail]) -> None:
        """Give emails back untried (no attempt counted), so any worker may take them now."""
        if not claimed:
            return
        with self._clinic.transaction() as session:
            session.execute(
                update(OutboxEmail)
                .where(
                    OutboxEmail.id.in_([mail.id for mail in claimed]),
                    OutboxEmail.claimed_by == self.worker_id,
                    OutboxEmail.status == EmailStatus.QUEUED,
                )
                .values(claimed_by=None, claimed_until=None)
            )

    def update_own(
        self, mail: ClaimedEmail, then: Callable[[Session], None] | None = None, /, **values: object
    ) -> bool:
        """Change a row only while this worker still holds it; False when the claim was lost.

        ``then`` runs in the same transaction, only when the row was changed.
        """
        with self._clinic.transaction() as session:
            result = session.execute(
                update(OutboxEmail)
                .where(
                    OutboxEmail.id == mail.id,
                    OutboxEmail.claimed_by == self.worker_id,
                    OutboxEmail.status == EmailStatus.QUEUED,
                )
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            changed = bool(getattr(result, "rowcount", 0))
            if changed and then is not None:
                then(session)
            return changed
