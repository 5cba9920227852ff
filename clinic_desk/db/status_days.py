"""The daily record of portal status (DESIGN.md section 6) and the adoption figures read from it."""

from __future__ import annotations

from datetime import date, datetime
from statistics import median

from sqlalchemy import exists, func, insert, select
from sqlalchemy.orm import Session

from clinic_desk.db.models import Patient, PortalAccount, PortalStatusDay
from clinic_desk.domain import codes


def recorded(session: Session, day: date) -> bool:
    """Whether the day's status is on record already."""
    return bool(session.scalar(select(exists().where(PortalStatusDay.day == day))))


def active_by_color(session: Session) -> dict[str, int]:
    """How many active patients have each colour now (one pass over the charts: read outside any
    write transaction, so a long count never holds a local file's write lock)."""
    rows = session.execute(
        select(Patient.color_rank, func.count())
        .where(Patient.status == codes.ACTIVE, Patient.color_rank.is_not(None))
        .group_by(Patient.color_rank)
    ).all()
    counts: dict[str, int] = dict.fromkeys(codes.COLORS, 0)
    for rank, n in rows:
        counts[codes.COLORS[int(rank or 0)]] += int(n)  # never NULL: filtered above
    return counts


def record_day(session: Session, day: date, counts: dict[str, int]) -> None:
    """Write the day's counts (one row per colour; the day is unique)."""
    session.execute(
        insert(PortalStatusDay), [{"day": day, "color": color, "patients": n} for color, n in counts.items()]
    )


def days_since(session: Session, first: date) -> dict[date, dict[str, int]]:
    """{day: {colour: active patients}} for every recorded day from ``first`` on."""
    found: dict[date, dict[str, int]] = {}
    query = select(PortalStatusDay.day, PortalStatusDay.color, PortalStatusDay.patients).where(
        PortalStatusDay.day >= first
    )
    for day, color, n in session.execute(query):
        found.setdefault(day, {})[color] = int(n)
    return found


def median_days_to_first_login(session: Session, since: datetime) -> float | None:
    """Median days from chart creation to first login, over every first login since ``since``."""
    joined = (
        select()
        .select_from(PortalAccount)
        .join(Patient, Patient.id == PortalAccount.patient_id)
        .where(PortalAccount.first_login_at >= since)
    )
    if session.get_bind().dialect.name == "postgresql":  # the server sorts; nothing crosses the wire
        seconds = func.extract("epoch", PortalAccount.first_login_at - Patient.created_at)
        found = session.scalar(joined.add_columns(func.percentile_cont(0.5).within_group(seconds)))
        return None if found is None else max(0.0, float(found)) / 86400
    rows = session.execute(joined.add_columns(PortalAccount.first_login_at, Patient.created_at)).all()
    days = [(first - made).total_seconds() / 86400 for first, made in rows if first is not None]
    return max(0.0, median(days)) if days else None
