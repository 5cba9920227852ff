"""What became of each email a worker tried: sent, queued again for a later try, or failed.

One transaction per email, changed only while the worker still holds it
(:meth:`OutboxClaims.update_own`). 4xx replies and connection trouble queue the email
again with ``attempts + 1`` and a later ``next_attempt_at``; 5xx replies, or too many
attempts, fail it. A ``sent`` or ``failed`` email keeps no working link at rest: its
token leaves ``link`` and both bodies in the same transaction, and a sent link's
lifetime starts at the sending.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from clinic_desk.db.models import PortalToken
from clinic_desk.domain.codes import EmailStatus
from clinic_desk.services.database import ClinicDatabase
from clinic_desk.services.delivery_report import ClaimedEmail
from clinic_desk.services.outbox import link_lifetime, without_token
from clinic_desk.services.outbox_claims import OutboxClaims

# The mail worker's one log, whichever of its files writes the line.
log = logging.getLogger("clinic_desk.services.delivery")


class DeliveryOutcomes:
    """Records each try of the emails ``claims`` holds, with the worker's retry policy."""

    def __init__(
        self,
        clinic: ClinicDatabase,
        claims: OutboxClaims,
        max_attempts: int,
        backoff: Sequence[timedelta],
    ) -> None:
        self._clinic = clinic
        self._claims = claims
        self.max_attempts = max_attempts
        self.backoff = tuple(backoff)

    def finish_sent(self, mail: ClaimedEmail) -> int:
        now = self._clinic.now()
        lifetime = link_lifetime(self._clinic.settings, mail.kind) if mail.token_id else None

        def start_link_life(session: Session) -> None:
            # The link's lifetime starts now that its email has left (DESIGN.md section 1).
            if lifetime is None:
                return
            session.execute(
                update(PortalToken)
                .where(
                    PortalToken.id == mail.token_id,
                    PortalToken.used_at.is_(None),
                    PortalToken.revoked_at.is_(None),
                )
                .values(expires_at=now + lifetime)
                .execution_options(synchronize_session=False)
            )

        done = self._claims.update_own(
            mail,
            start_link_life,
            status=EmailStatus.SENT,
            sent_at=now,
            attempts=mail.attempts + 1,
            last_error=None,
            claimed_until=None,
            **without_token(mail.link, mail.text, mail.html),
        )
        if not done:
            if self._claims.sent_after_all(mail, now):
                # Cancelled (a newer invitation replaced it...) while it was on its way: it did
                # leave, so the row says sent; its cancel reason stays, its link stays ended.
                log.info("email %d was cancelled while it was being sent: recorded as sent", mail.id)
            else:
                log.warning("email %d was sent but its claim had been lost", mail.id)
        return 1

    def finish_failed(self, mail: ClaimedEmail, reason: str) -> int:
        now = self._clinic.now()
        self._claims.update_own(
            mail,
            status=EmailStatus.FAILED,
            failed_at=now,
            attempts=mail.attempts + 1,
            last_error=_clip(reason),
            claimed_until=None,
            **without_token(mail.link, mail.text, mail.html),
        )
        return 1

    def retry_or_fail(self, mail: ClaimedEmail, reason: str) -> str:
        attempts = mail.attempts + 1
        if attempts >= self.max_attempts:
            log.info("email %d: giving up after %d attempts", mail.id, attempts)
            self.finish_failed(
                mail, f"Gave up after {attempts} attempts over several hours. Last problem: {reason}"
            )
            return "failed"
        wait = self.backoff[min(attempts, len(self.backoff)) - 1]
        self._claims.update_own(
            mail,
            attempts=attempts,
            next_attempt_at=self._clinic.now() + wait,
            last_error=_clip(reason),
            claimed_by=None,
            claimed_until=None,
        )
        return "retried"


def _clip(text: str) -> str:
    # outbox_emails.last_error holds 500 characters.
    return text if len(text) <= 500 else text[:497] + "..."
