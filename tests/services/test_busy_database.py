"""Another workstation holding the SQLite file's write lock: a sentence to act on, and a retry."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from clinic_desk import Clinic, DatabaseBusy, DatabaseUnavailable, ValidationError
from clinic_desk.db.models import AuditEntry, Patient
from tests import databases
from tests.conftest import FakeClock
from tests.services.helpers import add_ready_patient


def _holding_the_write_lock(url: str) -> sqlite3.Connection:
    """A second workstation in the middle of its save (BEGIN IMMEDIATE, not yet committed)."""
    other = sqlite3.connect(
        Path(make_url(url).database or ""), isolation_level=None, timeout=5, check_same_thread=False
    )
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE counters SET value = value WHERE name = 'mrn'")
    return other


def test_a_save_while_another_workstation_saves_says_so_and_the_retry_works(
    sqlite_url: str, clock: FakeClock
) -> None:
    with Clinic.open(sqlite_url, clock=clock, busy_seconds=0.3) as clinic:
        other = _holding_the_write_lock(sqlite_url)
        started = time.monotonic()
        with pytest.raises(DatabaseBusy) as caught:
            add_ready_patient(clinic, request_id="add-ana")
        assert time.monotonic() - started < 3  # the short busy timeout, not 10 s
        assert isinstance(caught.value, DatabaseUnavailable)  # a fault: nothing was saved, retry
        assert str(caught.value) == "Another workstation is saving — try again. Nothing was saved."
        assert "locked" not in str(caught.value)

        # Reading never waits for the other workstation (WAL), and nothing was half-written.
        with clinic.reading() as session:
            assert session.scalar(select(func.count()).select_from(Patient)) == 0
            assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0

        other.execute("COMMIT")
        other.close()
        pid = add_ready_patient(clinic, request_id="add-ana")  # the retry, same intention
        assert add_ready_patient(clinic, request_id="add-ana") == pid
        assert len(clinic.staff.find_patients("Lopez")) == 1


def test_a_short_wait_for_the_other_workstation_just_succeeds(sqlite_url: str, clock: FakeClock) -> None:
    with Clinic.open(sqlite_url, clock=clock, busy_seconds=5) as clinic:
        other = _holding_the_write_lock(sqlite_url)
        release = threading.Timer(0.3, lambda: other.execute("COMMIT"))
        release.start()
        try:
            assert add_ready_patient(clinic) > 0  # queued behind the other save, then done
        finally:
            release.join()
            other.close()


def test_bad_input_is_refused_at_once_even_while_another_workstation_saves(
    sqlite_url: str, clock: FakeClock
) -> None:
    with Clinic.open(sqlite_url, clock=clock, busy_seconds=2) as clinic:
        pid = add_ready_patient(clinic)
        other = _holding_the_write_lock(sqlite_url)
        try:
            started = time.monotonic()
            with pytest.raises(ValidationError, match="Email"):
                add_ready_patient(clinic, first="Bo", email="bo@")
            with pytest.raises(ValidationError, match="Email"):
                clinic.staff.update_contact(pid, email="ana@", actor="frontdesk")
            with pytest.raises(ValidationError, match="ZIP"):
                clinic.staff.update_contact(pid, zip_code="1", actor="frontdesk")
            # Checked before the write lock is asked for: no wait behind the other workstation.
            assert time.monotonic() - started < 1.0
        finally:
            other.execute("ROLLBACK")
            other.close()


def test_mariadb_row_lock_of_another_workstation_says_so(mariadb_session_url: str, clock: FakeClock) -> None:
    databases.empty_mariadb(mariadb_session_url)
    other = create_engine(mariadb_session_url)
    # A 3 s answer limit: MariaDB's own lock wait (1 s) ends first, with its own error.
    with Clinic.open(mariadb_session_url, clock=clock, answer_seconds=3) as clinic, other.connect() as held:
        held.execute(text("BEGIN"))
        held.execute(text("UPDATE counters SET value = value + 0 WHERE name = 'mrn'"))  # the MRN row's lock
        started = time.monotonic()
        with pytest.raises(DatabaseBusy, match="Another workstation is saving"):
            add_ready_patient(clinic, request_id="add-ana")
        assert time.monotonic() - started < 5
        held.execute(text("ROLLBACK"))
        assert add_ready_patient(clinic, request_id="add-ana") == add_ready_patient(
            clinic, request_id="add-ana"
        )
        assert len(clinic.staff.find_patients("Lopez")) == 1
    other.dispose()


def test_postgres_with_a_lock_timeout_says_another_workstation_is_saving(clock: FakeClock) -> None:
    with databases.postgres_database() as url:
        Clinic.open(url).close()
        name = make_url(url).database
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:  # what README's per-role setting does, for this database only
            connection.execute(text(f"ALTER DATABASE \"{name}\" SET lock_timeout = '500ms'"))
        with Clinic.open(url, clock=clock) as clinic, admin.connect() as held:
            held.execute(text("BEGIN"))
            held.execute(text("UPDATE counters SET value = value WHERE name = 'mrn'"))
            with pytest.raises(DatabaseBusy, match="Another workstation is saving"):
                add_ready_patient(clinic)
            held.execute(text("ROLLBACK"))
            assert add_ready_patient(clinic) > 0
        admin.dispose()
