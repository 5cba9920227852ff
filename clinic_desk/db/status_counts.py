"""Counts by colour and by red reason at a million charts, kept in step with each change.

Why this shape (DESIGN.md section 6: no single row written by every action):

- Each portal account stores its *colour class* (``status_sql.class_expression``: the
  red reasons and the logged-in bit, compiled from the one rule table). A change
  re-reads the class of the charts it touched, in its own transaction.
- When a class changes, the change appends two rows to ``status_count_deltas``
  (-1 for the old class, +1 for the new one). Appending never waits on another desk,
  unlike a shared counter row that every desk would update (and queue on) at once.
- A count sums the delta rows by class: a few hundred rows, whatever the number of
  charts. Now and then a writer folds the rows into one per class; the rows it folds
  are locked with SKIP LOCKED, so two folding desks never take the same row or wait.
- Charts written around the services (a bulk load, an old database) keep a NULL
  class until classified; counts add them on the fly through a partial index, so
  they are right even before ``classify_unclassified`` runs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Select, delete, func, insert, select, update
from sqlalchemy.orm import Session

from clinic_desk.db.models import Patient, PortalAccount, StatusCountDelta
from clinic_desk.db.status_sql import class_color, class_expression, class_reasons
from clinic_desk.domain import codes
from clinic_desk.domain.codes import Color

# A writer folds the delta rows when the one it appends has an id divisible by this.
FOLD_EVERY = 256
# At most this many rows are folded at once (keeps the IN list and the lock short).
FOLD_ROWS = 5000

_JOINED = select().select_from(PortalAccount).join(Patient, Patient.id == PortalAccount.patient_id)


def reclassify(session: Session, patient_ids: Iterable[int]) -> None:
    """Bring the stored class of these charts up to date and append the count deltas."""
    ids = sorted(set(patient_ids))
    if not ids:
        return
    dialect = session.get_bind().dialect.name
    columns = (PortalAccount.patient_id, PortalAccount.status_class, class_expression())
    read = _JOINED.add_columns(*columns).where(PortalAccount.patient_id.in_(ids))
    if dialect == "postgresql":
        # Wait for any desk still changing these accounts, then read what it committed:
        # the last desk to take the lock sees every change (READ COMMITTED, a new statement).
        session.execute(
            select(PortalAccount.patient_id).where(PortalAccount.patient_id.in_(ids)).with_for_update()
        )
    elif dialect in ("mysql", "mariadb"):
        read = read.with_for_update()  # a locking read sees the newest committed rows
    changes = Counter[int]()
    moved: list[dict[str, int]] = []
    for patient_id, stored, current in session.execute(read).all():
        if stored == current:
            continue
        if stored is not None:
            changes[stored] -= 1
        changes[current] += 1
        moved.append({"pid": patient_id, "cls": current})
    if not moved:
        return
    connection = session.connection()
    for row in moved:
        connection.execute(
            update(PortalAccount)
            .where(PortalAccount.patient_id == row["pid"])
            .values(status_class=row["cls"])
        )
    _append(session, changes)


def forget(session: Session, status_classes: Iterable[int | None]) -> None:
    """Charts deleted: take them out of the counts."""
    changes = Counter[int]()
    for status_class in status_classes:
        if status_class is not None:
            changes[status_class] -= 1
    _append(session, changes)


def classify_unclassified(connection: Connection) -> int:
    """Classify every chart written without a class (a bulk load); how many. One pass each way."""
    rows = connection.execute(_unclassified()).all()
    if not rows:
        return 0
    connection.execute(
        update(PortalAccount)
        .where(PortalAccount.patient_id == Patient.id, PortalAccount.status_class.is_(None))
        .values(status_class=class_expression())
    )
    changes = Counter({int(status_class): int(count) for status_class, count in rows})
    connection.execute(
        insert(StatusCountDelta),
        [{"status_class": key, "n": value} for key, value in changes.items()],
    )
    return sum(changes.values())


def counts_by_class(session: Session) -> dict[int, int]:
    """How many charts are in each colour class (two small reads)."""
    counts = Counter[int]()
    kept = select(StatusCountDelta.status_class, func.sum(StatusCountDelta.n))
    for status_class, total in session.execute(kept.group_by(StatusCountDelta.status_class)):
        counts[int(status_class)] += int(total)
    for status_class, total in session.execute(_unclassified()):
        counts[int(status_class)] += int(total)
    return {key: value for key, value in counts.items() if value}


def fold(session: Session) -> int:
    """Fold the delta rows no other desk is folding into one row per class; how many were folded."""
    rows = session.execute(
        select(StatusCountDelta.id, StatusCountDelta.status_class, StatusCountDelta.n)
        .order_by(StatusCountDelta.id)
        .limit(FOLD_ROWS)
        .with_for_update(skip_locked=True)
    ).all()
    if len(rows) < 2:
        return 0
    session.execute(
        delete(StatusCountDelta).where(StatusCountDelta.id.in_([row.id for row in rows])),
        execution_options={"synchronize_session": False},
    )
    sums = Counter[int]()
    for row in rows:
        sums[row.status_class] += row.n
    _insert(session, {key: value for key, value in sums.items() if value})
    return len(rows)


def _unclassified() -> Select[Any]:
    """The charts written without a class, counted by class (the partial index finds them)."""
    classes = class_expression()
    unclassified = PortalAccount.status_class.is_(None)
    return _JOINED.add_columns(classes, func.count()).where(unclassified).group_by(classes)


def _append(session: Session, changes: Counter[int]) -> None:
    ids = _insert(session, {key: value for key, value in changes.items() if value})
    if any(new_id % FOLD_EVERY == 0 for new_id in ids):
        fold(session)


def _insert(session: Session, changes: dict[int, int]) -> list[int]:
    ids: list[int] = []
    for status_class, n in changes.items():
        row = insert(StatusCountDelta).values(status_class=status_class, n=n)
        statement = row.returning(StatusCountDelta.id)
        ids.append(int(session.connection().execute(statement).scalar_one()))
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
