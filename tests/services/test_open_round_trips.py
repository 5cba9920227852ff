"""Opening a patient costs one round trip on the wire to PostgreSQL, and one statement on SQLite.

Counted, never timed: the project's TCP proxy counts each time the client speaks after the
server answered; on SQLite a statement counter on the engine. A patient with no email and one
with twenty cost the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from clinic_desk import Clinic
from clinic_desk.domain.errors import NotFound
from tests.conftest import FakeClock, emptied_server_url
from tests.databases import PG_HOST, PG_PORT
from tests.services.helpers import STAFF, add_ready_patient
from tests.tcp_proxy import TcpProxy

# The goal is at most two; today the open is one.
MOST_ROUND_TRIPS = 2


def _patient_with_emails(clinic: Clinic, emails: int) -> int:
    pid = add_ready_patient(clinic, email=f"ana{emails}@example.com")
    add_ready_patient(clinic, first="Eva", email=f"ana{emails}@example.com")  # a chart sharing the email
    for _ in range(emails):
        clinic.staff.send_invitation(pid, actor=STAFF)
    return pid


@pytest.fixture
def proxied(request: pytest.FixtureRequest, clock: FakeClock) -> Iterator[tuple[Clinic, TcpProxy]]:
    url = emptied_server_url(request, "postgresql")
    with TcpProxy(PG_HOST, PG_PORT) as proxy, Clinic.open(proxy.url_for(url), clock=clock) as clinic:
        yield clinic, proxy


@pytest.mark.parametrize("emails", [0, 20])
def test_opening_a_patient_on_postgresql_is_one_round_trip(
    proxied: tuple[Clinic, TcpProxy], emails: int
) -> None:
    clinic, proxy = proxied
    pid = _patient_with_emails(clinic, emails)
    clinic.patient_snapshot(pid)  # the pool is warm, as on a desk that has been running
    before = proxy.round_trips
    snapshot = clinic.patient_snapshot(pid)
    trips = proxy.round_trips - before
    assert trips <= MOST_ROUND_TRIPS
    assert trips == 1
    assert len(snapshot.emails) == min(emails, 5) and snapshot.more_emails == (emails > 5)

    # The check the session makes while the patient stays open is one round trip too.
    before = proxy.round_trips
    assert clinic.change_stamp(pid) == snapshot.stamp
    assert proxy.round_trips - before == 1
    assert [chart.name for chart in clinic.portal_facts(pid).shared_with] == ["Eva Lopez"]


def test_the_status_alone_is_one_round_trip(proxied: tuple[Clinic, TcpProxy]) -> None:
    clinic, proxy = proxied
    pid = _patient_with_emails(clinic, 2)
    clinic.status(pid)
    before = proxy.round_trips
    assert clinic.status(pid).color
    assert proxy.round_trips - before == 1


@pytest.mark.parametrize("emails", [0, 20])
def test_opening_a_patient_on_sqlite_is_one_statement(sqlite_url: str, clock: FakeClock, emails: int) -> None:
    with Clinic.open(sqlite_url, clock=clock) as clinic:
        pid = _patient_with_emails(clinic, emails)
        statements: list[str] = []

        def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            statements.append(statement)

        event.listen(clinic.engine, "before_cursor_execute", seen)
        snapshot = clinic.patient_snapshot(pid)
        event.remove(clinic.engine, "before_cursor_execute", seen)
    assert len(statements) == 1, statements  # no BEGIN either: one statement is its own moment
    assert snapshot.patient_id == pid


@pytest.mark.parametrize("patient_id", [2**31, 2**40, -1, 0])
def test_ids_beyond_the_column_are_not_found_in_plain_words(clinic: Clinic, patient_id: int) -> None:
    for read in (clinic.status, clinic.patient_snapshot, clinic.portal_facts, clinic.change_stamp):
        with pytest.raises(NotFound, match=f"No patient with id {patient_id} was found"):
            read(patient_id)


def test_a_search_as_typed_is_one_round_trip(proxied: tuple[Clinic, TcpProxy]) -> None:
    # It runs at every keystroke: no BEGIN and COMMIT around its one statement.
    clinic, proxy = proxied
    pid = _patient_with_emails(clinic, 0)
    clinic.staff.find_patients("lop", limit=21)
    before = proxy.round_trips
    found = clinic.staff.find_patients("lop", limit=21)
    assert proxy.round_trips - before == 1
    assert pid in [summary.patient_id for summary in found]
