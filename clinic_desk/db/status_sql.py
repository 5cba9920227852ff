"""The portal colour and red reasons computed in SQL, to list or count patients without loading them.

Compiled from the rule table in ``clinic_desk.domain.access`` (the one home of the
rule): each red reason becomes a SQL condition, and red is "any red reason holds",
exactly as in Python. A test enumerates every combination of the rule's inputs on
every database and compares the two.
"""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, case, exists, false, func, literal, or_, select, true
from sqlalchemy.orm import Session, aliased

from clinic_desk.db.models import Patient, PortalAccount, PortalToken
from clinic_desk.domain import codes
from clinic_desk.domain.access import RED_RULES, Condition, RedRule, color_from, is_blank
from clinic_desk.domain.codes import Color

_COLUMNS: dict[str, Any] = {
    "patient_status": Patient.status,
    "access_enabled": PortalAccount.access_enabled,
    "access_off_reason": PortalAccount.access_off_reason,
    "email": Patient.email,
    "zip_code": Patient.zip_code,
}


def _condition(condition: Condition) -> ColumnElement[bool]:
    column = _COLUMNS[condition.fact]
    value = condition.value
    if condition.test == "blank":
        return or_(column.is_(None), func.trim(column) == "")
    if isinstance(value, bool):
        flag = true() if value else false()
        return and_(column == flag) if condition.test == "is" else and_(column != flag)
    if condition.test == "is":
        return and_(column == literal(value))
    if condition.test == "is_not":
        return or_(column.is_(None), column != literal(value))
    values = value if isinstance(value, tuple) else (value,)
    if condition.test == "in":
        return and_(column.in_(values))
    return or_(column.is_(None), column.not_in(values))


def reason_expression(rule: RedRule) -> ColumnElement[bool]:
    """True for a patients JOIN portal_accounts row when this red reason holds."""
    return and_(*(_condition(condition) for condition in rule.when))


def red_expression() -> ColumnElement[bool]:
    """True when any red reason holds."""
    return or_(*(reason_expression(rule) for rule in RED_RULES))


def color_expression() -> ColumnElement[str]:
    """CASE expression giving 'red', 'gold' or 'blue' for a patients JOIN portal_accounts row."""
    return case((red_expression(), codes.RED), (~logged_in_expression(), codes.GOLD), else_=codes.BLUE)


#: The colour class of a chart packs its red reasons (one bit each, in RED_RULES order),
#: whether it ever logged in, whether access is on and whether any link was ever made
#: for it: everything the colour, the red reasons and ``no_invitation_sent`` are read from.
#: (db/status_counts.py adds bits the domain decides in Python above these.)
LOGGED_IN_BIT = 1 << len(RED_RULES)
ACCESS_ON_BIT = LOGGED_IN_BIT << 1
HAS_LINK_BIT = LOGGED_IN_BIT << 2
HAS_TWIN_BIT = LOGGED_IN_BIT << 3  # another chart has the same email (key)
FAILED_LOGINS_BIT = LOGGED_IN_BIT << 4  # failed logins since the last good one
SQL_CLASS_BITS = 5 + len(RED_RULES)


def logged_in_expression() -> ColumnElement[bool]:
    """True when the patient ever logged in (domain.access.has_logged_in, in SQL)."""
    return PortalAccount.last_login_at.is_not(None) | (PortalAccount.login_count > 0)


def class_expression() -> ColumnElement[int]:
    """The colour class of a patients JOIN portal_accounts row, compiled from the same rule table."""
    bits = [case((reason_expression(rule), 1 << n), else_=0) for n, rule in enumerate(RED_RULES)]
    any_link = exists().where(PortalToken.patient_id == PortalAccount.patient_id)
    other = aliased(Patient)
    twin = exists().where(other.email_key == Patient.email_key, other.id != Patient.id)
    bits += [
        case((logged_in_expression(), LOGGED_IN_BIT), else_=0),
        case((PortalAccount.access_enabled == true(), ACCESS_ON_BIT), else_=0),
        case((any_link, HAS_LINK_BIT), else_=0),
        case((twin, HAS_TWIN_BIT), else_=0),
        case((PortalAccount.failed_logins > 0, FAILED_LOGINS_BIT), else_=0),
    ]
    total: ColumnElement[int] = literal(0)
    for bit in bits:
        total = total + bit
    return total


