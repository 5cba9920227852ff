"""Opening a patient in the window: what goes over the wire to PostgreSQL, counted by the test's proxy.

The window is warm (its change listener runs, the pool has connections) as on a desk that
has been open a while; then a second patient opens, and everything the window reads for it
(the dash, the icon, the wizard's plan, the History card) is counted until every worker is done.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from clinic_desk import Clinic
from clinic_desk.ui.tasks import wait_for_tasks
from tests.conftest import FakeClock
from tests.e2e.test_outage import server, window_on
from tests.services.helpers import STAFF, add_ready_patient
from tests.ui.conftest import make_window

__all__ = ["make_window", "server", "window_on"]  # fixtures used here

MOST_ROUND_TRIPS = 2


def test_opening_a_patient_in_the_window_is_at_most_two_round_trips(
    qtbot, server, window_on, clock: FakeClock
):
    direct_url, proxy = server
    with Clinic.open(direct_url, clock=clock) as setup:
        first = add_ready_patient(setup)
        second = add_ready_patient(setup, first="Eva", email="eva@example.com")
        for _ in range(20):
            setup.staff.send_invitation(second, actor=STAFF)
    with Clinic.open(proxy.url_for(direct_url), clock=clock) as clinic:
        window = window_on(clinic)
        with qtbot.waitSignal(window.patient_opened, timeout=10_000):
            window.open_patient(first)
        # The change listener's first batch says "anything may have changed" (it was not
        # listening before): the session checks the stamp once. Part of starting, not of an open.
        qtbot.waitUntil(lambda: window.session.changes_seen >= 1, timeout=10_000)
        assert wait_for_tasks(10_000)

        statements: list[str] = []

        def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            statements.append(statement.split("\n", 1)[0][:80])

        event.listen(clinic.engine, "before_cursor_execute", seen)
        before = proxy.round_trips
        with qtbot.waitSignal(window.patient_opened, timeout=10_000):
            window.open_patient(second)
        assert wait_for_tasks(10_000)
        qtbot.wait(200)  # anything the dash starts once it has painted
        assert wait_for_tasks(10_000)
        trips = proxy.round_trips - before
        event.remove(clinic.engine, "before_cursor_execute", seen)
        assert trips <= MOST_ROUND_TRIPS, (trips, statements)
