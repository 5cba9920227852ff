"""The audit log is append-only on every database and hash-chained: tampering is refused or detected."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Executable, insert, select, text
from sqlalchemy.exc import DBAPIError

from clinic_desk import Clinic
from clinic_desk.db import schema
from clinic_desk.db.engine import make_engine
from clinic_desk.db.models import AuditEntry
from clinic_desk.domain.audit_chain import GENESIS
from clinic_desk.services import audit
from tests.conftest import FakeClock
from tests.services.helpers import STAFF, add_ready_patient

_FIRST_NAMES = ("Ana", "Ben", "Cleo")


def _day_of_work(clinic: Clinic) -> list[int]:
    """Three charts and a contact change each: six audit entries."""
    pids = [add_ready_patient(clinic, first) for first in _FIRST_NAMES]
    for pid in pids:
        clinic.staff.update_contact(pid, zip_code="02140", actor=STAFF)
    return pids


def _entries(clinic: Clinic) -> list[tuple[int, str, str]]:
    with clinic.engine.connect() as connection:
        rows = connection.execute(text("SELECT id, prev_hash, entry_hash FROM audit_log ORDER BY id"))
        return [(row[0], row[1], row[2]) for row in rows]


def test_every_entry_is_hashed_onto_the_one_before(clinic: Clinic) -> None:
    _day_of_work(clinic)
    entries = _entries(clinic)
    assert [entry[0] for entry in entries] == list(range(1, len(entries) + 1))
    assert entries[0][1] == GENESIS
    assert all(entry[1] == before[2] for before, entry in itertools.pairwise(entries))
    report = clinic.verify_audit()
    assert report.ok and report.entries_checked == len(entries) == 6
    assert (report.last_id, report.last_hash) == (6, entries[-1][2])
    assert "intact" in report.message


def test_an_action_that_fails_leaves_no_entry_and_no_gap(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    with pytest.raises(Exception, match="Z"):
        clinic.staff.update_contact(pid, zip_code="not a zip", actor=STAFF)
    add_ready_patient(clinic, "Ben")
    assert [entry[0] for entry in _entries(clinic)] == [1, 2]
    assert clinic.verify_audit().ok


def test_entries_recorded_around_a_savepoint_are_written_once_at_the_commit(clinic: Clinic) -> None:
    with clinic.transaction() as session:
        audit.record(session, at=clinic.now(), actor=STAFF, action="outer", patient_id=None)
        with session.begin_nested():
            audit.record(session, at=clinic.now(), actor=STAFF, action="inner", patient_id=None)
    with pytest.raises(RuntimeError), clinic.transaction() as session:
        audit.record(session, at=clinic.now(), actor=STAFF, action="rolled back", patient_id=None)
        raise RuntimeError("the action failed")
    with clinic.reading() as session:
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["outer", "inner"]
    assert clinic.verify_audit().ok


def _refusals(dialect: str) -> list[str]:
    """Each way the desk's own connection might try to rewrite the log."""
    statements = ["UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log WHERE id = 1"]
    if dialect == "sqlite":
        row = "(1, '2026-01-01 00:00:00', 'x', 'y', 'a', 'b')"
        columns = "(id, at, actor, action, prev_hash, entry_hash)"
        statements += [
            f"INSERT OR REPLACE INTO audit_log {columns} VALUES {row}",
            f"REPLACE INTO audit_log {columns} VALUES {row}",
            f"INSERT INTO audit_log {columns} VALUES {row} ON CONFLICT (id) DO UPDATE SET actor = 'x'",
            "DELETE FROM audit_log",
        ]
    elif dialect == "postgresql":
        statements += [
            "INSERT INTO audit_log (id, at, actor, action, prev_hash, entry_hash) "
            "VALUES (1, '2026-01-01 00:00:00+00', 'x', 'y', 'a', 'b') "
            "ON CONFLICT (id) DO UPDATE SET actor = 'x'",
            "TRUNCATE audit_log",
            "TRUNCATE audit_log CASCADE",
        ]
    else:
        statements += [
            "REPLACE INTO audit_log (id, at, actor, action, prev_hash, entry_hash) "
            "VALUES (1, '2026-01-01 00:00:00', 'x', 'y', 'a', 'b')",
            "INSERT INTO audit_log (id, at, actor, action, prev_hash, entry_hash) "
            "VALUES (1, '2026-01-01 00:00:00', 'x', 'y', 'a', 'b') ON DUPLICATE KEY UPDATE actor = 'x'",
            "TRUNCATE TABLE audit_log",
            "DELETE FROM audit_log_guard",
        ]
    return statements


def test_the_desks_connection_cannot_rewrite_the_log(clinic: Clinic) -> None:
    _day_of_work(clinic)
    before = _entries(clinic)
    for statement in _refusals(clinic.engine.dialect.name):
        with (
            pytest.raises(DBAPIError, match=r"(?i)append-only|cannot truncate"),
            clinic.engine.begin() as connection,
        ):
            connection.execute(text(statement))
    assert _entries(clinic) == before
    assert clinic.verify_audit().ok


