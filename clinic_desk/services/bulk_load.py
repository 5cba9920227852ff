"""Bulk-load finished charts fast: streamed in chunks, one transaction, one audit entry.

The demo clinic's charts come this way (``Clinic.load_demo_charts``). The rows are
plain :class:`~clinic_desk.domain.bulk_chart.BulkChart` values made by the caller, read
a chunk at a time (memory stays flat however many there are); this module gives them
ids and MRNs from the same counters ``add_patient`` uses and the same search keys, and
writes them the fastest way each database has (``db.bulk_insert``: COPY on PostgreSQL).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from itertools import islice
from typing import Final

from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy.orm import Session

from clinic_desk.db import status_counts
from clinic_desk.db.analyze import analyze, mark_visible
from clinic_desk.db.bulk_indexes import FEW_ROWS, indexes_built_after
from clinic_desk.db.bulk_insert import copy_types
from clinic_desk.db.bulk_journal import rollback_journal_while_loading
from clinic_desk.db.models import Patient
from clinic_desk.domain.bulk_chart import BulkChart, ChartMaker, MadeCharts
from clinic_desk.domain.roles import Permission
from clinic_desk.services import audit, bulk_pool
from clinic_desk.services.bulk_rows import (
    ACCOUNT_COLUMNS,
    ACCOUNTS,
    PATIENT_COLUMNS,
    PATIENTS,
    BatchJob,
    BothCopyTypes,
    GivenCharts,
    write_batch,
)
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.count_keeping import placeholders_of
from clinic_desk.services.hashing import hash_password
from clinic_desk.services.permissions import authorize

# Charts per chunk: enough to amortise the statements per chunk, few enough that memory
# stays flat (a chunk of charts is held in memory while it is written).
CHUNK_ROWS: Final = 5_000
# SQLite's page cache while loading, in KiB (negative: a size, not a page count). The
# indexes are built after the load, so a modest cache does; a big one is resident memory.
SQLITE_CACHE_KIB: Final = 65_536
SQLITE_SORT_THREADS: Final = 2

Charts = Iterable[BulkChart]
Progress = Callable[[int], None]  # called with how many charts are in so far
Details = Mapping[str, str | int]

_TABLES: Final = (PATIENTS, ACCOUNTS)


def load_charts(
    session: Session,
    ctx: ServiceContext,
    charts: Charts,
    *,
    actor: str,
    password: str,
    details: Details | None = None,
    progress: Progress | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> int:
    """Insert ``charts`` in the caller's transaction; returns how many.

    Every chart with a username gets ``password`` (hashed once for the whole load).
    One ``bulk_load`` audit entry records the count, the MRN range and ``details``.
    When done, the planner's statistics are refreshed (see :func:`_after_the_load`).
    """
    actor = authorize(session, actor, Permission.IMPORT_PATIENTS)
    now = ctx.now()
    connection = session.connection()
    dialect = connection.dialect.name
    if dialect == "sqlite":
        old_cache = connection.exec_driver_sql("PRAGMA cache_size").scalar()
        old_threads = connection.exec_driver_sql("PRAGMA threads").scalar()
        connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        # Helper threads sort the rebuilt indexes on the other core.
        connection.exec_driver_sql(f"PRAGMA threads = {SQLITE_SORT_THREADS}")
    if dialect == "postgresql":
        # One notification per bulk row would flood every listening workstation.
        connection.exec_driver_sql("SET LOCAL clinic_desk.bulk = 'on'")
    # One Argon2 hash for every account (hashing a million passwords would take days).
    base = _JobBase(
        hash_password(password), placeholders_of(ctx.settings), dialect == "sqlite", _copy_types(connection)
    )
    counts = Counter[int]()
    first_mrn = last_mrn = 0
    done = 0
    with indexes_built_after(connection, _TABLES):
        jobs = _jobs(connection, charts, chunk_rows, base)
        for batch in bulk_pool.batches(jobs, parallel=bulk_pool.worth_workers(charts, dialect)):
            size = batch.size
            write_batch(connection, batch)
            if not done:
                first_mrn = batch.first_mrn
            last_mrn = batch.first_mrn + size - 1
            counts.update(batch.counts)
            done += size
            if progress is not None:
                progress(done)
    if done:
        audit.record(
            session,
            at=now,
            actor=actor,
            action="bulk_load",
            patient_id=None,
            after={
                **(details or {}),
                "patients": done,
                "first_mrn": str(first_mrn),
                "last_mrn": str(last_mrn),
            },
        )
        _after_the_load(connection, counts, base.placeholders)
    if dialect == "sqlite":
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(old_cache or -2000)}")
        connection.exec_driver_sql(f"PRAGMA threads = {int(old_threads or 0)}")
    return done


def journal_for_the_load(engine: Engine) -> AbstractContextManager[bool]:
    """Around a load's transaction (outside it): a new SQLite clinic is written through a
    rollback journal rather than the WAL (see ``db.bulk_journal``)."""
    return rollback_journal_while_loading(engine, list(_TABLES), few_rows=FEW_ROWS)


@dataclass(frozen=True)
class _JobBase:
    """What every batch job of one load shares."""

    password_hash: str
    placeholders: status_counts.Placeholders
    for_sqlite: bool
    copy_types: BothCopyTypes | None  # PostgreSQL: batches come as binary COPY blocks

    def job(self, maker: ChartMaker, first: int, stop: int, first_id: int, first_mrn: int) -> BatchJob:
        return BatchJob(
            maker,
            first,
            stop,
            first_id,
            first_mrn,
            self.password_hash,
            self.placeholders,
            self.for_sqlite,
            self.copy_types,
        )


def _copy_types(connection: Connection) -> BothCopyTypes | None:
    """PostgreSQL through psycopg: both tables' column types, for batches made as COPY blocks."""
    if connection.dialect.name != "postgresql" or connection.dialect.driver != "psycopg":
        return None
    patients = copy_types(connection, PATIENTS, PATIENT_COLUMNS)
    return patients, copy_types(connection, ACCOUNTS, ACCOUNT_COLUMNS)


