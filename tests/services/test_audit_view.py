"""``clinic.audit(...)``: filters, newest first, keyset paging, whole local days, bad filters,
who may read it, the workstation on each entry, and one SELECT per page."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import column, event, insert, text
from sqlalchemy import table as sql_table

from clinic_desk import Clinic, NotAllowed, ValidationError
from clinic_desk.db import schema
from clinic_desk.db.engine import make_engine
from clinic_desk.domain.audit_chain import GENESIS, ChainLink
from clinic_desk.services.audit_view import MAX_PAGE, AuditRecord
from tests.conftest import FakeClock
from tests.services.helpers import add_ready_patient
from tests.services.staff_helpers import add_team

ACTORS = ("ana at desk", "ben at desk")


@pytest.fixture
def chicago(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The computer's local time is Chicago's (UTC-6 in early March): local days differ from UTC days."""
    monkeypatch.setenv("TZ", "America/Chicago")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _busy_days(clinic: Clinic, clock: FakeClock) -> list[int]:
    """Three charts over two local days, each edited by both actors: 12 entries, times spread out.

    The clock starts 2026-03-02 15:00 UTC (09:00 in Chicago); it moves 4 hours per entry pair,
    so entries fall on both sides of UTC and local midnights.
    """
    pids = []
    for number, first in enumerate(("Ana", "Ben", "Cleo")):
        pid = add_ready_patient(clinic, first, actor=ACTORS[number % 2])
        clinic.staff.update_contact(pid, phone=f"(617) 555-010{number}", actor=ACTORS[(number + 1) % 2])
        clock.advance(hours=4)
        clinic.staff.update_contact(pid, zip_code="02140", actor=ACTORS[number % 2])
        clinic.staff.set_portal_access(pid, enabled=False, reason="patient_request", actor=ACTORS[1])
        clock.advance(hours=4)
        pids.append(pid)
    return pids


def _all(clinic: Clinic) -> list[AuditRecord]:
    return clinic.audit(limit=MAX_PAGE)


def test_each_filter_alone_and_combined_newest_first(clinic: Clinic, clock: FakeClock) -> None:
    pids = _busy_days(clinic, clock)
    everything = _all(clinic)
    assert len(everything) == 12
    assert [entry.id for entry in everything] == sorted((entry.id for entry in everything), reverse=True)
    middle = everything[6].at
    cases: list[tuple[dict[str, Any], Any]] = [
        ({"patient_id": pids[1]}, lambda e: e.patient_id == pids[1]),
        ({"actor": ACTORS[0]}, lambda e: e.actor == ACTORS[0]),
        ({"action": "update_contact"}, lambda e: e.action == "update_contact"),
        ({"since": middle}, lambda e: e.at >= middle),
        ({"until": middle}, lambda e: e.at < middle),
        (
            {"actor": ACTORS[1], "action": "update_contact", "patient_id": pids[0]},
            lambda e: e.actor == ACTORS[1] and e.action == "update_contact" and e.patient_id == pids[0],
        ),
        (
            {"actor": ACTORS[1], "since": everything[9].at, "until": everything[2].at},
            lambda e: e.actor == ACTORS[1] and everything[9].at <= e.at < everything[2].at,
        ),
        ({"actor": "nobody"}, lambda e: False),
        ({"action": "portal_access_off", "before_id": everything[3].id}, None),
    ]
    for filters, keep in cases:
        found = clinic.audit(**filters)
        if keep is None:
            keep = lambda e: e.action == "portal_access_off" and e.id < everything[3].id  # noqa: E731
        expected = [entry for entry in everything if keep(entry)]
        assert found == expected, filters
    assert {entry.action for entry in everything} >= {"add_patient", "update_contact", "portal_access_off"}


def test_keyset_pages_have_no_gaps_and_no_repeats(clinic: Clinic, clock: FakeClock) -> None:
    _busy_days(clinic, clock)
    _busy_days(clinic, clock)
    for filters in ({}, {"actor": ACTORS[1]}, {"action": "update_contact"}):
        everything = clinic.audit(limit=MAX_PAGE, **filters)
        paged: list[AuditRecord] = []
        page = clinic.audit(limit=5, **filters)
        while page:
            assert len(page) <= 5
            paged += page
            page = clinic.audit(limit=5, before_id=page[-1].id, **filters)
        assert paged == everything, filters
    # A page asked for while entries are being added still continues where it left off.
    first = clinic.audit(limit=4)
    add_ready_patient(clinic, "Dora", actor=ACTORS[0])
    assert clinic.audit(limit=4, before_id=first[-1].id)[0].id == first[-1].id - 1


