"""The mail-worker records the day's portal status once a day (the adoption chart's record),
also on nights when no window is open."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import select

from clinic_desk import Clinic
from clinic_desk.db.models import PortalStatusDay
from tests.conftest import FakeClock
from tests.services.helpers import add_ready_patient
from tests.smtp_server import SmtpTestServer


def recorded_days(clinic: Clinic) -> list[date]:
    with clinic.reading() as session:
        return sorted(set(session.scalars(select(PortalStatusDay.day)).all()))


def rows_of(clinic: Clinic) -> int:
    with clinic.reading() as session:
        return len(session.scalars(select(PortalStatusDay.day)).all())


def wait_for(check: object, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.02)
    raise AssertionError("timed out")


@contextmanager
def worker(clinic: Clinic, *, record_status: bool) -> Iterator[None]:
    stop = threading.Event()
    thread = threading.Thread(
        target=clinic.mail.run_sender,  # what `clinic-desk mail-worker` runs
        args=(stop,),
        kwargs={"poll_seconds": 0.02, "record_status": record_status},
    )
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


def test_the_mail_worker_records_each_day_once(
    clinic: Clinic, clock: FakeClock, smtp_server: SmtpTestServer
) -> None:
    clinic.update_settings(actor="admin", **smtp_server.settings())
    add_ready_patient(clinic)
    today = clock().date()
    with worker(clinic, record_status=True):
        wait_for(lambda: recorded_days(clinic) == [today])
        first = rows_of(clinic)
        time.sleep(0.3)  # many more rounds the same day: nothing more written
        assert rows_of(clinic) == first
        clock.advance(days=1)
        wait_for(lambda: len(recorded_days(clinic)) == 2)
    assert recorded_days(clinic) == [today, clock().date()]
    assert rows_of(clinic) == 2 * first


def test_the_windows_sender_leaves_the_record_to_the_window(
    clinic: Clinic, smtp_server: SmtpTestServer
) -> None:
    clinic.update_settings(actor="admin", **smtp_server.settings())
    add_ready_patient(clinic)
    with worker(clinic, record_status=False):
        time.sleep(0.3)
    assert recorded_days(clinic) == []
