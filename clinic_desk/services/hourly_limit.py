"""The clinic's hourly sending limit (setting ``mail_per_hour``), counted in the outbox itself.

A provider that sees too many emails an hour blocks the clinic's address. Every desk's
mail sender asks :func:`room_this_hour` in the same transaction that claims work: the
emails sent in the last rolling hour, plus those another sender holds right now, are
subtracted from the limit. The senders take turns on the setting's row while they count
and claim, so two desks never both spend the same room. What does not fit stays queued.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from clinic_desk.db.models import ClinicSetting, OutboxEmail
from clinic_desk.domain.codes import EmailStatus

HOUR = timedelta(hours=1)


def room_this_hour(session: Session, per_hour: int, now: datetime) -> int | None:
    """How many more emails may leave now (None: the clinic set no limit).

    Call it in the claiming transaction: it takes the limit's lock until that commits.
    """
    if per_hour <= 0:
        return None
    # The row exists once an administrator saved the limit; SQLite's writer holds the file anyway.
    session.execute(select(ClinicSetting.key).where(ClinicSetting.key == "mail_per_hour").with_for_update())
    sent = session.scalar(
        select(func.count())
        .select_from(OutboxEmail)
        .where(OutboxEmail.status == EmailStatus.SENT, OutboxEmail.sent_at > now - HOUR)
    )
    in_flight = session.scalar(
        select(func.count())
        .select_from(OutboxEmail)
        .where(OutboxEmail.status == EmailStatus.QUEUED, OutboxEmail.claimed_until > now)
    )
    return max(0, per_hour - int(sent or 0) - int(in_flight or 0))


def due_and_free(session: Session, now: datetime) -> int:
    """Queued emails due now that no sender holds: what waits when the limit is reached."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(OutboxEmail)
            .where(
                OutboxEmail.status == EmailStatus.QUEUED,
                OutboxEmail.next_attempt_at <= now,
                or_(OutboxEmail.claimed_until.is_(None), OutboxEmail.claimed_until <= now),
            )
        )
        or 0
    )