@pytest.fixture
def tamperable(own_db_url: str, clock: FakeClock) -> Iterator[Clinic]:
    """A clinic of its own whose audit log a superuser may edit by hand (triggers bypassed)."""
    with Clinic.open(own_db_url, clock=clock) as clinic:
        dialect = clinic.engine.dialect.name
        if dialect != "postgresql":
            with clinic.engine.begin() as connection:
                for name in ("update", "delete", "replace"):
                    connection.execute(text(f"DROP TRIGGER IF EXISTS audit_log_no_{name}"))
        yield clinic


def _by_hand(clinic: Clinic, *statements: str | Executable) -> None:
    with clinic.engine.begin() as connection:
        if clinic.engine.dialect.name == "postgresql":
            # As a superuser, the way a DBA skips the triggers for one transaction.
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        for statement in statements:
            connection.execute(text(statement) if isinstance(statement, str) else statement)


def _copy_of_entry(clinic: Clinic, entry_id: int, **changes: object) -> Executable:
    """An INSERT putting entry ``entry_id`` back as it was (with ``changes``)."""
    table = AuditEntry.__table__
    with clinic.engine.connect() as connection:
        row = connection.execute(select(table).where(table.c.id == entry_id)).one()
    return insert(table).values({**row._asdict(), **changes})


def test_a_hand_edit_is_found_at_the_right_entry(tamperable: Clinic) -> None:
    clinic = tamperable
    _day_of_work(clinic)
    assert clinic.verify_audit().ok

    _by_hand(clinic, "UPDATE audit_log SET actor = 'nobody' WHERE id = 2")
    report = clinic.verify_audit()
    assert (report.ok, report.broken_at, report.problem) == (False, 2, "changed")
    assert "entry 2 was changed" in report.message
    _by_hand(clinic, f"UPDATE audit_log SET actor = '{STAFF}' WHERE id = 2")
    assert clinic.verify_audit().ok

    restore = _copy_of_entry(clinic, 4)
    _by_hand(clinic, "DELETE FROM audit_log WHERE id = 4")
    report = clinic.verify_audit()
    assert (report.broken_at, report.problem) == (5, "missing")
    assert "between 3 and 5" in report.message
    _by_hand(clinic, restore)
    assert clinic.verify_audit().ok

    forged = _copy_of_entry(clinic, 6, id=7)
    _by_hand(clinic, forged)
    report = clinic.verify_audit()
    assert (report.broken_at, report.problem) == (7, "inserted")
    _by_hand(clinic, "DELETE FROM audit_log WHERE id = 7")
    assert clinic.verify_audit().ok

    _by_hand(clinic, "DELETE FROM audit_log WHERE id = 1")
    report = clinic.verify_audit()
    assert (report.broken_at, report.problem) == (2, "missing")

    _by_hand(clinic, "DELETE FROM audit_log")
    report = clinic.verify_audit()
    assert (report.ok, report.entries_checked, report.problem) == (False, 0, "missing")


def test_entries_written_before_the_chain_are_chained_by_the_migration(own_db_url: str) -> None:
    from alembic import command

    engine = make_engine(own_db_url)
    try:
        with engine.begin() as connection:
            command.upgrade(schema._config(connection), "0002")
            moments = (
                datetime(2026, 3, 1, 9, 0, 0, 123456, tzinfo=UTC),
                datetime(2026, 3, 1, 9, 5, 0, 500000, tzinfo=UTC),
                datetime(2026, 3, 1, 10, 0, tzinfo=UTC),
            )
            for n, moment in enumerate(moments):
                connection.execute(
                    insert(AuditEntry.__table__).values(
                        at=moment, actor="frontdesk", action="add_patient", patient_id=n + 1, after='{"a": 1}'
                    )
                )
    finally:
        engine.dispose()
    with Clinic.open(own_db_url) as clinic:
        report = clinic.verify_audit()
        assert report.ok and report.entries_checked == 3
        add_ready_patient(clinic)
        report = clinic.verify_audit()
        assert report.ok and report.entries_checked == 4 and report.last_id == 4


def test_desks_writing_at_once_make_one_valid_chain(db_url: str, clock: FakeClock) -> None:
    desks = [Clinic.open(db_url, clock=clock) for _ in range(3)]
    # Each desk edits its own chart: only the audit log is shared (adding charts would
    # queue on the MRN counter instead, hiding a missing lock).
    charts = [add_ready_patient(desk, name) for desk, name in zip(desks, _FIRST_NAMES, strict=True)]
    start = threading.Barrier(len(desks))
    problems: list[BaseException] = []

    def work(desk: Clinic, chart: int) -> None:
        try:
            start.wait()
            for n in range(8):
                desk.staff.update_contact(chart, zip_code=f"0214{n % 2}", actor=STAFF)
        except BaseException as error:
            problems.append(error)

    threads = [threading.Thread(target=work, args=pair) for pair in zip(desks, charts, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert problems == []
        report = desks[0].verify_audit()
        assert report.ok and report.entries_checked == 3 + 3 * 8
    finally:
        for desk in desks:
            desk.close()
