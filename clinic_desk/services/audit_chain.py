"""Appending to the audit log's hash chain, one desk at a time, and checking the chain.

Entries an action records wait in its session until it commits; just before the commit
they are numbered after the newest entry and hashed onto it. Only that last step is
serialized across desks (PostgreSQL: a transaction-scoped advisory lock; MariaDB: the
guard row locked FOR UPDATE; SQLite: writers already queue with BEGIN IMMEDIATE), so the
lock is held only for the commit itself and no counter row is written by every action.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, event, exists, insert, select, text
from sqlalchemy.orm import Session, SessionTransaction

from clinic_desk.db.bulk_insert import insert_rows
from clinic_desk.db.models import AuditEntry, AuditLogGuard, Patient
from clinic_desk.domain.audit_chain import GENESIS, AuditCheck, ChainLink, audit_moment, check_chain

# Any fixed number, distinct from the schema upgrade's: desks take it to append to the chain.
AUDIT_CHAIN_LOCK_ID = 72_501_114
_PENDING = "clinic_desk_audit_pending"
WORKSTATION_KEY = "clinic_desk_workstation"
_VERIFY_CHUNK = 2000


@dataclass(frozen=True)
class PendingEntry:
    """An entry recorded by the action, numbered and hashed when the action commits."""

    at: datetime
    actor: str
    action: str
    patient_id: int | None
    before: str | None
    after: str | None
    note: str | None


def stamp_workstation(session: Session, workstation: str) -> None:
    """Name the computer this transaction's audit entries come from."""
    session.info[WORKSTATION_KEY] = workstation


def queue(session: Session, entry: PendingEntry) -> None:
    """Add an entry to the action's transaction; it is written with the commit."""
    session.info.setdefault(_PENDING, []).append(entry)


def _chain_end(session: Session) -> tuple[int, str]:
    """Take the chain's lock for this transaction; the newest entry's id and hash."""
    dialect = session.get_bind().dialect.name
    newest = select(AuditEntry.id, AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": AUDIT_CHAIN_LOCK_ID})
    elif dialect in ("mysql", "mariadb"):
        session.execute(select(AuditLogGuard.id).where(AuditLogGuard.id == 1).with_for_update())
        # A locking read sees the newest committed entry, not this transaction's snapshot.
        newest = newest.with_for_update(read=True)
    # PostgreSQL and SQLite write at READ COMMITTED / under the write lock: this read sees
    # the entry the previous lock holder committed.
    row = session.execute(newest).first()
    return (row[0], row[1]) if row else (0, GENESIS)


# From this many entries in one action (an import's batch) they go in the bulk way.
_MANY = 50
_AUDIT_TABLE = cast(Table, AuditEntry.__table__)


def seal(session: Session) -> None:
    """Number and hash the action's entries onto the chain, just before it commits.

    ``ClinicDatabase.transaction`` calls it before COMMIT, so a connection lost while
    appending is "nothing saved", not an unknown outcome; the ``before_commit`` hook
    covers any other session.
    """
    if session.in_nested_transaction():
        return  # a savepoint: the entries go with the outermost commit
    pending: list[PendingEntry] = session.info.pop(_PENDING, [])
    if not pending:
        return
    session.flush()  # every other change first: the chain's lock is then held only for the commit
    last_id, previous = _chain_end(session)
    workstation = session.info.get(WORKSTATION_KEY)
    rows = []
    for number, entry in enumerate(pending, start=last_id + 1):
        link = ChainLink(
            id=number,
            at=audit_moment(entry.at),
            actor=entry.actor,
            action=entry.action,
            patient_id=entry.patient_id,
            before=entry.before,
            after=entry.after,
            note=entry.note,
            prev_hash=previous,
            workstation=workstation,
        )
        previous = link.computed_hash()
        rows.append(
            {
                "id": link.id,
                "at": link.at,
                "actor": link.actor,
                "action": link.action,
                "patient_id": link.patient_id,
                "before": link.before,
                "after": link.after,
                "note": link.note,
                "workstation": link.workstation,
                "prev_hash": link.prev_hash,
                "entry_hash": previous,
            }
        )
    if len(rows) < _MANY:
        session.execute(insert(AuditEntry), rows)
    else:  # an import's thousands of entries: COPY on PostgreSQL, the driver's executemany on SQLite
        columns = tuple(rows[0])
        insert_rows(session.connection(), _AUDIT_TABLE, columns, [tuple(row.values()) for row in rows])


def _forget(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the action ended (rolled back): its entries go with it
        session.info.pop(_PENDING, None)


event.listen(Session, "before_commit", seal)
event.listen(Session, "after_transaction_end", _forget)


def _links(session: Session) -> Iterator[ChainLink]:
    columns = (
        AuditEntry.id,
        AuditEntry.at,
        AuditEntry.actor,
        AuditEntry.action,
        AuditEntry.patient_id,
        AuditEntry.before,
        AuditEntry.after,
        AuditEntry.note,
        AuditEntry.prev_hash,
        AuditEntry.entry_hash,
        AuditEntry.workstation,
    )
    last_id = None
    while True:
        query = select(*columns).order_by(AuditEntry.id).limit(_VERIFY_CHUNK)
        if last_id is not None:
            query = query.where(AuditEntry.id > last_id)
        rows = session.execute(query).all()
        for row in rows:
            yield ChainLink(*row)
        if len(rows) < _VERIFY_CHUNK:
            return
        last_id = rows[-1][0]


def verify(session: Session) -> AuditCheck:
    """Walk the whole chain, oldest first; the first broken link or OK (``clinic.verify_audit``)."""
    has_patients = bool(session.scalar(select(exists().where(Patient.id.is_not(None)))))
    return check_chain(_links(session), clinic_has_data=has_patients)