def test_plain_dates_mean_whole_local_days(clinic: Clinic, clock: FakeClock, chicago: None) -> None:
    _busy_days(clinic, clock)
    everything = _all(clinic)
    local_day = {entry.id: entry.at.astimezone().date() for entry in everything}
    # Entries at 03:00 UTC on the 3rd are still the 2nd in Chicago.
    assert any(entry.at.astimezone(UTC).date() != local_day[entry.id] for entry in everything)
    for since, until in (
        (date(2026, 3, 2), date(2026, 3, 2)),
        (date(2026, 3, 3), date(2026, 3, 3)),
        (date(2026, 3, 2), date(2026, 3, 3)),
        (date(2026, 3, 3), None),
        (None, date(2026, 3, 2)),
        (date(2026, 3, 4), date(2026, 3, 9)),
    ):
        found = clinic.audit(since=since, until=until, limit=MAX_PAGE)
        expected = [
            entry
            for entry in everything
            if (since is None or local_day[entry.id] >= since)
            and (until is None or local_day[entry.id] <= until)
        ]
        assert found == expected, (since, until)
    assert clinic.audit(since=date(2026, 3, 2), until=date(2026, 3, 2))
    assert clinic.audit(since=date(2026, 3, 3), until=date(2026, 3, 2)) == []


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"patient_id": "100001"}, "patient_id"),
        ({"patient_id": True}, "patient_id"),
        ({"patient_id": 1.5}, "patient_id"),
        ({"before_id": "9"}, "before_id"),
        ({"before_id": 2**64}, "before_id"),
        ({"patient_id": 0}, "patient_id"),
        ({"limit": 0}, "limit"),
        ({"limit": MAX_PAGE + 1}, "limit"),
        ({"limit": "50"}, "limit"),
        ({"limit": None}, "limit"),
        ({"since": datetime(2026, 3, 2, 9, 0)}, "since"),  # no time zone: which 9 o'clock?
        ({"until": "2026-03-02"}, "until"),
        ({"since": 20260302}, "since"),
        ({"actor": "a\x00b"}, "actor"),
        ({"actor": "x" * 500}, "actor"),
        ({"action": "\u202eevil"}, None),
        ({"actor": 7}, "actor"),
        ({"action": ["update_contact"]}, "action"),
    ],
)
def test_bad_filter_values_are_refused(sqlite_url: str, filters: dict[str, Any], field: str | None) -> None:
    with Clinic.open(sqlite_url) as clinic:
        with pytest.raises(ValidationError) as refused:
            clinic.audit(**filters)
        if field is not None:
            assert refused.value.field == field
        assert len(refused.value.message) < 200


def test_ids_beyond_the_columns_range_are_refused_on_every_database(clinic: Clinic) -> None:
    for filters in ({"patient_id": 2**70}, {"before_id": 2**31}, {"patient_id": -5}):
        with pytest.raises(ValidationError):
            clinic.audit(**filters)
    assert clinic.audit(patient_id=2**31 - 1, before_id=2**31 - 1) == []


def test_who_may_read_the_log(clinic: Clinic) -> None:
    team = add_team(clinic)
    pid = add_ready_patient(clinic, actor=team.front_desk)
    assert [entry.action for entry in clinic.audit(patient_id=pid, viewer=team.front_desk)] == ["add_patient"]
    with pytest.raises(
        NotAllowed, match="Only a manager or an administrator may see the clinic-wide audit log"
    ):
        clinic.audit(viewer=team.front_desk)
    with pytest.raises(NotAllowed, match="Only a manager or an administrator"):
        clinic.audit(actor=team.front_desk, viewer=team.front_desk)
    with pytest.raises(NotAllowed, match="not a staff member"):
        clinic.audit(patient_id=pid, viewer="stranger")
    assert clinic.audit(viewer=team.manager) and clinic.audit(viewer=team.admin.upper())


def test_entries_name_the_workstation_and_the_chain_covers_it(db_url: str, clock: FakeClock) -> None:
    with Clinic.open(db_url, clock=clock, workstation="desk-7") as seven:
        pid = add_ready_patient(seven, actor="ana at desk")
        assert seven.workstation == "desk-7"
    with Clinic.open(db_url, clock=clock, workstation="desk-8") as eight:
        eight.staff.update_contact(pid, zip_code="02140", actor="ana at desk")
        assert [entry.workstation for entry in eight.audit()] == ["desk-8", "desk-7"]
        assert eight.verify_audit().ok
    with Clinic.open(db_url, clock=clock) as default:
        default.access.note(pid, actor="ana at desk")
        default.access.flush()
        assert default.audit(limit=1)[0].workstation == default.workstation != ""


def _chained_rows(moments: list[datetime]) -> list[dict[str, Any]]:
    """Audit rows as a desk before 0006 wrote them: hashed, with no workstation."""
    rows, previous = [], GENESIS
    for number, moment in enumerate(moments, start=1):
        link = ChainLink(
            id=number,
            at=moment,
            actor="frontdesk",
            action="update_contact",
            patient_id=None,
            before=None,
            after='{"zip_code": "02139"}',
            note=None,
            prev_hash=previous,
        )
        previous = link.computed_hash()
        rows.append(
            {
                "id": number,
                "at": moment,
                "actor": link.actor,
                "action": link.action,
                "patient_id": None,
                "after": link.after,
                "prev_hash": link.prev_hash,
                "entry_hash": previous,
            }
        )
    return rows


