"""Chart access events (DESIGN.md section 5): noted in memory with no SQL, written in one
transaction per flush, kept when the database is gone, safe across threads, flushed at close."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from clinic_desk import Clinic, DatabaseUnavailable, ValidationError
from clinic_desk.services.access_log import BATCH_LIMIT
from tests import databases
from tests.conftest import FakeClock
from tests.services.helpers import add_ready_patient
from tests.services.staff_helpers import add_team, row_count
from tests.tcp_proxy import TcpProxy


@pytest.fixture
def traffic(clinic: Clinic) -> Iterator[dict[str, list[Any]]]:
    """The SQL statements the clinic's engine sends and the transactions it commits."""
    seen: dict[str, list[Any]] = {"statements": [], "commits": []}

    def statement(_conn: Any, _cursor: Any, sql: str, *_rest: Any) -> None:
        seen["statements"].append(sql)

    def commit(_conn: Any) -> None:
        seen["commits"].append(True)

    event.listen(clinic.engine, "before_cursor_execute", statement)
    event.listen(clinic.engine, "commit", commit)
    yield seen
    event.remove(clinic.engine, "before_cursor_execute", statement)
    event.remove(clinic.engine, "commit", commit)


def test_noting_does_no_sql_and_a_flush_is_one_transaction(
    clinic: Clinic, clock: FakeClock, traffic: dict[str, list[Any]]
) -> None:
    pids = [add_ready_patient(clinic, first) for first in ("Ana", "Ben", "Cleo")]
    traffic["statements"].clear()
    traffic["commits"].clear()
    for number, pid in enumerate(pids * 3):
        clinic.access.note(pid, actor="ana at desk", kind=("opened", "printed", "exported")[number % 3])
        clock.advance(seconds=30)
    assert traffic["statements"] == [] and clinic.access.pending() == 9
    assert clinic.access.flush() == 9
    assert len(traffic["commits"]) == 1
    assert clinic.access.pending() == 0 and clinic.access.flush() == 0
    written = clinic.audit(actor="ana at desk")
    assert [entry.action for entry in reversed(written)] == [
        "chart_opened",
        "chart_printed",
        "chart_exported",
    ] * 3
    assert [entry.patient_id for entry in reversed(written)] == pids * 3
    # Each event keeps the moment it was noted, not the flush's.
    assert written[-1].at < written[0].at
    assert clinic.verify_audit().ok


def test_the_history_shows_who_opened_the_chart(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic, actor="ana at desk")
    clinic.access.note(pid, actor="ben at desk")
    clinic.access.flush()
    history = clinic.audit(patient_id=pid)
    assert [(entry.action, entry.actor) for entry in history] == [
        ("chart_opened", "ben at desk"),
        ("add_patient", "ana at desk"),
    ]
    assert [entry.action for entry in clinic.staff.audit_trail(pid)][-1] == "chart_opened"


def test_events_are_recorded_under_the_members_username(clinic: Clinic) -> None:
    team = add_team(clinic)
    pid = add_ready_patient(clinic, actor=team.front_desk)
    clinic.access.note(pid, actor=team.front_desk.upper())
    clinic.access.flush()
    assert clinic.audit(patient_id=pid, action="chart_opened")[0].actor == team.front_desk


@pytest.mark.parametrize(
    ("call", "field"),
    [
        ({"patient_id": "100001"}, "patient_id"),
        ({"patient_id": True}, "patient_id"),
        ({"patient_id": 2**40}, "patient_id"),
        ({"kind": "viewed"}, "kind"),
        ({"actor": ""}, "actor"),
        ({"actor": "a\x1b[2Jb"}, "actor"),
    ],
)
def test_bad_events_are_refused_at_once(sqlite_url: str, call: dict[str, Any], field: str) -> None:
    with Clinic.open(sqlite_url) as clinic:
        arguments: dict[str, Any] = {"patient_id": 1, "actor": "ana at desk", **call}
        with pytest.raises(ValidationError) as refused:
            clinic.access.note(**arguments)
        assert refused.value.field == field
        assert clinic.access.pending() == 0


def test_a_big_backlog_goes_out_in_batches(sqlite_url: str) -> None:
    with Clinic.open(sqlite_url) as clinic:
        for number in range(BATCH_LIMIT + 20):
            clinic.access.note(1 + number % 7, actor="ana at desk")
        assert clinic.access.flush() == BATCH_LIMIT
        assert clinic.access.flush() == 20
        ids = [entry.id for entry in clinic.audit(limit=1000)]
        assert ids == list(range(BATCH_LIMIT + 20, 0, -1))


def test_notes_from_many_threads_are_all_written_once(clinic: Clinic) -> None:
    threads_count, each = 6, 40
    start = threading.Barrier(threads_count + 1)
    problems: list[BaseException] = []

    def note(thread: int) -> None:
        try:
            start.wait()
            for number in range(each):
                clinic.access.note(1000 * thread + number + 1, actor=f"desk {thread}")
                if number % 15 == 0 and thread == 0:
                    clinic.access.flush()  # a flush while others are still noting loses nothing
        except BaseException as error:
            problems.append(error)

    threads = [threading.Thread(target=note, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    start.wait()
    for thread in threads:
        thread.join()
    while clinic.access.flush():
        pass
    assert problems == []
    entries = clinic.audit(action="chart_opened", limit=1000)
    assert sorted(entry.patient_id or 0 for entry in entries) == sorted(
        1000 * t + n + 1 for t in range(threads_count) for n in range(each)
    )
    assert clinic.verify_audit().ok


def test_close_writes_what_is_waiting(db_url: str, clock: FakeClock) -> None:
    with Clinic.open(db_url, clock=clock) as clinic:
        pid = add_ready_patient(clinic)
        clinic.access.note(pid, actor="ana at desk", kind="printed")
    with Clinic.open(db_url, clock=clock) as again:
        assert again.audit(limit=1)[0].action == "chart_printed"


def test_a_flush_while_the_server_is_gone_keeps_the_events(clock: FakeClock) -> None:
    with (
        databases.postgres_database() as url,
        TcpProxy(databases.PG_HOST, databases.PG_PORT) as proxy,
        Clinic.open(proxy.url_for(url), clock=clock, answer_seconds=2) as clinic,
    ):
        pid = add_ready_patient(clinic)
        for kind in ("opened", "printed"):
            clinic.access.note(pid, actor="ana at desk", kind=kind)
        proxy.cut()
        with pytest.raises(DatabaseUnavailable):
            clinic.access.flush()
        assert clinic.access.pending() == 2
        clinic.access.note(pid, actor="ana at desk", kind="exported")
        proxy.restore()
        assert clinic.access.flush() == 3
        actions = [entry.action for entry in clinic.audit(patient_id=pid)]
        assert actions == ["chart_exported", "chart_printed", "chart_opened", "add_patient"]
        assert row_count(clinic, "audit_log") == 4
