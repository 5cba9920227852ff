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
from functools import cache
from itertools import islice
from typing import Any, Final, cast

from sqlalchemy import Connection, Engine, Table, func, select, text
from sqlalchemy.orm import Session

from clinic_desk.db import status_counts
from clinic_desk.db.analyze import analyze
from clinic_desk.db.bulk_indexes import FEW_ROWS, indexes_built_after
from clinic_desk.db.bulk_insert import insert_rows
from clinic_desk.db.bulk_journal import rollback_journal_while_loading
from clinic_desk.db.models import Patient, PortalAccount
from clinic_desk.db.status_sql import class_of, class_rank
from clinic_desk.domain.access import has_logged_in
from clinic_desk.domain.bulk_chart import BulkChart
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.search_keys import email_key, name_key, phone_key
from clinic_desk.services import audit
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

_PATIENTS = cast(Table, Patient.__table__)
_ACCOUNTS = cast(Table, PortalAccount.__table__)
_TABLES: Final = (_PATIENTS, _ACCOUNTS)
PATIENT_COLUMNS: Final = (
    "id",
    "mrn",
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "sex",
    "email",
    "phone",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "zip_code",
    "status",
    "created_via",
    "first_key",
    "last_key",
    "email_key",
    "phone_digits",
    "created_at",
    "updated_at",
    "version",
    "color_rank",
)
ACCOUNT_COLUMNS: Final = (
    "patient_id",
    "access_enabled",
    "access_off_reason",
    "access_changed_by",
    "access_changed_at",
    "access_note",
    "staff_off_reason",
    "username",
    "username_key",
    "password_hash",
    "must_change_password",
    "registered_at",
    "confirmed_at",
    "last_login_at",
    "login_count",
    "failed_logins",
    "last_failed_login_at",
    "locked_until",
    "version",
    "first_login_at",
    "status_class",
)


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
    rows = _Rows(hash_password(password), placeholders_of(ctx.settings))
    pending = iter(charts)
    first_mrn = last_mrn = 0
    done = 0
    with indexes_built_after(connection, _TABLES):
        while chunk := list(islice(pending, chunk_rows)):
            mrn = _reserve_mrns(connection, len(chunk))
            if not done:
                first_mrn = mrn
            last_mrn = mrn + len(chunk) - 1
            first_id = reserve_ids(connection, len(chunk))
            classes = rows.classes(chunk)
            insert_rows(connection, _PATIENTS, PATIENT_COLUMNS, rows.patients(chunk, classes, first_id, mrn))
            insert_rows(connection, _ACCOUNTS, ACCOUNT_COLUMNS, rows.accounts(chunk, classes, first_id))
            done += len(chunk)
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
        _after_the_load(connection, rows)
    if dialect == "sqlite":
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(old_cache or -2000)}")
        connection.exec_driver_sql(f"PRAGMA threads = {int(old_threads or 0)}")
    return done


def journal_for_the_load(engine: Engine) -> AbstractContextManager[bool]:
    """Around a load's transaction (outside it): a new SQLite clinic is written through a
    rollback journal rather than the WAL (see ``db.bulk_journal``)."""
    return rollback_journal_while_loading(engine, list(_TABLES), few_rows=FEW_ROWS)


def _after_the_load(connection: Connection, rows: _Rows) -> None:
    """What the rest of the clinic needs once the rows are in (same transaction).

    Anything derived from the new charts is worked out here (the kept colour counts and
    the "shares an email" bit, which needs every chart), before the statistics are
    gathered last, so they describe every table as it will be committed.
    """
    status_counts.count_loaded(connection, rows.counts, rows.placeholders)
    analyze(connection, _TABLES)


class _Rows:
    """Turns charts into insert rows (tuples in the column orders above).

    The search keys are the ones ``add_patient`` stores, and each chart's colour class
    the one ``status_counts.reclassify`` would give it, but for the "shares an email" bit
    (:func:`status_counts.count_loaded` adds that once every chart is in).
    """

    def __init__(self, password_hash: str, placeholders: status_counts.Placeholders) -> None:
        self.password_hash = password_hash
        self.placeholders = placeholders
        self.counts = Counter[int]()  # charts written per colour class
        self._keys: dict[str, str] = {}  # names repeat: fold each one once

    def classes(self, chunk: list[BulkChart]) -> list[int]:
        found = []
        for chart in chunk:
            sql_class = class_of(
                chart.status,
                chart.access_enabled,
                None if chart.access_enabled else chart.access_off_reason,
                chart.email,
                chart.zip_code,
                logged_in=has_logged_in(chart.last_login_at, chart.login_count),
                has_link=False,  # a new chart: no link was ever made for it
                has_twin=False,
                failed_logins=chart.failed_logins,
            )
            found.append(status_counts.full_class(sql_class, chart.email, chart.username, self.placeholders))
        self.counts.update(found)
        return found

    def _key(self, name: str) -> str:
        key = self._keys.get(name)
        if key is None:
            key = self._keys[name] = name_key(name)
        return key

    def patients(
        self, chunk: list[BulkChart], classes: list[int], first_id: int, first_mrn: int
    ) -> Iterator[tuple[Any, ...]]:
        key = self._key
        for n, (chart, status_class) in enumerate(zip(chunk, classes, strict=True)):
            yield (
                first_id + n,
                str(first_mrn + n),
                chart.first_name,
                chart.last_name,
                chart.preferred_name,
                chart.date_of_birth,
                chart.sex,
                chart.email,
                chart.phone,
                chart.address_line1,
                chart.address_line2,
                chart.city,
                chart.state,
                chart.zip_code,
                chart.status,
                chart.created_via,
                key(chart.first_name),
                key(chart.last_name),
                email_key(chart.email),
                phone_key(chart.phone),
                chart.created_at,
                chart.updated_at or chart.created_at,
                1,
                _rank(status_class),
            )

    def accounts(
        self, chunk: list[BulkChart], classes: list[int], first_id: int
    ) -> Iterator[tuple[Any, ...]]:
        for n, (chart, status_class) in enumerate(zip(chunk, classes, strict=True)):
            username = chart.username
            yield (
                first_id + n,
                chart.access_enabled,
                None if chart.access_enabled else chart.access_off_reason,
                chart.access_changed_by,
                chart.access_changed_at,
                chart.access_note,
                chart.staff_off_reason,
                username,
                username.lower() if username else None,
                self.password_hash if username else None,
                chart.must_change_password,
                chart.registered_at,
                chart.confirmed_at,
                chart.last_login_at,
                chart.login_count,
                chart.failed_logins,
                chart.last_failed_login_at,
                None,
                1,
                chart.first_login_at,
                status_class,
            )


@cache
def _rank(status_class: int) -> int:
    return class_rank(status_class)


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
