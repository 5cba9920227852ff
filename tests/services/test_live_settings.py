"""Settings saved at one workstation reach the others through the change feed, without a restart."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from clinic_desk import Clinic
from clinic_desk.services.change_feed import ChangeFeed, Changes
from tests.conftest import FakeClock
from tests.services.helpers import STAFF, add_ready_patient

ADMIN = "office.admin"
ARRIVES_WITHIN = 5.0  # about a second in practice


class SettingsReads:
    """Counts this desk's statements on the settings table: the stamp (one row) and full reads."""

    def __init__(self) -> None:
        self.stamp = 0
        self.full = 0

    def seen(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        flat = " ".join(statement.split()).lower()
        if "from clinic_settings" not in flat or not flat.startswith("select"):
            return
        if "where" in flat:
            self.stamp += 1
        else:
            self.full += 1


@contextmanager
def counting(clinic: Clinic) -> Iterator[SettingsReads]:
    reads = SettingsReads()
    event.listen(clinic.engine, "before_cursor_execute", reads.seen)
    try:
        yield reads
    finally:
        event.remove(clinic.engine, "before_cursor_execute", reads.seen)


def _next_batch(feed: ChangeFeed, wanted: Any, seconds: float = ARRIVES_WITHIN) -> Changes:
    """The first batch ``wanted`` accepts, within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        changes = feed.wait(0.5)
        if wanted(changes):
            return changes
    raise AssertionError("the batch never arrived")


def _listening(clinic: Clinic) -> ChangeFeed:
    feed = clinic.live.changes()
    for _ in range(3):  # start listening; the first batch may be "everything"
        feed.wait(0.1)
    return feed


def test_a_setting_saved_at_another_desk_arrives_and_is_taken_up(db_url: str, clock: FakeClock) -> None:
    with Clinic.open(db_url, clock=clock) as here, Clinic.open(db_url, clock=clock) as there:
        assert here.refresh_settings() is False  # nothing saved anywhere yet: one row read, no change
        feed = _listening(here)
        try:
            started = time.monotonic()
            there.update_settings(actor=ADMIN, clinic_name="Harbor Street Clinic", idle_lock_minutes=3)
            changes = _next_batch(feed, lambda batch: batch.settings)
            print(f"settings notice arrived in {time.monotonic() - started:.2f} s")
            if db_url.startswith("postgresql"):  # NOTIFY says which: the settings, no patient
                assert not changes.everything and not changes.patient_ids
            assert here.settings.clinic_name != "Harbor Street Clinic"  # not before the desk asks
            with counting(here) as reads:
                assert here.refresh_settings() is True
            assert (reads.stamp, reads.full) == (2, 1)  # the stamp, then the settings with their stamp
            assert here.settings.clinic_name == "Harbor Street Clinic"
            assert here.settings.idle_lock_minutes == 3
            with counting(here) as reads:
                assert here.refresh_settings() is False  # taken up once: the next look is one row
            assert (reads.stamp, reads.full) == (1, 0)
        finally:
            feed.close()


def test_a_patient_change_alone_never_rereads_the_settings(db_url: str, clock: FakeClock) -> None:
    with Clinic.open(db_url, clock=clock) as here, Clinic.open(db_url, clock=clock) as there:
        there.update_settings(actor=ADMIN, clinic_name="Harbor Street Clinic")
        here.refresh_settings()
        pid = add_ready_patient(there)
        feed = _listening(here)
        try:
            with counting(here) as reads:
                refreshed = 0
                there.staff.set_portal_access(pid, enabled=False, actor=STAFF, reason="patient_request")
                changes = _next_batch(feed, lambda batch: batch.touches(pid))
                # What the window does with a batch: ask only when the settings may have changed.
                if changes.settings:
                    refreshed += 1
                    assert here.refresh_settings() is False
            assert reads.full == 0, "a patient's change read the settings again"
            if db_url.startswith("postgresql"):
                assert not changes.settings and refreshed == 0 and reads.stamp == 0
            else:  # SQLite and MariaDB know only "something changed": one row is read to know
                assert changes.settings and reads.stamp == refreshed == 1
        finally:
            feed.close()


def test_this_desks_own_save_and_the_open_overrides_stay(db_url: str, clock: FakeClock) -> None:
    with (
        Clinic.open(db_url, clock=clock, invitation_days=3) as here,
        Clinic.open(db_url, clock=clock) as there,
    ):
        here.update_settings(actor=ADMIN, sender_name="Front Desk")
        assert here.refresh_settings() is False  # its own save: already in use
        there.update_settings(actor=ADMIN, invitation_days=10, reset_days=9)
        assert here.refresh_settings() is True
        assert here.settings.reset_days == 9
        assert here.settings.invitation_days == 3  # Clinic.open's override, for this session only
        assert here.settings.sender_name == "Front Desk"
        with Clinic.open(db_url, clock=clock) as later:
            assert later.settings.invitation_days == 10
            assert later.refresh_settings() is False


def test_the_mail_worker_takes_up_settings_saved_at_a_desk(db_url: str, clock: FakeClock) -> None:
    """`clinic-desk mail-worker` runs for days: a new sender address reaches it without a restart."""
    import threading

    with Clinic.open(db_url, clock=clock) as worker_side, Clinic.open(db_url, clock=clock) as desk:
        stop = threading.Event()
        thread = threading.Thread(
            target=lambda: worker_side.mail.run_sender(
                stop, poll_seconds=0.05, password_provider=lambda: None, follow_settings=True
            ),
            daemon=True,
        )
        thread.start()
        try:
            desk.update_settings(actor=ADMIN, sender_address="front.desk@harbor.example")
            deadline = time.monotonic() + ARRIVES_WITHIN
            while worker_side.settings.sender_address != "front.desk@harbor.example":
                assert time.monotonic() < deadline, "the mail worker kept the old settings"
                time.sleep(0.05)
        finally:
            stop.set()
            thread.join(10)
        assert not thread.is_alive()


def test_the_windows_sender_leaves_the_settings_to_the_window(db_url: str, clock: FakeClock) -> None:
    """The window's own sender does not read them (the window does, and shows what changed)."""
    from clinic_desk.services.delivery import DeliveryWorker

    with Clinic.open(db_url, clock=clock) as here, Clinic.open(db_url, clock=clock) as there:
        worker = DeliveryWorker(here._db, lambda: None)
        there.update_settings(actor=ADMIN, sender_address="front.desk@harbor.example")
        with counting(here) as reads:
            worker.run_once()
        assert (reads.stamp, reads.full) == (0, 0)
        assert here.refresh_settings() is True  # still there for the window to take up
