"""No ping before each use: a pooled connection the server dropped costs a read nothing visible.

The server ends the desk's idle connections (as a restart or a firewall would); the next
read finds its connection dead at once and runs again, once, on a fresh one.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from clinic_desk import Clinic
from tests.conftest import FakeClock, emptied_server_url
from tests.services.helpers import STAFF, add_ready_patient


def _end_the_desks_connections(url: str) -> int:
    admin = create_engine(url, connect_args={"application_name": "test-admin"})
    try:
        with admin.connect() as connection:
            ended = connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND application_name = 'clinic-desk'"
                )
            ).scalar_one()
    finally:
        admin.dispose()
    return int(ended)


def test_reads_survive_connections_the_server_dropped(
    request: pytest.FixtureRequest, clock: FakeClock
) -> None:
    url = emptied_server_url(request, "postgresql")
    with Clinic.open(url, clock=clock) as clinic:
        pid = add_ready_patient(clinic)
        clinic.patient_snapshot(pid)
        assert _end_the_desks_connections(url) >= 1
        assert clinic.patient_snapshot(pid).patient_id == pid

        clinic.status(pid)
        assert _end_the_desks_connections(url) >= 1
        assert clinic.audit(patient_id=pid, viewer=None)  # a read in a transaction, retried the same way

        # After a drop the pool starts afresh, so a save finds a live connection too.
        clinic.change_stamp(pid)
        assert _end_the_desks_connections(url) >= 1
        clinic.change_stamp(pid)
        clinic.staff.update_contact(pid, phone="617-555-0100", actor=STAFF)
        assert "555-0100" in (clinic.staff.chart(pid).phone or "")
