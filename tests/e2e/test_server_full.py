"""A server with no free connection: the desk says so plainly, backs off, and carries on by itself."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import make_url

from clinic_desk import Clinic
from clinic_desk.ui.patient.patient_session import wait_for_listeners
from clinic_desk.ui.tasks import wait_for_tasks
from tests import databases
from tests.services.helpers import add_ready_patient
from tests.ui.conftest import make_window

__all__ = ["make_window"]  # a fixture used here

pytestmark = pytest.mark.postgres


def _dsn(url: str, user: str = "postgres") -> str:
    parsed = make_url(url)
    return f"host={parsed.host} port={parsed.port} user={user} dbname={parsed.database}"


@pytest.fixture
def two_slots() -> Iterator[tuple[str, str, str]]:
    """A clinic database and a role the server lets in twice: ``(admin_url, desk_url, role)``."""
    role = f"clinic_two_{uuid.uuid4().hex[:8]}"
    with databases.postgres_database() as url:
        Clinic.open(url).close()
        with psycopg.connect(_dsn(url), autocommit=True) as admin:
            admin.execute(f'CREATE ROLE "{role}" LOGIN CONNECTION LIMIT 2')
            admin.execute(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{role}"')
            admin.execute(f'GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "{role}"')
        try:
            yield url, make_url(url).set(username=role).render_as_string(hide_password=False), role
        finally:
            with psycopg.connect(_dsn(url), autocommit=True) as admin:
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (role,)
                )
                admin.execute(f'DROP OWNED BY "{role}"')
                admin.execute(f'DROP ROLE "{role}"')


def _held(url: str, role: str) -> int:
    with psycopg.connect(_dsn(url), autocommit=True) as admin:
        row = admin.execute("SELECT count(*) FROM pg_stat_activity WHERE usename = %s", (role,)).fetchone()
    return int(row[0]) if row else 0


def test_a_full_server_shows_its_own_banner_and_the_desk_resumes_when_a_slot_frees(
    qtbot, make_window, two_slots
) -> None:
    admin_url, desk_url, role = two_slots
    with Clinic.open(admin_url) as setup:
        first, second = add_ready_patient(setup), add_ready_patient(setup, "Bo", "Chen")
    clinic = Clinic.open(desk_url, upgrade=False)
    window = None
    try:
        window = make_window(clinic, persist=False)
        with qtbot.waitSignal(window.patient_opened, timeout=20_000):
            window.open_patient(first)
        # The desk's listener holds one slot; its pooled connection is let go once idle.
        qtbot.waitUntil(lambda: _held(admin_url, role) == 1, timeout=10_000)
        banner = window.dash.outage_banner
        monitor = window.session.outage
        with psycopg.connect(_dsn(desk_url, role)):  # someone else takes the last slot
            window.open_patient(second)
            qtbot.waitUntil(banner.isVisible, timeout=10_000)
            assert "no free connection" in banner.message()
            assert "cannot be reached" not in banner.message()
            qtbot.waitUntil(lambda: len(monitor.retry_delays) >= 2, timeout=10_000)
            assert monitor.retry_delays[:2] == [500, 1000]  # backing off, not hammering the server
        # The slot is free again: the banner goes and the desk carries on by itself.
        qtbot.waitUntil(lambda: not banner.isVisible(), timeout=20_000)
        with qtbot.waitSignal(window.patient_opened, timeout=20_000):
            window.open_patient(second)
    finally:
        if window is not None:
            window.close()
        wait_for_tasks(20_000)
        clinic.close()
        assert wait_for_listeners(5.0)