def _jobs(connection: Connection, charts: Charts, chunk_rows: int, base: _JobBase) -> Iterator[BatchJob]:
    """The load's batch jobs, in order, each with its ids and MRNs reserved.

    Made charts have a known count: their ids and MRNs are reserved at once, so batches
    made side by side already know theirs. Other charts are read a chunk at a time.
    """
    if isinstance(charts, MadeCharts):
        if charts.count <= 0:
            return
        first_mrn = _reserve_mrns(connection, charts.count)
        first_id = reserve_ids(connection, charts.count)
        for first, stop in charts.batches():
            yield base.job(charts.maker, first, stop, first_id + first - 1, first_mrn + first - 1)
        return
    pending = iter(charts)
    number = 1
    while chunk := list(islice(pending, chunk_rows)):
        mrn = _reserve_mrns(connection, len(chunk))
        first_id = reserve_ids(connection, len(chunk))
        yield base.job(GivenCharts(chunk), number, number + len(chunk), first_id, mrn)
        number += len(chunk)


def _after_the_load(
    connection: Connection, counts: Counter[int], placeholders: status_counts.Placeholders
) -> None:
    """What the rest of the clinic needs once the rows are in (same transaction).

    Anything derived from the new charts is worked out here (the kept colour counts and
    the "shares an email" bit, which needs every chart), before the statistics are
    gathered last, so they describe every table as it will be committed.
    """
    status_counts.count_loaded(connection, counts, placeholders)
    analyze(connection, _TABLES)


def after_the_commit(engine: Engine) -> None:
    """Once the load is committed: its pages marked all-visible (PostgreSQL, see ``mark_visible``)."""
    mark_visible(engine, _TABLES)


def reserve_ids(connection: Connection, count: int) -> int:
    """The first of ``count`` patient ids nobody else can take (PostgreSQL: advance the sequence now)."""
    if connection.dialect.name == "postgresql":
        # setval is not transactional: other workstations' new charts land after our range at once.
        first = connection.scalar(text("SELECT nextval(pg_get_serial_sequence('patients', 'id'))"))
        connection.execute(
            text("SELECT setval(pg_get_serial_sequence('patients', 'id'), :last)"),
            {"last": int(first or 1) + count - 1},
        )
        return int(first or 1)
    # SQLite (and the rest): we hold the write lock, and new rows take max(id) + 1.
    return int(connection.scalar(select(func.coalesce(func.max(Patient.id), 0))) or 0) + 1


def _reserve_mrns(connection: Connection, count: int) -> int:
    """Bump the MRN counter by ``count`` (row locked until commit); the first MRN number."""
    connection.execute(text("UPDATE counters SET value = value + :n WHERE name = 'mrn'"), {"n": count})
    last = connection.scalar(text("SELECT value FROM counters WHERE name = 'mrn'"))
    return int(last or 0) - count + 1
