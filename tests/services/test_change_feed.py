"""Another workstation's change reaches this one's change feed."""

from __future__ import annotations

import time

import pytest

from clinic_desk import Clinic
from clinic_desk.services.change_feed import ChangeFeed
from tests.conftest import FakeClock
from tests.services.helpers import GOOD_PASSWORD, STAFF, add_ready_patient


def _wait_for(feed: ChangeFeed, patient_id: int, seconds: float = 5.0) -> float:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if feed.wait(0.5).touches(patient_id):
            return time.monotonic() - start
    raise AssertionError("the change never arrived")


def test_change_from_another_workstation_arrives_in_the_next_batch(db_url: str, clock: FakeClock) -> None:
    with Clinic.open(db_url, clock=clock) as here, Clinic.open(db_url, clock=clock) as there:
        pid = add_ready_patient(here)
        feed = ChangeFeed(here.url)
        try:
            for _ in range(3):  # start listening; the first batch may be "everything"
                feed.wait(0.1)
            assert not feed.wait(0.3).touches(pid)  # nothing happened yet
            there.staff.set_portal_access(pid, enabled=False, actor=STAFF, reason="patient_request")
            # The first batch after the commit carries it (the wait is generous: no timing is tested).
            assert feed.wait(10.0).touches(pid)
        finally:
            feed.close()


def test_quiet_database_gives_empty_batches(sqlite_url: str) -> None:
    with Clinic.open(sqlite_url) as clinic:
        add_ready_patient(clinic)
        feed = ChangeFeed(clinic.url)
        try:
            feed.wait(0.05)
            assert not feed.wait(0.3)
        finally:
            feed.close()


def test_postgres_names_the_patient(db_url: str, clock: FakeClock) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("only PostgreSQL's LISTEN/NOTIFY names the patient; the others say 'something changed'")
    with Clinic.open(db_url, clock=clock) as clinic:
        one = add_ready_patient(clinic)
        two = add_ready_patient(clinic, first="Bo")
        feed = ChangeFeed(clinic.url)
        try:
            feed.wait(0.1)
            clinic.portal.login("nobody", "x")  # no change at all
            clinic.staff.send_invitation(two, actor=STAFF)
            changes = feed.wait(2.0)
            assert two in changes.patient_ids and one not in changes.patient_ids
        finally:
            feed.close()


def test_the_desk_hears_an_activation_and_a_sign_in_from_the_portal(db_url: str, clock: FakeClock) -> None:
    with Clinic.open(db_url, clock=clock) as desk, Clinic.open(db_url, clock=clock) as portal:
        pid = add_ready_patient(desk)
        code = desk.staff.issue_activation_code(pid, actor=STAFF).code
        feed = ChangeFeed(desk.url)
        try:
            for _ in range(3):  # start listening; the first batch may be "everything"
                feed.wait(0.1)
            portal.portal.activate(code, date_of_birth="1984-06-02", username="ana.l", password=GOOD_PASSWORD)
            assert feed.wait(10.0).touches(pid)
            assert desk.status(pid).color == "gold"
            portal.portal.sign_in("ana.l", GOOD_PASSWORD)
            assert feed.wait(10.0).touches(pid)
            assert desk.status(pid).color == "blue"
        finally:
            feed.close()
