"""The roster's upkeep: charts classified before they are listed, the daily status record, adoption.

A chart written around the services (an outside load) has no colour class and rank
yet; the roster classifies such charts first, in one transaction, so they list in the
right place and count (a second desk doing the same waits, then finds nothing to do).
"""

from __future__ import annotations

import time
from datetime import date, datetime
from datetime import time as midnight

from sqlalchemy.orm import Session

from clinic_desk.db import status_counts, status_days
from clinic_desk.domain import codes
from clinic_desk.domain.errors import ConflictError
from clinic_desk.domain.roster import Adoption, AdoptionMonth
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.count_keeping import placeholders_of
from clinic_desk.services.database import ClinicDatabase

# How often a desk looks for charts written around the services: the look reads the
# partial index, whose dead entries a never-vacuumed server keeps (tens of ms at 1M).
LOOK_EVERY_S = 30.0


class ClassifyFirst:
    """Classifies charts written without a class before the roster lists them, looking now and then."""

    def __init__(self, db: ClinicDatabase) -> None:
        self._db = db
        self._looked_at: float | None = None

    def __call__(self) -> int:
        """Classify charts written without a class, if any (looked for every LOOK_EVERY_S at most)."""
        now = time.monotonic()
        if self._looked_at is not None and now - self._looked_at < LOOK_EVERY_S:
            return 0
        found = classify_first(self._db)
        self._looked_at = now
        return found


def classify_first(db: ClinicDatabase) -> int:
    """Classify charts written without a class, if any; how many."""
    if not db.glance(lambda session, _ctx: status_counts.any_unclassified(session)):
        return 0

    def classify(session: Session, ctx: ServiceContext) -> int:
        return status_counts.classify_unclassified(session.connection(), placeholders_of(ctx.settings))

    return db.run(classify)


def record_daily_status(db: ClinicDatabase) -> bool:
    """Record today's colour counts of active patients, once a day; True if this call wrote them."""
    classify_first(db)
    today = db.now().date()
    if db.glance(lambda session, _ctx: status_days.recorded(session, today)):
        return False

    counts = db.glance(lambda session, _ctx: status_days.active_by_color(session))

    def record(session: Session, _ctx: ServiceContext) -> bool:
        if status_days.recorded(session, today):
            return False
        status_days.record_day(session, today, counts)
        return True

    try:
        return db.run(record)
    except ConflictError:  # another desk recorded the day at the same moment (the day is unique)
        return False


def adoption(db: ClinicDatabase, months: int) -> Adoption:
    """The last ``months`` months' colour counts (a month's last recorded day) and the median days
    from chart creation to first login, over the first logins in those months."""
    now = db.now()
    first_month = _months_back(now.date().replace(day=1), months - 1)

    def read(session: Session, _ctx: ServiceContext) -> Adoption:
        days = status_days.days_since(session, first_month)
        latest: dict[date, date] = {}
        for day in days:
            month = day.replace(day=1)
            latest[month] = max(day, latest.get(month, day))
        rows = tuple(
            AdoptionMonth(
                month,
                days[day].get(codes.RED, 0),
                days[day].get(codes.GOLD, 0),
                days[day].get(codes.BLUE, 0),
            )
            for month, day in sorted(latest.items())
        )
        since = datetime.combine(first_month, midnight(), tzinfo=now.tzinfo)
        return Adoption(rows, status_days.median_days_to_first_login(session, since))

    with db.reading() as session:
        return read(session, db.ctx)


def _months_back(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)
