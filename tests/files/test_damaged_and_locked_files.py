"""Opening a damaged, foreign, read-only or locked clinic file says what is wrong and what to do."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clinic_desk import Clinic, DatabaseUnavailable
from tests.files.conftest import (
    PATIENTS,
    another_desk_reading,
    as_root,
    give_to_ordinary_user,
    run_as_ordinary_user,
)

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file permissions and locks")

# Opens the file given as argv[1], reads every patient, saves one more; prints what happened.
OPEN_AND_SAVE = """
import sys
from clinic_desk import Clinic, DatabaseUnavailable
try:
    with Clinic.open("sqlite:///" + sys.argv[1]) as clinic:
        print("patients", sum(clinic.count_by_color().values()))
        clinic.staff.add_patient(
            first_name="New", last_name="Chart", date_of_birth="1990-01-01", actor="desk"
        )
        print("saved", sum(clinic.count_by_color().values()))
except DatabaseUnavailable as problem:
    print("unavailable:", problem)
"""


def copy_of(template: Path, folder: Path, name: str = "clinic.db") -> Path:
    target = folder / name
    shutil.copyfile(template, target)
    target.chmod(0o600)
    return target


PAGE = 4096


def damage_a_page_of_charts(path: Path) -> None:
    """Overwrite the middle of a page that holds patients' charts (a failing disk sector)."""
    data = path.read_bytes()
    where = data.index(b"Patient0150")
    page_start = where - where % PAGE
    noise = random.Random(11).randbytes(PAGE // 2)
    with path.open("r+b") as file:
        file.seek(page_start + PAGE // 4)
        file.write(noise)


def every_read(path: Path) -> None:
    with Clinic.open(f"sqlite:///{path}") as clinic:
        clinic.count_by_color()  # kept counts: reads no chart
        for color in ("red", "gold", "blue"):  # reads every chart
            clinic.patients_with_color(color, limit=PATIENTS)
        for number in range(0, PATIENTS, 7):
            clinic.staff.find_patients(f"Patient{number:04d}")


def test_corrupt_bytes_in_the_middle_say_the_file_is_damaged(
    tmp_path: Path, populated_template: Path
) -> None:
    path = copy_of(populated_template, tmp_path)
    damage_a_page_of_charts(path)
    with pytest.raises(DatabaseUnavailable) as caught:
        every_read(path)
    message = str(caught.value)
    assert "is damaged" in message and "restore the newest backup" in message
    assert "malformed" not in message  # SQLite's words stay in the log, not in front of the desk


def test_a_file_that_is_not_a_database_is_named_as_such(tmp_path: Path) -> None:
    letter = tmp_path / "clinic.db"
    letter.write_text("Dear Dr Smith,\n" * 200)
    with pytest.raises(DatabaseUnavailable, match="is not a clinic database"):
        Clinic.open(f"sqlite:///{letter}")
    assert letter.read_text().startswith("Dear Dr Smith")  # untouched


def test_a_folder_given_as_the_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUnavailable, match="is a folder"):
        Clinic.open(f"sqlite:///{tmp_path}")


def test_a_read_only_file_is_said_before_anything_is_typed(
    shared_folder: Path, populated_template: Path
) -> None:
    path = copy_of(populated_template, shared_folder)
    give_to_ordinary_user(path)
    path.chmod(0o400)
    result = run_as_ordinary_user(OPEN_AND_SAVE, str(path))
    assert result.returncode == 0, result.stderr
    assert "unavailable:" in result.stdout and "is read-only for this user" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_read_only_folder_is_said(shared_folder: Path, populated_template: Path) -> None:
    folder = shared_folder / "locked-folder"
    folder.mkdir()
    path = copy_of(populated_template, folder)
    give_to_ordinary_user(path)
    folder.chmod(0o555)
    try:
        result = run_as_ordinary_user(OPEN_AND_SAVE, str(path))
    finally:
        folder.chmod(0o777)
    assert "unavailable:" in result.stdout and "read-only folder" in result.stdout, (
        result.stdout + result.stderr
    )


def test_a_file_another_program_keeps_locked_is_said(
    tmp_path: Path, populated_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = copy_of(populated_template, tmp_path)
    # Another program (a database viewer) holds the write lock and does not let go.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE')\n"
            "print('holding', flush=True)\n"
            "time.sleep(60)\n",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        started = time.monotonic()
        with pytest.raises(DatabaseUnavailable, match="locked by another program"):
            Clinic.open(f"sqlite:///{path}", busy_seconds=0.3)  # the desk waits 10 s; the test less
        assert time.monotonic() - started < 5
    finally:
        holder.kill()
        holder.wait()
    every_read(path)  # once it lets go, the clinic opens


def leave_stale_working_files(path: Path) -> None:
    """A process saves a change and dies without closing: its -wal holds the change, its -shm stays."""
    script = (
        "import os, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1])\n"
        "c.execute('PRAGMA journal_mode = WAL')\n"
        "c.execute(\"UPDATE patients SET first_name = 'Changed' WHERE last_name = 'Patient0007'\")\n"
        "c.commit()\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(path)], check=True)


def test_a_stale_read_only_shm_and_wal_do_not_lock_the_clinic_out(
    shared_folder: Path, populated_template: Path
) -> None:
    path = copy_of(populated_template, shared_folder)
    leave_stale_working_files(path)
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    assert wal.stat().st_size > 0 and shm.exists()
    give_to_ordinary_user(path)
    for leftover in (wal, shm):
        if as_root():
            os.chown(leftover, 0, 0)  # another user's files, readable by all
            leftover.chmod(0o644)
        else:
            leftover.chmod(0o444)
    result = run_as_ordinary_user(OPEN_AND_SAVE, str(path))
    assert result.stdout.split() == ["patients", str(PATIENTS), "saved", str(PATIENTS + 1)], (
        result.stdout + result.stderr
    )
    with sqlite3.connect(path) as connection:  # the change in the old -wal was kept
        row = connection.execute("SELECT first_name FROM patients WHERE last_name = 'Patient0007'").fetchone()
    assert row == ("Changed",)


def test_a_read_only_shm_still_in_use_is_left_alone(shared_folder: Path, populated_template: Path) -> None:
    path = copy_of(populated_template, shared_folder)
    with another_desk_reading(path):
        shm = Path(f"{path}-shm")
        give_to_ordinary_user(path)
        if as_root():
            shm.chmod(0o644)
        else:
            shm.chmod(0o444)
        result = run_as_ordinary_user(OPEN_AND_SAVE, str(path))
        assert "open in Clinic Desk under another user" in result.stdout, result.stdout + result.stderr
        assert shm.exists()


CHECK_AND_BACK_UP = """
import sys
from clinic_desk import ClinicDeskError
from clinic_desk.services.clinic import workstation
url = workstation.database_url("sqlite:///" + sys.argv[1])
try:
    print("sound", workstation.check_database(url).sound)
    print("backed up", workstation.back_up(url, sys.argv[2]).patients)
except ClinicDeskError as problem:
    print("problem:", problem)
"""


def test_a_read_only_file_can_still_be_checked_and_backed_up(
    shared_folder: Path, populated_template: Path
) -> None:
    folder = shared_folder / "read-only"
    folder.mkdir()
    path = copy_of(populated_template, folder)
    give_to_ordinary_user(path)
    path.chmod(0o400)
    folder.chmod(0o555)
    out = shared_folder / "out"
    out.mkdir()
    out.chmod(0o777)
    try:
        result = run_as_ordinary_user(CHECK_AND_BACK_UP, str(path), str(out))
    finally:
        folder.chmod(0o777)
    assert result.stdout.split() == ["sound", "True", "backed", "up", str(PATIENTS)], (
        result.stdout + result.stderr
    )
