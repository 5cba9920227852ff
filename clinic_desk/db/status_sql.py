"""The portal colour computed in SQL, to list or count patients without loading them.

Mirrors domain.status.color_of; a property test keeps the two in step.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, case, false, func, or_, select
from sqlalchemy.orm import Session

from clinic_desk.db.models import Patient, PortalAccount
from clinic_desk.domain import codes
from clinic_desk.domain.codes import Color


def _blank(column: Any) -> ColumnElement[bool]:
    return or_(column.is_(None), func.trim(column) == "")


def color_expression() -> ColumnElement[str]:
    """CASE expression giving 'red', 'gold' or 'blue' for a patients JOIN portal_accounts row."""
    red = or_(
        Patient.status.not_in(codes.PORTAL_STATUSES),
        PortalAccount.access_enabled == false(),
        _blank(Patient.email),
        _blank(Patient.zip_code),
    )
    never_logged_in = PortalAccount.last_login_at.is_(None) & (PortalAccount.login_count == 0)
    return case((red, "red"), (never_logged_in, "gold"), else_="blue")


def count_by_color(session: Session) -> dict[Color, int]:
    """How many patients have each colour."""
    color = color_expression().label("color")
    rows = session.execute(
        select(color, func.count())
        .select_from(Patient)
        .join(PortalAccount, PortalAccount.patient_id == Patient.id)
        .group_by(color)
    ).all()
    counts: dict[Color, int] = {"red": 0, "gold": 0, "blue": 0}
    for name, count in rows:
        counts[_as_color(name)] = int(count)
    return counts


def patients_with_color(session: Session, color: Color, limit: int = 100) -> list[int]:
    """Ids of patients with this colour, lowest id first."""
    query = (
        select(Patient.id)
        .join(PortalAccount, PortalAccount.patient_id == Patient.id)
        .where(color_expression() == color)
        .order_by(Patient.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def color_of_patients(session: Session, patient_ids: list[int]) -> dict[int, Color]:
    """The SQL colour of each given patient."""
    rows = session.execute(
        select(Patient.id, color_expression())
        .join(PortalAccount, PortalAccount.patient_id == Patient.id)
        .where(Patient.id.in_(patient_ids))
    ).all()
    return {pid: _as_color(color) for pid, color in rows}


def _as_color(value: str) -> Color:
    for color in codes.COLORS:
        if value == color:
            return color
    raise ValueError(f"unexpected colour {value!r}")
