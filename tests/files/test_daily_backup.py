"""The daily backup: once a day across desks, into the clinic's folder, keeping only our recent files."""

from __future__ import annotations

import os
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from clinic_desk import Clinic, ValidationError
from clinic_desk.services.clinic import DailyBackup
from tests.conftest import FakeClock

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


@pytest.fixture
def share(tmp_path: Path) -> Path:
    folder = tmp_path / "share"
    folder.mkdir()
    return folder


@pytest.fixture
def clinic(sqlite_url: str, clock: FakeClock, share: Path) -> Clinic:
    opened = Clinic.open(sqlite_url, clock=clock)
    opened.update_settings(actor="desk", backup_folder=str(share), backup_keep_days=14)
    opened.staff.add_patient(first_name="Ana", last_name="Lopez", date_of_birth="1984-06-02", actor="desk")
    yield opened  # type: ignore[misc]
    opened.close()


def test_the_first_desk_of_the_day_backs_up_and_the_others_do_not(
    clinic: Clinic, sqlite_url: str, clock: FakeClock, share: Path
) -> None:
    first = clinic.backups.run_daily(workstation="desk-1")
    assert first.ran and first.made is not None and first.made.path.parent == share
    with Clinic.open(sqlite_url, clock=clock) as other_desk:
        assert other_desk.backups.run_daily(workstation="desk-2") == DailyBackup(ran=False)
    clock.advance(hours=5)
    assert not clinic.backups.run_daily().ran
    status = clinic.backups.status()
    assert status.last_at == clock.now - timedelta(hours=5) and status.last_file == first.made.path.name
    assert not status.failing and status.keep_days == 14 and status.folder == str(share)
    clock.advance(days=1)
    assert clinic.backups.run_daily().ran
    assert len(list(share.iterdir())) == 2


def test_two_desks_starting_at_once_make_one_backup(
    clinic: Clinic, sqlite_url: str, clock: FakeClock
) -> None:
    desks = [Clinic.open(sqlite_url, clock=clock) for _ in range(3)]
    results: list[DailyBackup] = []
    start = threading.Barrier(len(desks))

    def open_in_the_morning(desk: Clinic) -> None:
        start.wait()
        results.append(desk.backups.run_daily())

    threads = [threading.Thread(target=open_in_the_morning, args=(desk,)) for desk in desks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for desk in desks:
        desk.close()
    assert sorted(result.ran for result in results) == [False, False, True]


def test_retention_deletes_only_our_old_backups(clinic: Clinic, clock: FakeClock, share: Path) -> None:
    today = clock.now.astimezone()
    ours_old = [
        share / f"clinic-desk-backup-{today - timedelta(days=days):%Y-%m-%d-%H%M}.db" for days in (15, 40)
    ]
    ours_recent = [
        share / f"clinic-desk-backup-{today - timedelta(days=days):%Y-%m-%d-%H%M}.db" for days in (1, 13)
    ]
    others = [
        share / "notes.txt",
        share / "clinic-desk-backup-old-copy.db",
        share / "clinic-desk-backup-2001-01-01-0900.db.bak",
        share / "my-clinic-desk-backup-2001-01-01-0900.db",
        share / "clinic.db",
    ]
    for file in ours_old + ours_recent + others:
        file.write_text("kept?")
    daily = clinic.backups.run_daily()
    assert daily.ran and daily.made is not None
    assert sorted(daily.deleted) == sorted(ours_old)
    assert all(file.exists() for file in ours_recent + others + [daily.made.path])
    assert not any(file.exists() for file in ours_old)


def test_a_missing_share_is_recorded_plainly_and_tried_again_later(
    clinic: Clinic, clock: FakeClock, share: Path
) -> None:
    share.rmdir()  # the network share is not connected
    daily = clinic.backups.run_daily()
    assert daily.ran and daily.made is None and "does not exist" in daily.problem
    status = clinic.backups.status()
    assert status.failing and status.problem == daily.problem and status.last_at is None
    clock.advance(minutes=20)
    assert not clinic.backups.run_daily().ran  # not every time a desk looks
    clock.advance(hours=1)
    share.mkdir()
    again = clinic.backups.run_daily()
    assert again.made is not None and not clinic.backups.status().failing


def test_back_up_now_needs_a_folder(sqlite_url: str, clock: FakeClock) -> None:
    with Clinic.open(sqlite_url, clock=clock) as clinic:
        with pytest.raises(ValidationError, match="choose where to back up to") as caught:
            clinic.backups.back_up_now()
        assert caught.value.field == "folder"
        assert not clinic.backups.run_daily().ran


@pytest.mark.parametrize(
    ("folder", "words"),
    [
        ("backups", "full path"),
        ("/mnt/backups\n", None),
        ("/mnt/back\x00ups", "invisible characters"),
        ("/mnt/\u202ebackups", "invisible characters"),
        ("/" + "x" * 2000, "too long"),
    ],
)
def test_the_backup_folder_setting_is_checked(clinic: Clinic, folder: str, words: str | None) -> None:
    if words is None:
        assert clinic.update_settings(actor="desk", backup_folder=folder).backup_folder == folder.strip()
        return
    with pytest.raises(ValidationError, match=words) as caught:
        clinic.update_settings(actor="desk", backup_folder=folder)
    assert caught.value.field == "backup_folder" and len(caught.value.message) < 300


def test_keep_days_has_a_range(clinic: Clinic) -> None:
    with pytest.raises(ValidationError, match="from 1 to 365 days"):
        clinic.update_settings(actor="desk", backup_keep_days=0)
    assert clinic.update_settings(actor="desk", backup_keep_days="30").backup_keep_days == 30
