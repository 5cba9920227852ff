"""Counts by colour, red reason and the lasting trouble spots at a million charts, kept in step.

Why this shape (DESIGN.md section 6: no single row written by every action):

- Each portal account stores its *colour class*: the red reasons, logged-in, access on,
  "a link was made" and "another chart has this email" bits compiled to SQL from the
  one rule table (``status_sql.class_expression``), plus the trouble spots the domain
  decides from the chart's own email and username (``domain.status``). A change
  re-reads the class of the charts it touched (and of the one or two charts sharing an
  email it took or left), in its own transaction.
- When a class changes, the change appends two rows to ``status_count_deltas``
  (-1 for the old class, +1 for the new one). Appending never waits on another desk,
  unlike a shared counter row that every desk would update (and queue on) at once.
- A count sums the delta rows by class: a few hundred rows, whatever the number of
  charts. Now and then a writer folds the rows into one per class; the rows it folds
  are locked with SKIP LOCKED, so two folding desks never take the same row or wait.
- Charts written around the services (a bulk load, an old database) keep a NULL
  class until ``classify_unclassified`` runs, in the same transaction (a partial index
  finds them). Counts read the kept sums only: on a never-vacuumed PostgreSQL the
  partial index still holds every bulk-loaded row, too many to read per count.
- The placeholder settings feed the email bits: changing them re-classifies every
  chart (:func:`reclassify_all`, an administrator's rare action).
- Two desks giving charts the same email at once on PostgreSQL take turns on an
  advisory lock per email key, so the later one sees the earlier one's chart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    bindparam,
    delete,
    false,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session, aliased

from clinic_desk.db.models import Patient, PortalAccount, StatusCountDelta
from clinic_desk.db.status_sql import (
    ACCESS_ON_BIT,
    FAILED_LOGINS_BIT,
    HAS_LINK_BIT,
    HAS_TWIN_BIT,
    LOGGED_IN_BIT,
    SQL_CLASS_BITS,
    class_color,
    class_expression,
    class_rank,
    class_rank_sql,
    class_reasons,
)
from clinic_desk.domain import codes
from clinic_desk.domain.codes import Color
from clinic_desk.domain.email_checks import DEFAULT_PLACEHOLDER_ADDRESSES, DEFAULT_PLACEHOLDER_DOMAIN
from clinic_desk.domain.trouble_spots import chart_email_troubles, has_shared_email, lacks_invitation

# A writer folds the delta rows when the one it appends has an id divisible by this.
FOLD_EVERY = 256
# Charts classified per statement after a bulk load (each statement well inside the
# desk's answer deadline on a busy server).
CLASSIFY_CHUNK = 20_000
# At most this many rows are folded at once (keeps the IN list and the lock short).
FOLD_ROWS = 5000

# The first key of the two-key advisory locks taken per email key (apart from other locks).
_EMAIL_LOCK_CLASS = 7014

_JOINED = select().select_from(PortalAccount).join(Patient, Patient.id == PortalAccount.patient_id)


@dataclass(frozen=True)
class Placeholders:
    """The clinic's placeholder settings, which the email bits depend on."""

    domain: str = DEFAULT_PLACEHOLDER_DOMAIN
    addresses: tuple[str, ...] = DEFAULT_PLACEHOLDER_ADDRESSES


#: Trouble spots kept in the class above the SQL bits, decided in Python by the domain.
EMAIL_TROUBLE_BITS: dict[str, int] = {
    code: 1 << (SQL_CLASS_BITS + n)
    for n, code in enumerate(
        (codes.PLACEHOLDER_EMAIL, codes.EMAIL_POSSIBLE_TYPO, codes.USERNAME_IS_OLD_EMAIL, codes.SHARED_EMAIL)
    )
}


def full_class(sql_class: int, email: str | None, username: str | None, placeholders: Placeholders) -> int:
    """The SQL bits plus the trouble spots the domain decides from the chart's email and username."""
    if not email and not username:
        return sql_class
    found = chart_email_troubles(email, username, placeholders.domain, placeholders.addresses)
    if has_shared_email(email, bool(sql_class & HAS_TWIN_BIT), placeholders.domain, placeholders.addresses):
        found += (codes.SHARED_EMAIL,)
    return sql_class + sum(EMAIL_TROUBLE_BITS[code] for code in found)


