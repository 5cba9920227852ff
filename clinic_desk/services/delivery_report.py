"""Delivery in plain values: the retry policy, what a run reports, the emails it holds while sending."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

# Waits after the 1st, 2nd, 3rd... failed attempt; the last one repeats.
BACKOFF: tuple[timedelta, ...] = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=2),
    timedelta(hours=4),
    timedelta(hours=8),
)
DEFAULT_MAX_ATTEMPTS = 8
# How long a claim holds; a crashed worker's emails are picked up again after this.
DEFAULT_LEASE = timedelta(minutes=10)

NO_SERVER = "No mail server is set up. Enter the clinic's SMTP server in Settings."
NO_PASSWORD = "The mail server password is not set on this computer. Enter it in Settings."
DATABASE_DOWN = "The clinic database could not be reached."


class MailProblem(StrEnum):
    """Why emails could not go out, for callers that act on it (the words are in ``problem``)."""

    NO_SERVER = "no_server"  # no SMTP server in the clinic settings
    NO_PASSWORD = "no_password"  # the server wants a password this computer does not have
    SERVER = "server"  # the mail server cannot be reached, or refused us
    DATABASE = "database"  # the clinic database cannot be reached


@dataclass(frozen=True)
class DeliveryReport:
    """What one delivery run did.

    ``problem`` says in plain words why the server could not be used, and ``problem_kind`` which
    :class:`MailProblem` that is (both None when nothing stood in the way).
    """

    sent: int = 0
    retried: int = 0
    failed: int = 0
    problem: str | None = None
    problem_kind: MailProblem | None = None
    # Due emails left queued because the clinic's hourly limit (``per_hour``) was reached.
    held_for_limit: int = 0
    per_hour: int = 0

    @property
    def total(self) -> int:
        """Emails this run finished with (sent, put back for later, or failed)."""
        return self.sent + self.retried + self.failed

    @property
    def limit_note(self) -> str | None:
        """'12 emails are waiting for the hourly sending limit (100 an hour).', or None."""
        if not self.held_for_limit:
            return None
        emails = "1 email is" if self.held_for_limit == 1 else f"{self.held_for_limit} emails are"
        return f"{emails} waiting for the hourly sending limit ({self.per_hour} an hour)."

    def __add__(self, other: DeliveryReport) -> DeliveryReport:
        return DeliveryReport(
            sent=self.sent + other.sent,
            retried=self.retried + other.retried,
            failed=self.failed + other.failed,
            problem=other.problem or self.problem,
            problem_kind=other.problem_kind if other.problem else self.problem_kind,
            # What waits is a state, not a sum: the later run says it.
            held_for_limit=other.held_for_limit,
            per_hour=other.per_hour or self.per_hour,
        )


@dataclass(frozen=True)
class ClaimedEmail:
    """One outbox row this worker holds, as plain values."""

    id: int
    to: str
    subject: str
    text: str
    html: str | None
    message_id: str
    attempts: int
    claimed_until: datetime
    kind: str = ""
    token_id: int | None = None
    link: str | None = None  # ends in ?token=...: removed from the stored copy once sent or failed
