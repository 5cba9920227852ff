"""The portal roster in SQL: every chart's colour and main reason, filtered, sorted and paged.

The colour and red reasons are read from the kept colour class (db/status_counts.py);
a chart written around the services (class not yet kept) has its class computed from
the same rule table (``status_sql.class_expression``). Time-dependent trouble spots
use the on-demand conditions of db/trouble_counts.py. Pages are fetched by keyset:
``after`` is the previous page's last sort key, so page 10 000 costs what page 1 does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    exists,
    false,
    func,
    or_,
    select,
    true,
    tuple_,
    union,
)
from sqlalchemy.orm import Session

from clinic_desk.db.models import OutboxEmail, Patient, PortalAccount, PortalToken
from clinic_desk.db.search import search_conditions
from clinic_desk.db.status_counts import class_trouble_sql, class_troubles
from clinic_desk.db.status_sql import RED_BITS, class_color, class_reasons
from clinic_desk.db.trouble_counts import (
    email_failed,
    expired_newest_links,
    failed_newest_emails,
    link_ran_out,
    locked_accounts,
)
from clinic_desk.domain import codes
from clinic_desk.domain.access import RED_RULES
from clinic_desk.domain.codes import Color
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.roster import (
    ROSTER_TROUBLES,
    RosterCounts,
    RosterFilter,
    RosterPage,
    RosterRow,
    RosterSort,
)
from clinic_desk.domain.roster_words import reason_words

_LINK_KINDS = (codes.INVITATION, codes.RESET)
# Trouble spots that depend on the time or on other tables: asked of each row on demand.
_ON_DEMAND = (codes.INVITATION_EXPIRED, codes.EMAIL_DELIVERY_FAILED, codes.ACCOUNT_LOCKED)
_KEYS_FROM = 12  # a page row's sort key columns start here


def chart_class() -> ColumnElement[int]:
    """The kept colour class (the roster classifies new charts before it lists them)."""
    return PortalAccount.__table__.c.status_class


def _newest(flag: ColumnElement[bool], table: Any, chart: Any = Patient.id) -> ColumnElement[int]:
    """1 when ``flag`` holds for the chart's newest row of ``table`` (one index probe per row);
    ``chart`` is the outer query's patient id column."""
    return (
        select(case((flag, 1), else_=0))
        .where(table.patient_id == chart, *([table.kind.in_(_LINK_KINDS)] if table is PortalToken else []))
        .order_by(table.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _expired(now: datetime) -> ColumnElement[bool]:
    return exists().where(PortalToken.patient_id == Patient.id, expired_newest_links(now))


def _failed() -> ColumnElement[bool]:
    return exists().where(OutboxEmail.patient_id == Patient.id, failed_newest_emails())


def _on_demand(code: str, now: datetime) -> ColumnElement[bool]:
    if code == codes.INVITATION_EXPIRED:
        return _expired(now)
    if code == codes.EMAIL_DELIVERY_FAILED:
        return _failed()
    return locked_accounts(now)


def filter_conditions(wanted: RosterFilter, now: datetime) -> list[ColumnElement[bool]]:
    """The conditions a chart (patients JOIN portal_accounts) must meet to be on this roster."""
    conditions: list[ColumnElement[bool]] = [PortalAccount.status_class.is_not(None)]
    klass = chart_class()
    if wanted.color is not None:
        conditions.append(Patient.color_rank == codes.COLORS.index(wanted.color))
    if wanted.reason is not None:
        bit = next((1 << n for n, rule in enumerate(RED_RULES) if rule.code == wanted.reason), 0)
        red = Patient.color_rank == codes.COLORS.index(codes.RED)  # the colour index narrows it first
        conditions.append(and_(red, klass.op("&")(bit) != 0) if bit & RED_BITS else false())
    if wanted.trouble is not None:
        if wanted.trouble in _ON_DEMAND:
            conditions.append(_on_demand(wanted.trouble, now))
        elif wanted.trouble in ROSTER_TROUBLES:
            conditions.append(class_trouble_sql(klass, wanted.trouble))
        else:
            conditions.append(false())
    if wanted.searches:
        conditions.append(or_(*_text_matches(wanted.text)))
    return conditions


def _text_matches(text: str) -> list[ColumnElement[bool]]:
    """The OR-ed kinds of match of a searching text (none of them: no chart matches)."""
    return search_conditions(text) or [false()]


def sort_key(sort: RosterSort) -> tuple[Any, ...]:
    """The columns a sort orders by; the last ones make each key unique."""
    if sort == "mrn":
        return (Patient.mrn,)
    if sort == "date_of_birth":
        return (Patient.date_of_birth, Patient.id)
    name = (Patient.last_key, Patient.first_key, Patient.id)
    if sort == "color":
        return (Patient.color_rank, *name)
    return name


def _pinned_rank(wanted: RosterFilter) -> int | None:
    """The colour rank every row of this filter has (a colour or a red reason), or None."""
    if wanted.color is not None:
        return codes.COLORS.index(wanted.color)
    if wanted.reason is not None:
        return codes.COLORS.index(codes.RED)
    return None


def _after(keys: tuple[Any, ...], after: tuple[Any, ...], descending: bool, pinned: int | None) -> Any:
    """The keyset condition: rows past ``after`` in sort order.

    By colour with the colour pinned by the filter, the rank is left out of the comparison:
    SQLite reads ``color_rank = ? AND (color_rank, name...) > (...)`` as an index search on the
    rank alone and walks every row of that colour up to the place (370 ms at 1M), whereas
    ``color_rank = ? AND (name...) > (...)`` starts in the index at the place.
    """
    if pinned is not None and len(keys) > 1:
        rank = after[0]
        if rank != pinned:  # the place is before or after every row of the colour
            return true() if (rank > pinned) == descending else false()
        keys, after = keys[1:], after[1:]
    where = tuple_(*keys) if len(keys) > 1 else keys[0]
    start = tuple_(*after) if len(keys) > 1 else after[0]
    return where < start if descending else where > start


def _joined() -> Select[Any]:
    return select().select_from(Patient).join(PortalAccount, PortalAccount.patient_id == Patient.id)


def roster_page(
    session: Session,
    wanted: RosterFilter,
    now: datetime,
    *,
    sort: RosterSort,
    descending: bool,
    after: tuple[Any, ...] | None,
    limit: int,
) -> RosterPage:
    """One page of the roster, in sort order from just after ``after``."""
    query = page_statement(wanted, now, sort=sort, descending=descending, after=after, limit=limit + 1)
    rows = session.execute(query).all()
    more = len(rows) > limit
    rows = rows[:limit]
    page = tuple(_row(row) for row in rows)
    next_after = tuple(rows[-1][_KEYS_FROM:]) if more and rows else None
    return RosterPage(page, next_after)


def page_statement(
    wanted: RosterFilter,
    now: datetime,
    *,
    sort: RosterSort,
    descending: bool,
    after: tuple[Any, ...] | None,
    limit: int,
) -> Select[Any]:
    """The statement of one page: ``limit`` rows, then the sort key's columns."""
    keys = sort_key(sort)
    conditions = filter_conditions(wanted, now)
    if after is not None:
        if len(after) != len(keys):
            raise ValidationError(
                "The roster page to continue from does not fit this sort; start from the top."
            )
        conditions.append(_after(keys, after, descending, _pinned_rank(wanted) if sort == "color" else None))
    order = [key.desc() if descending else key.asc() for key in keys]
    # The last invitation: the newest invitation or reset link (each such email carries one).
    last_link = (
        select(func.max(PortalToken.created_at))
        .where(PortalToken.patient_id == Patient.id, PortalToken.kind.in_(_LINK_KINDS))
        .scalar_subquery()
    )
    return (
        _joined()
        .add_columns(
            Patient.id,
            Patient.mrn,
            Patient.last_name,
            Patient.first_name,
            Patient.date_of_birth,
            Patient.status,
            chart_class(),
            _newest(link_ran_out(now), PortalToken),
            _newest(email_failed(), OutboxEmail),
            locked_accounts(now),
            last_link,
            PortalAccount.last_login_at,
            *keys,
        )
        .where(*conditions)
        .order_by(*order)
        .limit(limit)
    )


def _row(row: Any) -> RosterRow:
    (pid, mrn, last, first, born, status, klass, expired, failed, locked, link_at, login_at) = row[
        :_KEYS_FROM
    ]
    klass = int(klass)
    color = class_color(klass)
    reason = main_reason(
        klass,
        {
            codes.INVITATION_EXPIRED: expired,
            codes.EMAIL_DELIVERY_FAILED: failed,
            codes.ACCOUNT_LOCKED: locked,
        },
    )
    return RosterRow(
        patient_id=int(pid),
        mrn=mrn,
        last_name=last,
        first_name=first,
        date_of_birth=born,
        patient_status=status,
        color=color,
        main_reason=reason,
        main_reason_words=reason_words(reason),
        last_invited_at=link_at,
        last_login_at=login_at,
    )


def main_reason(klass: int, on_demand: dict[str, Any]) -> str:
    """Red: the first red reason; else the first roster trouble spot that holds, else the colour's own."""
    reasons = class_reasons(klass)
    if reasons:
        return reasons[0]
    kept = class_troubles(klass)
    for code in ROSTER_TROUBLES:
        if code in kept or on_demand.get(code):
            return code
    return codes.NEVER_LOGGED_IN if class_color(klass) == codes.GOLD else codes.HAS_LOGGED_IN


def roster_ids(session: Session, wanted: RosterFilter, now: datetime) -> list[int]:
    """Every chart id on this roster, lowest first."""
    query = _joined().add_columns(Patient.id).where(*filter_conditions(wanted, now)).order_by(Patient.id)
    return [int(pid) for pid in session.scalars(query)]


def counts_matching(session: Session, text: str, now: datetime) -> RosterCounts:
    """The roster's counts over the charts the text matches (counted by query)."""
    query = counts_statement(text, now)
    by_color: dict[Color, int] = dict.fromkeys(codes.COLORS, 0)
    by_reason = dict.fromkeys(codes.RED_REASONS, 0)
    by_trouble = dict.fromkeys(ROSTER_TROUBLES, 0)
    for row in session.execute(query).all():
        status_class, n = int(row[0]), int(row[-1])
        by_color[class_color(status_class)] += n
        for code in class_reasons(status_class):
            by_reason[code] += n
        held = set(class_troubles(status_class))
        held.update(code for code, flag in zip(_ON_DEMAND, row[1:-1], strict=True) if flag)
        for code in held & set(ROSTER_TROUBLES):
            by_trouble[code] += n
    return RosterCounts(by_color, by_reason, by_trouble, sum(by_color.values()))


def counts_statement(text: str, now: datetime) -> Select[Any]:
    """(colour class, expired, failed, locked, how many) over the charts the text matches.

    The matching ids come first, one index per kind of match (index-only once the
    table's pages are marked all-visible), in id order: the accounts are then read in
    the order they lie on disk.
    """
    # As on the roster's page: text with nothing searchable in it filters nothing.
    found = _text_matches(text) if RosterFilter(text=text).searches else [true()]
    ids = (
        union(*[select(Patient.id.label("id")).where(condition) for condition in found])
        .order_by("id")
        .subquery()
    )
    klass = PortalAccount.status_class.label("klass")
    # One index probe per matching chart for each (never a hash of every expired link in the clinic).
    flag_columns = [
        _newest(link_ran_out(now), PortalToken, PortalAccount.patient_id).label("expired"),
        _newest(email_failed(), OutboxEmail, PortalAccount.patient_id).label("failed"),
        case((locked_accounts(now), 1), else_=0).label("locked"),
    ]
    return (
        select(klass, *flag_columns, func.count())
        .select_from(ids)
        .join(PortalAccount, PortalAccount.patient_id == ids.c.id)
        .where(PortalAccount.status_class.is_not(None))
        .group_by(klass, *flag_columns)
    )