@cache  # statements are immutable; building this one costs more than running it
def _class_rows() -> Select[Any]:
    columns = (
        PortalAccount.patient_id,
        PortalAccount.status_class,
        class_expression(),
        Patient.email,
        PortalAccount.username,
    )
    return _JOINED.add_columns(*columns)


def reclassify(
    connection: Connection, patient_ids: Iterable[int], placeholders: Placeholders, *, ranks: bool = True
) -> None:
    """Bring the stored class of these charts up to date and append the count deltas.

    ``ranks=False``: leave ``patients.color_rank`` alone (migration 0008 runs before it exists).
    """
    ids = sorted(set(patient_ids))
    if not ids:
        return
    dialect = connection.dialect.name
    read = _class_rows().where(PortalAccount.patient_id.in_(ids))
    if dialect == "postgresql":
        # Wait for any desk still changing these accounts, then read what it committed:
        # the last desk to take the lock sees every change (READ COMMITTED, a new statement).
        connection.execute(
            select(PortalAccount.patient_id).where(PortalAccount.patient_id.in_(ids)).with_for_update()
        )
    elif dialect in ("mysql", "mariadb"):
        read = read.with_for_update()  # a locking read sees the newest committed rows
    changes = Counter[int]()
    moved: list[tuple[int, int]] = []
    for patient_id, stored, sql_class, email, username in connection.execute(read).all():
        current = full_class(int(sql_class), email, username, placeholders)
        if stored == current:
            continue
        if stored is not None:
            changes[stored] -= 1
        changes[current] += 1
        moved.append((patient_id, current))
    if not moved:
        return
    for patient_id, current in moved:
        connection.execute(
            update(PortalAccount).where(PortalAccount.patient_id == patient_id).values(status_class=current)
        )
        if not ranks:
            continue
        # The chart row is written only when the colour itself moves (rare: not on each login).
        rank = class_rank(current)
        connection.execute(
            update(Patient)
            .where(Patient.id == patient_id, or_(Patient.color_rank.is_(None), Patient.color_rank != rank))
            .values(color_rank=rank)
        )
    _append(connection, changes)


def twins_to_recheck(connection: Connection, email_keys: Iterable[str]) -> set[int]:
    """The charts whose "another chart has my email" bit may have changed when a chart with
    one of these email keys came or went: only a group of one or two can change."""
    found: set[int] = set()
    for key in sorted(set(email_keys)):
        if connection.dialect.name == "postgresql":
            # Desks giving charts the same email take turns here, so the later one sees the
            # earlier one's chart (READ COMMITTED: the next statement reads what it committed).
            connection.execute(select(func.pg_advisory_xact_lock(_EMAIL_LOCK_CLASS, func.hashtext(key))))
        ids = connection.scalars(select(Patient.id).where(Patient.email_key == key).limit(3)).all()
        if len(ids) <= 2:
            found.update(ids)
    return found


def forget(connection: Connection, status_classes: Iterable[int | None]) -> None:
    """Charts deleted: take them out of the counts."""
    changes = Counter[int]()
    for status_class in status_classes:
        if status_class is not None:
            changes[status_class] -= 1
    _append(connection, changes)


def classify_unclassified(connection: Connection, placeholders: Placeholders, *, ranks: bool = True) -> int:
    """Classify every chart written without a class (a bulk load); how many.

    In chunks of ids, so no statement outlasts the desk's answer deadline: one read
    per chunk (the email bits are decided in Python), one UPDATE storing the SQL bits,
    and the few charts with email trouble written one by one.
    """
    counts = Counter[int]()
    twins: set[int] = set()
    after = 0
    while True:
        # Locked: a second desk classifying at once waits, then finds these classified.
        ids = connection.scalars(
            select(PortalAccount.patient_id)
            .where(PortalAccount.status_class.is_(None), PortalAccount.patient_id > after)
            .order_by(PortalAccount.patient_id)
            .limit(CLASSIFY_CHUNK)
            .with_for_update()
        ).all()
        if not ids:
            break
        after = ids[-1]
        chunk = and_(PortalAccount.status_class.is_(None), PortalAccount.patient_id.between(ids[0], ids[-1]))
        twins.update(_classified_twins_of(connection, chunk))
        troubled: list[dict[str, int]] = []
        for patient_id, _, sql_class, email, username in connection.execute(_class_rows().where(chunk)):
            extra = full_class(int(sql_class), email, username, placeholders) - int(sql_class)
            counts[int(sql_class) + extra] += 1
            if extra:
                troubled.append({"pid": patient_id, "extra": extra})
        connection.execute(
            update(PortalAccount)
            .where(PortalAccount.patient_id == Patient.id, chunk)
            .values(status_class=class_expression())
        )
        if troubled:
            connection.execute(
                update(PortalAccount)
                .where(PortalAccount.patient_id == bindparam("pid"))
                .values(status_class=PortalAccount.status_class + bindparam("extra")),
                troubled,
            )
        if ranks:
            fill_color_ranks(connection, ids[0], ids[-1])
    if not counts:
        return 0
    connection.execute(
        insert(StatusCountDelta), [{"status_class": key, "n": value} for key, value in counts.items()]
    )
    reclassify(connection, twins, placeholders, ranks=ranks)
    return sum(counts.values())