class _Facts(NamedTuple):
    patient_status: str
    access_enabled: bool
    access_off_reason: str | None
    email: str | None
    zip_code: str | None


# Facts the rule table only ever tests for being blank: the red bits depend on blankness
# alone, so one evaluation per shape of chart does for a whole bulk load.
_BLANK_ONLY = tuple(
    all(c.test == "blank" for rule in RED_RULES for c in rule.when if c.fact == fact)
    for fact in _Facts._fields
)


def class_of(
    patient_status: str,
    access_enabled: bool,
    access_off_reason: str | None,
    email: str | None,
    zip_code: str | None,
    *,
    logged_in: bool,
    has_link: bool,
    has_twin: bool,
    failed_logins: int,
) -> int:
    """``class_expression()`` for one chart, in Python, from the same rule table.

    A bulk load classifies its rows as it writes them (a million UPDATEs afterwards would
    take longer than the load); a test holds the two equal for every combination.
    """
    facts = (patient_status, access_enabled, access_off_reason, email, zip_code)
    shape = _Facts._make(
        (None if is_blank(value) else "x") if blank_only else value
        for blank_only, value in zip(_BLANK_ONLY, facts, strict=True)
    )
    total = _red_bits(shape)
    if logged_in:
        total |= LOGGED_IN_BIT
    if access_enabled:
        total |= ACCESS_ON_BIT
    if has_link:
        total |= HAS_LINK_BIT
    if has_twin:
        total |= HAS_TWIN_BIT
    if failed_logins > 0:
        total |= FAILED_LOGINS_BIT
    return total


@cache
def _red_bits(facts: _Facts) -> int:
    return sum(1 << n for n, rule in enumerate(RED_RULES) if rule.holds(facts))


RED_BITS = LOGGED_IN_BIT - 1  # one bit per red reason, below the logged-in bit


def class_color_sql(status_class: ColumnElement[Any]) -> ColumnElement[str]:
    """SQL: the colour of a colour class, by enumerating the domain's rule over its two inputs."""
    any_red = status_class.op("&")(RED_BITS) != 0
    logged_in = status_class.op("&")(LOGGED_IN_BIT) != 0
    whens = []
    for red in (True, False):
        for logged in (True, False):
            color = color_from((RED_RULES[0].code,) if red else (), logged)
            whens.append((and_(any_red if red else ~any_red, logged_in if logged else ~logged_in), color))
    return case(*whens[:-1], else_=whens[-1][1])


def class_rank_sql(status_class: ColumnElement[Any]) -> ColumnElement[int]:
    """SQL: the colour's place in the roster order (codes.COLORS: 0 red, 1 gold, 2 blue)."""
    color = class_color_sql(status_class)
    last = len(codes.COLORS) - 1
    return case(*((color == name, rank) for rank, name in enumerate(codes.COLORS[:last])), else_=last)


def class_rank(status_class: int) -> int:
    """The colour's place in the roster order (codes.COLORS)."""
    return codes.COLORS.index(class_color(status_class))


def class_reasons(status_class: int) -> tuple[str, ...]:
    """The red reason codes packed in a colour class, in contract order."""
    return tuple(rule.code for n, rule in enumerate(RED_RULES) if status_class & (1 << n))


def class_color(status_class: int) -> Color:
    """The colour of a colour class, by the domain's rule."""
    return color_from(class_reasons(status_class), bool(status_class & LOGGED_IN_BIT))


def red_reasons_of_patients(session: Session, patient_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """The SQL red reason codes of each given patient, in contract order."""
    columns = [case((reason_expression(rule), 1), else_=0).label(rule.code) for rule in RED_RULES]
    rows = session.execute(
        select(Patient.id, *columns)
        .join(PortalAccount, PortalAccount.patient_id == Patient.id)
        .where(Patient.id.in_(patient_ids))
    ).all()
    return {
        row[0]: tuple(rule.code for rule, flag in zip(RED_RULES, row[1:], strict=True) if flag)
        for row in rows
    }


def count_by_color(session: Session) -> dict[Color, int]:
    """How many patients have each colour, by reading every chart (the recount the kept counts must equal)."""
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
