"""Backing up the clinic file while desks work, checking a backup, and restoring it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import threading
from pathlib import Path

import pytest

from clinic_desk import Clinic, NotAllowed, ValidationError
from clinic_desk.cli import main
from clinic_desk.services.clinic import workstation
from tests.files.conftest import PATIENTS, another_desk_reading

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes and locks")


def file_url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture
def clinic_file(tmp_path: Path, populated_template: Path) -> Path:
    path = tmp_path / "clinic" / "clinic.db"
    path.parent.mkdir()
    shutil.copyfile(populated_template, path)
    path.chmod(0o600)
    return path


def last_names(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {row[0] for row in connection.execute("SELECT last_name FROM patients")}


def test_a_backup_taken_while_a_desk_saves_restores_every_patient(clinic_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "share"
    folder.mkdir()
    stop = threading.Event()
    saved: list[int] = []

    def other_desk() -> None:  # another workstation keeps adding charts during the backup
        with Clinic.open(file_url(clinic_file)) as desk:
            while not stop.is_set() and len(saved) < 200:
                saved.append(
                    desk.staff.add_patient(
                        first_name="Busy",
                        last_name=f"Desk{len(saved)}",
                        date_of_birth="1990-01-01",
                        actor="desk2",
                    )
                )

    worker = threading.Thread(target=other_desk)
    with Clinic.open(file_url(clinic_file)) as clinic:
        worker.start()
        made = clinic.backups.back_up_now(folder)
        stop.set()
        worker.join()
        clinic.staff.add_patient(
            first_name="After", last_name="Backup", date_of_birth="1991-02-03", actor="desk"
        )
    assert made.path.parent == folder and made.path.name.startswith("clinic-desk-backup-")
    assert made.path.name.endswith(".db")
    assert stat.S_IMODE(made.path.stat().st_mode) == 0o600
    assert not list(folder.glob("*.partial")) and not Path(f"{made.path}-wal").exists()
    assert made.patients >= PATIENTS

    report = workstation.restore_backup(str(made.path), workstation.database_url(file_url(clinic_file)))
    assert report.put_aside is not None and "Backup" in last_names(
        report.put_aside
    )  # the old file kept aside
    assert stat.S_IMODE(clinic_file.stat().st_mode) == 0o600
    with Clinic.open(file_url(clinic_file)) as restored:
        for number in range(PATIENTS):
            found = restored.staff.find_patients(f"Patient{number:04d}")
            assert [summary.last_name for summary in found] == [f"Patient{number:04d}"]
        assert not restored.staff.find_patients("Backup")
        assert sum(restored.count_by_color().values()) == made.patients


def test_restore_refuses_while_the_clinic_file_is_open(clinic_file: Path, tmp_path: Path) -> None:
    made = workstation.back_up(workstation.database_url(file_url(clinic_file)), str(tmp_path))
    with (
        another_desk_reading(clinic_file),
        pytest.raises(NotAllowed, match="Close Clinic Desk on every computer"),
    ):
        workstation.restore_backup(str(made.path), workstation.database_url(file_url(clinic_file)))
    assert sorted(p.name for p in clinic_file.parent.iterdir() if "before-restore" in p.name) == []


def test_restore_refuses_what_is_not_a_sound_clinic_backup(clinic_file: Path, tmp_path: Path) -> None:
    url = workstation.database_url(file_url(clinic_file))
    letter = tmp_path / "letter.db"
    letter.write_text("Dear patient," * 100)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE recipes (name TEXT)")
    newer = tmp_path / "newer.db"
    shutil.copyfile(clinic_file, newer)
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    damaged = tmp_path / "damaged.db"
    shutil.copyfile(clinic_file, damaged)
    data = damaged.read_bytes()
    page = data.index(b"Patient0150") // 4096 * 4096
    with damaged.open("r+b") as file:
        file.seek(page + 1024)
        file.write(b"\xff" * 2048)
    cases = {
        letter: "not a Clinic Desk backup",
        other: "not a Clinic Desk one",
        newer: "newer version of Clinic Desk",
        damaged: "is damaged",
        tmp_path / "missing.db": "is not a file",
    }
    before = clinic_file.read_bytes()
    for backup, words in cases.items():
        with pytest.raises(ValidationError, match=words):
            workstation.restore_backup(str(backup), url)
    assert clinic_file.read_bytes() == before
    with pytest.raises(ValidationError, match="invisible characters"):
        workstation.restore_backup("backup\x00.db", url)


def test_a_server_database_is_backed_up_on_the_server(db_url: str, tmp_path: Path) -> None:
    with Clinic.open(db_url) as clinic:
        if clinic.url.get_backend_name() == "sqlite":
            assert clinic.backups.status().applies
            return
        assert not clinic.backups.status().applies
        with pytest.raises(NotAllowed, match=r"pg_dump|mariadb-dump") as caught:
            clinic.backups.back_up_now(tmp_path)
        assert "@" not in str(caught.value)  # no user@host address, no password
        assert not clinic.backups.run_daily().ran
        with pytest.raises(NotAllowed, match=r"pg_dump|mariadb-dump"):
            workstation.back_up(clinic.url, str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_the_command_line_backs_up_checks_and_restores(
    clinic_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = file_url(clinic_file)
    folder = tmp_path / "backups"
    folder.mkdir()
    assert main(["db", "backup", str(folder), "--db", db]) == 0
    out = capsys.readouterr().out
    assert f"Backed up {PATIENTS} patients to {folder}" in out and "checked" in out
    [backup] = folder.iterdir()
    assert main(["db", "check", "--db", db]) == 0
    assert "found no damage" in capsys.readouterr().out
    assert main(["db", "restore", str(backup), "--db", db]) == 0
    out = capsys.readouterr().out
    assert f"Restored {PATIENTS} patients" in out and "kept as" in out
    assert main(["db", "backup", str(tmp_path / "no" / "such" / "folder"), "--db", db]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "no").exists()
    assert main(["db", "backup", str(folder), "--db", file_url(tmp_path / "typo.db")]) == 1
    assert "there is no such file" in capsys.readouterr().err
    assert not (tmp_path / "typo.db").exists()  # a backup never creates the file it was to copy
    assert main(["db", "backup", str(folder), "--db", "postgresql://desk:secret@server/clinic"]) == 1
    err = capsys.readouterr().err
    assert "pg_dump" in err and "secret" not in err


def test_db_check_says_a_damaged_file_is_damaged_and_names_the_newest_backup(
    clinic_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "share"
    folder.mkdir()
    with Clinic.open(file_url(clinic_file)) as clinic:
        clinic.update_settings(actor="desk", backup_folder=str(folder))
        made = clinic.backups.back_up_now()
    data = clinic_file.read_bytes()
    page = data.index(b"Patient0150") // 4096 * 4096
    with clinic_file.open("r+b") as file:
        file.seek(page + 1024)
        file.write(b"\x00\xff" * 1024)
    assert main(["db", "check", "--db", file_url(clinic_file)]) == 1
    out = capsys.readouterr().out
    assert "is DAMAGED" in out and "restore the newest backup" in out
    assert f"clinic-desk db restore '{made.path}'" in out


def test_a_damaged_clinic_file_is_replaced_by_its_backup_and_kept_aside(
    clinic_file: Path, tmp_path: Path
) -> None:
    url = workstation.database_url(file_url(clinic_file))
    made = workstation.back_up(url, str(tmp_path))
    data = clinic_file.read_bytes()
    page = data.index(b"Patient0150") // 4096 * 4096
    with clinic_file.open("r+b") as file:
        file.seek(page + 1024)
        file.write(b"\xff" * 2048)
    assert not workstation.check_database(url).sound
    report = workstation.restore_backup(str(made.path), url)
    assert report.put_aside is not None and report.put_aside.name.startswith("clinic-before-restore-")
    assert report.put_aside.read_bytes()[page + 1024 : page + 1030] == b"\xff" * 6  # the damaged one, kept
    assert workstation.check_database(url).sound
    with Clinic.open(file_url(clinic_file)) as clinic:
        assert sum(clinic.count_by_color().values()) == PATIENTS


def test_a_server_database_is_restored_on_the_server(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    backup = tmp_path / "clinic-desk-backup-2026-01-01-0900.db"
    assert main(["db", "restore", str(backup), "--db", "postgresql://desk:secret@server/clinic"]) == 1
    err = capsys.readouterr().err
    assert "restored on the server" in err and "secret" not in err