def count_loaded(connection: Connection, classes: Counter[int], placeholders: Placeholders) -> None:
    """A bulk load wrote its charts already classified (``classes``: how many of each): count them,
    then give the twin bit to every chart now sharing an email with another (the load's rows
    were classified one at a time, without looking at the others)."""
    _append(connection, classes)
    shared = (
        select(Patient.email_key)
        .where(Patient.email_key.is_not(None))
        .group_by(Patient.email_key)
        .having(func.count() > 1)
    )
    unmarked = connection.scalars(
        select(PortalAccount.patient_id)
        .join(Patient, Patient.id == PortalAccount.patient_id)
        .where(
            Patient.email_key.in_(shared),
            PortalAccount.status_class.is_not(None),
            PortalAccount.status_class.op("&")(HAS_TWIN_BIT) == 0,
        )
    ).all()
    reclassify(connection, unmarked, placeholders)


def fill_color_ranks(connection: Connection, first: int | None = None, last: int | None = None) -> None:
    """Bring ``patients.color_rank`` in step with the kept classes (charts ``first``..``last``, or all)."""
    if first is None or last is None:
        top = int(connection.scalar(select(func.max(PortalAccount.patient_id))) or 0)
        for start in range(0, top + 1, CLASSIFY_CHUNK):  # chunks: each statement inside the deadline
            fill_color_ranks(connection, start, start + CLASSIFY_CHUNK - 1)
        return
    rank = (
        select(class_rank_sql(PortalAccount.__table__.c.status_class))
        .where(PortalAccount.patient_id == Patient.id, PortalAccount.status_class.is_not(None))
        .scalar_subquery()
    )
    connection.execute(
        update(Patient)
        .where(Patient.id.between(first, last))
        .values(color_rank=rank)
        .execution_options(synchronize_session=False)
    )


def _classified_twins_of(connection: Connection, chunk: ColumnElement[bool]) -> list[int]:
    """Charts already counted as having no twin that a chart of this chunk shares an email with."""
    new, old = aliased(Patient), aliased(Patient)
    old_account = aliased(PortalAccount)
    query = (
        select(old.id)
        .distinct()
        .select_from(PortalAccount)
        .join(new, new.id == PortalAccount.patient_id)
        .join(old, and_(old.email_key == new.email_key, old.id != new.id))
        .join(old_account, old_account.patient_id == old.id)
        .where(
            chunk,
            old_account.status_class.is_not(None),
            old_account.status_class.op("&")(HAS_TWIN_BIT) == 0,
        )
    )
    return list(connection.scalars(query))


def reclassify_all(connection: Connection, placeholders: Placeholders) -> int:
    """Classify every chart again from scratch (the placeholder settings changed)."""
    connection.execute(delete(StatusCountDelta))
    last = int(connection.scalar(select(func.max(PortalAccount.patient_id))) or 0)
    for first in range(0, last + 1, CLASSIFY_CHUNK):  # chunks: each statement inside the deadline
        connection.execute(
            update(PortalAccount)
            .where(PortalAccount.patient_id.between(first, first + CLASSIFY_CHUNK - 1))
            .values(status_class=None)
        )
    return classify_unclassified(connection, placeholders)


def any_unclassified(session: Session) -> bool:
    """Whether a chart was written without a class (the partial index answers)."""
    return (
        session.scalar(select(PortalAccount.patient_id).where(PortalAccount.status_class.is_(None)).limit(1))
        is not None
    )


def counts_by_class(session: Session) -> dict[int, int]:
    """How many charts are in each class: one read of a few hundred rows, whatever the number of charts."""
    kept = select(StatusCountDelta.status_class, func.sum(StatusCountDelta.n))
    rows = session.execute(kept.group_by(StatusCountDelta.status_class))
    return {int(status_class): int(total) for status_class, total in rows if total}


