"""Bulk-load finished charts fast: Core executemany in chunks, one transaction, one audit entry.

The demo clinic's thousands of charts come this way (``Clinic.load_demo_charts``). The
rows are plain :class:`~clinic_desk.domain.bulk_chart.BulkChart` values made by the
caller; this module gives them ids and MRNs from the same counters ``add_patient``
uses and the same search keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from itertools import islice
from typing import Any, Final, cast

from sqlalchemy import Connection, Table, func, insert, select, text
from sqlalchemy.orm import Session

from clinic_desk.db import status_counts
from clinic_desk.db.models import Patient, PortalAccount
from clinic_desk.domain.bulk_chart import BulkChart
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.search_keys import email_key, name_key, phone_key
from clinic_desk.services import audit
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.count_keeping import placeholders_of
from clinic_desk.services.hashing import hash_password
from clinic_desk.services.permissions import authorize

# Rows per executemany: big enough to amortise round trips, small enough for memory.
CHUNK_ROWS: Final = 10_000

Charts = Iterable[BulkChart]
Progress = Callable[[int], None]  # called with how many charts are in so far
Details = Mapping[str, str | int]

_PATIENTS = cast(Table, Patient.__table__)
_ACCOUNTS = cast(Table, PortalAccount.__table__)


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
    """
    actor = authorize(session, actor, Permission.IMPORT_PATIENTS)
    now = ctx.now()
    connection = session.connection()
    dialect = connection.dialect.name
    if dialect == "sqlite":
        # A bigger page cache keeps the five search indexes in memory while they grow.
        old_cache = connection.exec_driver_sql("PRAGMA cache_size").scalar()
        connection.exec_driver_sql("PRAGMA cache_size = -524288")
    if dialect == "postgresql":
        # One notification per bulk row would flood every listening workstation.
        connection.exec_driver_sql("SET LOCAL clinic_desk.bulk = 'on'")
    # One Argon2 hash for every account (hashing a million passwords would take days).
    rows = _Rows(hash_password(password))
    pending = iter(charts)
    first_mrn = last_mrn = 0
    done = 0
    while chunk := list(islice(pending, chunk_rows)):
        mrn = _reserve_mrns(connection, len(chunk))
        if not done:
            first_mrn = mrn
        last_mrn = mrn + len(chunk) - 1
        first_id = _reserve_ids(connection, len(chunk))
        patients = [rows.patient(c, first_id + n, str(mrn + n)) for n, c in enumerate(chunk)]
        connection.execute(insert(_PATIENTS), patients)
        connection.execute(insert(_ACCOUNTS), [rows.account(c, first_id + n) for n, c in enumerate(chunk)])
        done += len(chunk)
        if progress is not None:
            progress(done)
    status_counts.classify_unclassified(connection, placeholders_of(ctx.settings))  # the kept counts
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
    if dialect == "sqlite":
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(old_cache or -2000)}")
    return done


class _Rows:
    """Turns charts into executemany rows, with the same search keys as ``add_patient``."""

    def __init__(self, password_hash: str) -> None:
        self.password_hash = password_hash
        self._keys: dict[str, str] = {}  # names repeat: fold each one once

    def _key(self, name: str) -> str:
        key = self._keys.get(name)
        if key is None:
            key = self._keys[name] = name_key(name)
        return key

    def patient(self, chart: BulkChart, patient_id: int, mrn: str) -> dict[str, Any]:
        return {
            "id": patient_id,
            "mrn": mrn,
            "first_name": chart.first_name,
            "last_name": chart.last_name,
            "preferred_name": chart.preferred_name,
            "date_of_birth": chart.date_of_birth,
            "sex": chart.sex,
            "email": chart.email,
            "phone": chart.phone,
            "address_line1": chart.address_line1,
            "address_line2": chart.address_line2,
            "city": chart.city,
            "state": chart.state,
            "zip_code": chart.zip_code,
            "status": chart.status,
            "created_via": chart.created_via,
            "first_key": self._key(chart.first_name),
            "last_key": self._key(chart.last_name),
            "email_key": email_key(chart.email),
            "phone_digits": phone_key(chart.phone),
            "created_at": chart.created_at,
            "updated_at": chart.updated_at or chart.created_at,
            "version": 1,
        }

    def account(self, chart: BulkChart, patient_id: int) -> dict[str, Any]:
        username = chart.username
        return {
            "patient_id": patient_id,
            "access_enabled": chart.access_enabled,
            "access_off_reason": None if chart.access_enabled else chart.access_off_reason,
            "access_changed_by": chart.access_changed_by,
            "access_changed_at": chart.access_changed_at,
            "access_note": chart.access_note,
            "staff_off_reason": chart.staff_off_reason,
            "username": username,
            "username_key": username.lower() if username else None,
            "password_hash": self.password_hash if username else None,
            "must_change_password": chart.must_change_password,
            "registered_at": chart.registered_at,
            "confirmed_at": chart.confirmed_at,
            "last_login_at": chart.last_login_at,
            "login_count": chart.login_count,
            "failed_logins": chart.failed_logins,
            "last_failed_login_at": chart.last_failed_login_at,
            "locked_until": None,
            "version": 1,
        }


def _reserve_ids(connection: Connection, count: int) -> int:
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
