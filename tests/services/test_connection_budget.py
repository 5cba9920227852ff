"""A desk's connection budget on a shared PostgreSQL server, and a server with no free slot.

At most two server connections per desk: its actions share one pooled connection (closed
when idle), and every part of the window that listens shares one LISTEN connection.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from clinic_desk import Clinic, ServerFull
from clinic_desk.portal.app import create_app
from clinic_desk.services.change_feed import ChangeSource
from tests import databases
from tests.services.helpers import STAFF, add_ready_patient

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url() -> Iterator[str]:
    with databases.postgres_database() as url:
        Clinic.open(url).close()
        yield url


def _dsn(url: str) -> str:
    parsed = make_url(url)
    return f"host={parsed.host} port={parsed.port} user=postgres dbname={parsed.database}"


def _connections(url: str, name: str) -> int:
    """This database's client connections whose application name starts with ``name``."""
    with psycopg.connect(_dsn(url), autocommit=True) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND application_name LIKE %s",
            (f"{name}%",),
        ).fetchone()
    return int(row[0]) if row else 0


def _drained(feed: ChangeSource) -> None:
    """Read away what a new feed says first ("anything may have changed")."""
    while feed.wait(0.3):
        pass


def _eventually(check, seconds: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return bool(check())


def test_a_desk_holds_at_most_two_connections_and_lets_the_idle_one_go(pg_url: str) -> None:
    name = f"budget-{uuid.uuid4().hex[:8]}"
    with Clinic.open(f"{pg_url}?application_name={name}") as desk:
        patient_id = add_ready_patient(desk)
        # Two parts of the window listen (the roster and the open patient): one feed between them.
        roster, patient = desk.live.changes(), desk.live.changes()
        try:
            assert desk.live.listeners == 2
            assert _connections(pg_url, f"{name}-live") == 1
            for _ in range(5):
                desk.staff.chart(patient_id)
                desk.staff.update_contact(patient_id, actor=STAFF, phone="617-555-0100")
            assert _connections(pg_url, name) <= 2
            # Both listeners hear another desk's change through the one connection.
            _drained(roster)
            _drained(patient)
            with Clinic.open(pg_url) as other:
                other.staff.update_contact(patient_id, actor=STAFF, phone="617-555-0199")
            for feed in (roster, patient):
                assert _eventually(lambda feed=feed: feed.wait(0.5).touches(patient_id))  # type: ignore[misc]
            # Unused for a few seconds, the pooled connection goes back to the server.
            assert _eventually(lambda: _connections(pg_url, name) == 1)
            desk.staff.chart(patient_id)  # and comes back when needed
        finally:
            roster.close()
            patient.close()
        assert _eventually(lambda: _connections(pg_url, f"{name}-live") == 0)


def test_a_read_inside_an_open_transaction_does_not_wait_for_itself(pg_url: str) -> None:
    with Clinic.open(pg_url) as desk:
        patient_id = add_ready_patient(desk)
        with desk.reading() as session:
            assert session.connection() is not None
            assert desk.staff.chart(patient_id).version >= 1  # a second connection, for a moment


@pytest.fixture
def full_server(pg_url: str) -> Iterator[tuple[str, str]]:
    """A role allowed one connection, and the URL a desk signs in with as that role."""
    role = f"clinic_one_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_dsn(pg_url), autocommit=True) as admin:
        admin.execute(f'CREATE ROLE "{role}" LOGIN CONNECTION LIMIT 1')
        admin.execute(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{role}"')
        admin.execute(f'GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "{role}"')
    parsed = make_url(pg_url).set(username=role)
    try:
        yield parsed.render_as_string(hide_password=False), role
    finally:
        with psycopg.connect(_dsn(pg_url), autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (role,)
            )
            admin.execute(f'REASSIGN OWNED BY "{role}" TO postgres')
            admin.execute(f'DROP OWNED BY "{role}"')
            admin.execute(f'DROP ROLE "{role}"')


def test_a_full_server_is_said_plainly_and_the_desk_carries_on_once_a_slot_frees(
    pg_url: str, full_server: tuple[str, str]
) -> None:
    url, _role = full_server
    with Clinic.open(pg_url) as setup:
        patient_id = add_ready_patient(setup)
    with Clinic.open(url, upgrade=False) as desk:
        desk.staff.chart(patient_id)  # the one slot works
        parsed = make_url(url)
        # Someone else takes the role's only slot while the desk's connection is idle and closed.
        desk.engine.dispose()
        with psycopg.connect(
            f"host={parsed.host} port={parsed.port} user={parsed.username} dbname={parsed.database}"
        ):
            with pytest.raises(ServerFull) as refused:
                desk.staff.update_contact(patient_id, actor=STAFF, phone="617-555-0111")
            assert "no free connection" in str(refused.value)
            assert "Nothing was saved" in str(refused.value)
            with pytest.raises(ServerFull):
                desk.staff.chart(patient_id)
        # The slot is free again: the same desk carries on.
        desk.staff.update_contact(patient_id, actor=STAFF, phone="617-555-0112")
        assert desk.staff.chart(patient_id).phone is not None


def test_the_portal_answers_503_with_retry_after_when_the_server_is_full(
    pg_url: str, full_server: tuple[str, str]
) -> None:
    url, _role = full_server
    with Clinic.open(url, upgrade=False) as clinic:
        portal = TestClient(create_app(clinic, b"k" * 32), raise_server_exceptions=False)
        first = portal.get("/")
        assert first.status_code == 200
        clinic.engine.dispose()
        parsed = make_url(url)
        with psycopg.connect(
            f"host={parsed.host} port={parsed.port} user={parsed.username} dbname={parsed.database}"
        ):
            signed = portal.post(
                "/", data={"csrf_token": _token(first.text), "username": "x", "password": "y"}
            )
        assert signed.status_code == 503
        assert signed.headers["Retry-After"] == "5"


def _token(page: str) -> str:
    import re

    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    return found.group(1)


def test_behind_a_transaction_pooler_without_a_listen_address_the_desk_polls_its_own_pool(
    pg_url: str,
) -> None:
    """``pooler=transaction``, no ``listen_host``: no LISTEN (PgBouncer would lose it), no 3rd connection."""
    name = f"polled-{uuid.uuid4().hex[:8]}"
    with Clinic.open(f"{pg_url}?pooler=transaction&application_name={name}") as desk:
        patient_id = add_ready_patient(desk)
        feed = desk.live.changes()
        try:
            assert _connections(pg_url, f"{name}-live") == 0
            _drained(feed)
            with Clinic.open(pg_url) as other:
                other.staff.update_contact(patient_id, actor=STAFF, phone="617-555-0123")
            assert _eventually(lambda: feed.wait(0.5).touches(patient_id))
            assert _connections(pg_url, name) <= 1
        finally:
            feed.close()