def fold(connection: Connection) -> int:
    """Fold the delta rows no other desk is folding into one row per class; how many were folded."""
    rows = connection.execute(
        select(StatusCountDelta.id, StatusCountDelta.status_class, StatusCountDelta.n)
        .order_by(StatusCountDelta.id)
        .limit(FOLD_ROWS)
        .with_for_update(skip_locked=True)
    ).all()
    if len(rows) < 2:
        return 0
    connection.execute(delete(StatusCountDelta).where(StatusCountDelta.id.in_([row.id for row in rows])))
    sums = Counter[int]()
    for row in rows:
        sums[row.status_class] += row.n
    _insert(connection, {key: value for key, value in sums.items() if value})
    return len(rows)


@cache
def _unclassified() -> Select[Any]:
    """The charts written without a class (the partial index finds them)."""
    return _class_rows().where(PortalAccount.status_class.is_(None))


def _append(connection: Connection, changes: Counter[int]) -> None:
    ids = _insert(connection, {key: value for key, value in changes.items() if value})
    if any(new_id % FOLD_EVERY == 0 for new_id in ids):
        fold(connection)


def _insert(connection: Connection, changes: dict[int, int]) -> list[int]:
    ids: list[int] = []
    for status_class, n in changes.items():
        row = insert(StatusCountDelta).values(status_class=status_class, n=n)
        statement = row.returning(StatusCountDelta.id)
        ids.append(int(connection.execute(statement).scalar_one()))
    return ids


def count_by_color(session: Session) -> dict[Color, int]:
    """How many charts have each colour, from the kept counts."""
    counts: dict[Color, int] = dict.fromkeys(codes.COLORS, 0)
    for status_class, n in counts_by_class(session).items():
        counts[class_color(status_class)] += n
    return counts


def count_by_reason(session: Session) -> dict[str, int]:
    """How many charts each red reason holds for, from the kept counts (a chart may have several)."""
    counts = dict.fromkeys(codes.RED_REASONS, 0)
    for status_class, n in counts_by_class(session).items():
        for code in class_reasons(status_class):
            counts[code] += n
    return counts


def class_troubles(status_class: int) -> tuple[str, ...]:
    """The trouble spots kept in a colour class (``no_invitation_sent``, the email ones, failed logins)."""
    found: list[str] = []
    if lacks_invitation(
        bool(status_class & ACCESS_ON_BIT),
        bool(status_class & LOGGED_IN_BIT),
        bool(status_class & HAS_LINK_BIT),
    ):
        found.append(codes.NO_INVITATION_SENT)
    found.extend(code for code, bit in EMAIL_TROUBLE_BITS.items() if status_class & bit)
    if status_class & FAILED_LOGINS_BIT:  # the accounts' own failures (not yet the unknown-username ones)
        found.append(codes.RECENT_FAILED_LOGINS)
    return tuple(found)


def class_trouble_sql(status_class: ColumnElement[Any], code: str) -> ColumnElement[bool]:
    """SQL: the kept trouble spot ``code`` holds for this class (decided by :func:`class_troubles`).

    The bits it reads are enumerated through the Python rule, so the rule has one home.
    """
    bits: tuple[int, ...] = (
        (ACCESS_ON_BIT, LOGGED_IN_BIT, HAS_LINK_BIT) if code == codes.NO_INVITATION_SENT else ()
    )
    bits += tuple(bit for name, bit in EMAIL_TROUBLE_BITS.items() if name == code)
    if code == codes.RECENT_FAILED_LOGINS:
        bits += (FAILED_LOGINS_BIT,)
    holding = []
    for n in range(1 << len(bits)):
        chosen = sum(bit for k, bit in enumerate(bits) if n & (1 << k))
        if code in class_troubles(chosen):
            holding.append(status_class.op("&")(sum(bits)) == chosen)
    return or_(*holding) if holding else false()


def count_kept_troubles(session: Session) -> dict[str, int]:
    """The trouble spots kept in the class: ``no_invitation_sent`` and the chart's email ones."""
    counts = dict.fromkeys((codes.NO_INVITATION_SENT, *EMAIL_TROUBLE_BITS, codes.RECENT_FAILED_LOGINS), 0)
    for status_class, n in counts_by_class(session).items():
        for code in class_troubles(status_class):
            counts[code] += n
    return counts