def test_entries_written_before_workstations_still_verify(own_db_url: str, clock: FakeClock) -> None:
    from alembic import command

    engine = make_engine(own_db_url)
    try:
        with engine.begin() as connection:
            command.upgrade(schema._config(connection), "0005")
            moments = [datetime(2026, 3, 1, 9, minute, tzinfo=UTC) for minute in (0, 5, 10)]
            rows = _chained_rows(moments)
            old_log = sql_table("audit_log", *(column(name) for name in rows[0]))  # no workstation yet
            connection.execute(insert(old_log), rows)
    finally:
        engine.dispose()
    with Clinic.open(own_db_url, clock=clock, workstation="desk-7") as clinic:
        report = clinic.verify_audit()
        assert report.ok and report.entries_checked == 3
        add_ready_patient(clinic, actor="ana at desk")
        report = clinic.verify_audit()
        assert report.ok and report.entries_checked == 4
        assert [entry.workstation for entry in clinic.audit()] == ["desk-7", None, None, None]
        # The workstation is part of the hash: naming another computer afterwards is found.
        _by_hand(clinic, "UPDATE audit_log SET workstation = 'desk-9' WHERE id = 4")
        report = clinic.verify_audit()
        assert (report.ok, report.broken_at, report.problem) == (False, 4, "changed")
        _by_hand(clinic, "UPDATE audit_log SET workstation = 'desk-7' WHERE id = 4")
        assert clinic.verify_audit().ok
        _by_hand(clinic, "UPDATE audit_log SET workstation = 'desk-7' WHERE id = 2")
        report = clinic.verify_audit()
        assert (report.ok, report.broken_at) == (False, 2)


def _by_hand(clinic: Clinic, statement: str) -> None:
    """Edit the log the way a database administrator could (past the append-only guards)."""
    with clinic.engine.begin() as connection:
        dialect = clinic.engine.dialect.name
        if dialect == "postgresql":
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            for name in ("update", "delete", "replace"):
                connection.execute(text(f"DROP TRIGGER IF EXISTS audit_log_no_{name}"))
        connection.execute(text(statement))


@pytest.fixture
def statements(clinic: Clinic) -> Iterator[list[str]]:
    """Every SQL statement the clinic's engine sends."""
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        sent.append(statement)

    event.listen(clinic.engine, "before_cursor_execute", record)
    yield sent
    event.remove(clinic.engine, "before_cursor_execute", record)


def test_one_page_is_one_select(clinic: Clinic, clock: FakeClock, statements: list[str]) -> None:
    pids = _busy_days(clinic, clock)
    newest = _all(clinic)[0]
    for filters in (
        {},
        {"before_id": newest.id},
        {"actor": ACTORS[0], "action": "update_contact", "patient_id": pids[0]},
        {"since": date(2026, 3, 2), "until": clock.now + timedelta(days=1)},
    ):
        statements.clear()
        clinic.audit(**filters)
        selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
        others = [
            s for s in statements if not s.lstrip().upper().startswith(("SELECT", "SET", "BEGIN", "START"))
        ]
        assert len(selects) == 1, selects
        assert others == [], others


def test_date_ranges_are_exact_when_later_entries_carry_earlier_times(
    clinic: Clinic, clock: FakeClock
) -> None:
    """Access events keep the moment they were noted: written after later actions, they carry
    earlier times than entries with smaller ids. A range must still find exactly its entries."""
    pid = add_ready_patient(clinic, actor=ACTORS[0])
    noted = []
    for _ in range(6):
        clock.advance(minutes=10)
        clinic.access.note(pid, actor=ACTORS[1])
        noted.append(clock.now)
        clinic.staff.update_contact(pid, phone=f"(617) 555-01{len(noted):02d}", actor=ACTORS[0])
    clinic.access.flush()
    everything = _all(clinic)
    ids_by_time = [entry.id for entry in sorted(everything, key=lambda entry: (entry.at, entry.id))]
    assert ids_by_time != sorted(ids_by_time), "the scene needs times and ids out of step"
    moments = sorted({entry.at for entry in everything})
    for since in (None, *moments[::3]):
        for until in (None, *moments[1::3]):
            found = clinic.audit(since=since, until=until, limit=MAX_PAGE)
            expected = [
                entry
                for entry in everything
                if (since is None or entry.at >= since) and (until is None or entry.at < until)
            ]
            assert found == expected, (since, until)
            if expected:
                page = clinic.audit(since=since, until=until, limit=2)
                assert page == expected[:2]
