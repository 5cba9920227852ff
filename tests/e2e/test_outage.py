"""The server goes away mid-action and comes back: clean failure, a banner, and recovery by itself.

A TCP proxy of the test's own sits between the window and PostgreSQL; it adds latency,
cuts every connection (refusing new ones) and restores them.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer
from sqlalchemy import event

from clinic_desk import Clinic, DatabaseUnavailable
from clinic_desk.ui import MainWindow
from clinic_desk.ui.patient.patient_session import wait_for_listeners
from clinic_desk.ui.tasks import run_in_background, wait_for_tasks
from tests import databases
from tests.conftest import FakeClock
from tests.services.helpers import add_ready_patient
from tests.tcp_proxy import TcpProxy
from tests.ui.conftest import make_window

__all__ = ["make_window"]  # a fixture used here

# A GUI thread that waited on the server would freeze for whole round trips through the
# slow proxy (seconds for a patient open); a busy machine's own hiccups stay well below this.
BLOCKED = 1.0


class Ticker:
    """A QTimer ticking every 20 ms: if the GUI thread blocks, the gaps between ticks show it."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(lambda: self.times.append(time.monotonic()))
        self.timer.start()

    def longest_gap(self, since: float = 0.0) -> float:
        times = [t for t in self.times if t >= since]
        return max((b - a for a, b in itertools.pairwise(times)), default=0.0)

    def stop(self) -> None:
        self.timer.stop()


@pytest.fixture
def server() -> Iterator[tuple[str, TcpProxy]]:
    """A fresh PostgreSQL database and a proxy in front of it: ``(direct_url, proxy)``."""
    with databases.postgres_database() as url, TcpProxy(databases.PG_HOST, databases.PG_PORT) as proxy:
        Clinic.open(url).close()
        yield url, proxy


@pytest.fixture
def window_on(make_window) -> Iterator:
    """Make a shown MainWindow (``make_window``); closed, drained and its listener joined afterwards."""
    made: list[MainWindow] = []

    def make(clinic: Clinic) -> MainWindow:
        window = make_window(clinic, persist=False)
        made.append(window)
        return window

    yield make
    for window in made:
        window.close()
    assert wait_for_tasks(20_000)
    assert wait_for_listeners(5.0)


def test_slow_server_never_freezes_the_window(qtbot, server, window_on, clock: FakeClock):
    direct_url, proxy = server
    with Clinic.open(direct_url, clock=clock) as setup:
        pid = add_ready_patient(setup)
    clinic = Clinic.open(proxy.url_for(direct_url), clock=clock)
    try:
        window = window_on(clinic)
        proxy.latency = 0.3
        ticker = Ticker()
        started = time.monotonic()
        with qtbot.waitSignal(window.patient_opened, timeout=30_000):
            window.open_patient(pid)
            qtbot.keyClicks(window.search.field, "Lo")  # typing works while it loads
        took = time.monotonic() - started
        ticker.stop()
        assert took > 0.3, "the latency proxy was not in the way"
        assert ticker.longest_gap(started) < BLOCKED, "the GUI thread waited on the server"
        assert window.search.field.text() == "Lo"
        assert window.dash.photo_block.icon.property("portalStatus") == "gold"
    finally:
        proxy.latency = 0.0
        window.close()
        wait_for_tasks(20_000)
        clinic.close()


def _changes_audited(clinic: Clinic, pid: int) -> int:
    """Audit entries of changes to the chart (the chart's access events are written on a timer,
    whenever the desk's one pooled connection is free, so their moment is not the test's)."""
    return sum(1 for record in clinic.staff.audit_trail(pid) if not record.action.startswith("chart_"))


def test_server_lost_mid_action_then_back(qtbot, server, window_on, clock: FakeClock):
    direct_url, proxy = server
    direct = Clinic.open(direct_url, clock=clock)
    clinic = Clinic.open(proxy.url_for(direct_url), clock=clock)
    try:
        pid = add_ready_patient(direct)
        window = window_on(clinic)
        banner = window.dash.outage_banner
        monitor = window.session.outage
        icon = window.dash.photo_block.icon

        # A slow server (200 ms per round trip): the patient opens, the window keeps ticking.
        proxy.latency = 0.2
        ticker = Ticker()
        opened_at = time.monotonic()
        with qtbot.waitSignal(window.patient_opened, timeout=30_000):
            window.open_patient(pid)
        assert ticker.longest_gap(opened_at) < BLOCKED
        assert icon.property("portalStatus") == "gold"
        audit_before = _changes_audited(direct, pid)

        # The server goes away in the middle of a wizard-like action: after its UPDATE, as the
        # audit entry is written.
        # Cut once. (A listener never removes itself while the engine is calling it: the engine
        # walks its listeners as it calls them.)
        cut: list[str] = []

        def cut_at_audit(_conn, _cursor, statement, *_args) -> None:
            if not cut and statement.startswith("INSERT INTO audit_log"):
                cut.append(statement)
                proxy.cut()

        event.listen(clinic.engine, "before_cursor_execute", cut_at_audit)
        failures: list[Exception] = []
        cut_at = time.monotonic()
        run_in_background(
            lambda: clinic.staff.set_portal_access(
                pid, enabled=False, actor="frontdesk", reason="patient_request"
            ),
            lambda _none: pytest.fail("the action succeeded although the server was cut"),
            failures.append,
            owner=window,
            name="set_portal_access",
        )
        qtbot.waitUntil(lambda: bool(failures), timeout=15_000)
        event.remove(clinic.engine, "before_cursor_execute", cut_at_audit)
        assert cut and isinstance(failures[0], DatabaseUnavailable)
        assert "Nothing was saved" in str(failures[0])

        # A clear banner; the window stays responsive; nothing was half-written.
        qtbot.waitUntil(banner.isVisible, timeout=5000)
        assert "cannot be reached" in banner.message()
        assert monitor.in_outage
        qtbot.keyClicks(window.search.field, "An")
        assert window.search.field.text() == "An"
        assert direct.status(pid).color == "gold"  # the switch did not move
        assert _changes_audited(direct, pid) == audit_before  # and no audit entry either

        # Retries back off while the server is away (0.5 s, 1 s, 2 s ...; never above 10 s).
        qtbot.waitUntil(lambda: len(monitor.retry_delays) >= 3, timeout=10_000)
        assert monitor.retry_delays[:3] == [500, 1000, 2000]
        assert all(delay <= 10_000 for delay in monitor.retry_delays)
        assert "Trying again" in banner.message()
        assert ticker.longest_gap(cut_at) < BLOCKED

        # The server comes back: the banner goes and the patient reloads by itself.
        reloads: list[object] = []
        window.session.patient_loaded.connect(reloads.append)
        proxy.restore()
        qtbot.waitUntil(lambda: not banner.isVisible(), timeout=15_000)
        # Generous: a run beside other heavy tests (pytest in two processes) can be slow here.
        qtbot.waitUntil(lambda: bool(reloads), timeout=30_000)
        assert icon.property("portalStatus") == "gold"
        assert window.session.model.error == ""

        # Doing it again now works, and the icon follows (live update through the proxy).
        proxy.latency = 0.0
        clinic.staff.set_portal_access(pid, enabled=False, actor="frontdesk", reason="patient_request")
        qtbot.waitUntil(lambda: icon.property("portalStatus") == "red", timeout=5000)
        assert _changes_audited(direct, pid) == audit_before + 1
        ticker.stop()
    finally:
        proxy.latency = 0.0
        for widget in [window] if "window" in locals() else []:
            widget.close()
        wait_for_tasks(20_000)
        clinic.close()
        direct.close()
