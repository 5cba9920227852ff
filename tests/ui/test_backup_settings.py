"""The Backups page of Clinic settings and the status-bar backup line, with real widgets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QSpinBox

from clinic_desk import Clinic
from clinic_desk.ui import MainWindow
from clinic_desk.ui.settings import ClinicSettingsDialog
from clinic_desk.ui.tasks import wait_for_tasks


@pytest.fixture
def desk(sqlite_url: str, tmp_path: Path) -> Iterator[Clinic]:
    """A clinic on the real clock (the page says "today"), backing up to a share folder."""
    share = tmp_path / "share"
    share.mkdir()
    opened = Clinic.open(sqlite_url)
    opened.update_settings(actor="desk", backup_folder=str(share), backup_keep_days=21)
    opened.staff.add_patient(first_name="Ana", last_name="Lopez", date_of_birth="1984-06-02", actor="desk")
    yield opened
    opened.close()


def open_settings(qtbot: Any, clinic: Clinic) -> ClinicSettingsDialog:
    dialog = ClinicSettingsDialog(clinic)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.facts_loaded, timeout=10_000):
        dialog.show()
    assert wait_for_tasks(10_000)
    return dialog


def last_backup_words(dialog: ClinicSettingsDialog) -> str:
    label = dialog.findChild(QLabel, "lastBackupLabel")
    assert label is not None
    return label.text()


def test_the_backups_page_shows_the_folder_the_days_and_the_last_backup(qtbot: Any, desk: Clinic) -> None:
    daily = desk.backups.run_daily()
    assert daily.made is not None
    dialog = open_settings(qtbot, desk)
    dialog.tabs.setCurrentIndex(3)
    assert dialog.tabs.tabText(3).replace("&", "") == "Backups"
    folder = dialog.findChild(QLineEdit, "backup_folderField")
    days = dialog.findChild(QSpinBox, "backup_keep_daysField")
    assert folder is not None and folder.text() == desk.settings.backup_folder
    assert days is not None and days.value() == 21 and (days.minimum(), days.maximum()) == (1, 365)
    words = last_backup_words(dialog)
    assert words.startswith("Today ") and daily.made.path.name in words


def test_a_failing_backup_is_shown_plainly(qtbot: Any, desk: Clinic) -> None:
    Path(desk.settings.backup_folder).rmdir()  # the share is offline
    assert desk.backups.run_daily().problem
    dialog = open_settings(qtbot, desk)
    words = last_backup_words(dialog)
    assert "Last good backup: never." in words and "does not exist" in words


def test_the_folder_is_saved_and_a_relative_one_is_refused_under_its_field(
    qtbot: Any, desk: Clinic, tmp_path: Path
) -> None:
    dialog = open_settings(qtbot, desk)
    dialog.set_value("backup_folder", "backups")
    with qtbot.waitSignal(dialog.save_failed, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "full path" in dialog.error_text("backup_folder")
    assert dialog.tabs.currentIndex() == 3
    dialog.set_value("backup_folder", str(tmp_path))
    dialog.set_value("backup_keep_days", 30)
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert (desk.settings.backup_folder, desk.settings.backup_keep_days) == (str(tmp_path), 30)


def test_the_window_takes_the_daily_backup_off_the_gui_thread_and_says_so(qtbot: Any, desk: Clinic) -> None:
    window = MainWindow(desk, persist=False, send_mail=False, daily_backup=False)
    qtbot.addWidget(window)
    window.show()
    runner = window.daily_backup
    with qtbot.waitSignal(runner.finished, timeout=10_000) as blocker:
        runner.run_now()
    assert blocker.args[0].made is not None
    assert wait_for_tasks(10_000)
    label = window.findChild(QLabel, "backupLabel")
    assert label is not None and label.isVisible() and label.text().startswith("Last backup: today ")
    Path(desk.settings.backup_folder, blocker.args[0].made.path.name).unlink()
    Path(desk.settings.backup_folder).rmdir()
    with qtbot.waitSignal(runner.finished, timeout=10_000) as again:
        runner.run_now()
    assert not again.args[0].ran  # today's backup is done: no second copy


def test_the_status_line_says_when_the_backup_failed(qtbot: Any, desk: Clinic) -> None:
    Path(desk.settings.backup_folder).rmdir()
    window = MainWindow(desk, persist=False, send_mail=False, daily_backup=False)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.daily_backup.finished, timeout=10_000) as blocker:
        window.daily_backup.run_now()
    assert "does not exist" in blocker.args[0].problem
    assert wait_for_tasks(10_000)
    label = window.findChild(QLabel, "backupLabel")
    assert label is not None and label.text().startswith("Backup failed")
    assert "does not exist" in label.toolTip()


def test_back_up_now_tries_the_folder_as_typed(qtbot: Any, desk: Clinic, tmp_path: Path) -> None:
    dialog = open_settings(qtbot, desk)
    page = dialog.backups_page
    typed = tmp_path / "usb-stick"
    dialog.set_value("backup_folder", str(typed))
    with qtbot.waitSignal(page.backup_finished, timeout=10_000) as failed:
        qtbot.mouseClick(page.back_up_button, Qt.MouseButton.LeftButton)
    assert failed.args[0] is False and "does not exist" in failed.args[1]
    typed.mkdir()
    with qtbot.waitSignal(page.backup_finished, timeout=10_000) as made:
        qtbot.mouseClick(page.back_up_button, Qt.MouseButton.LeftButton)
    assert made.args[0] is True and "Backed up 1 patients to" in made.args[1]
    [backup] = typed.iterdir()
    assert backup.name.startswith("clinic-desk-backup-") and str(backup) in page.result_label.text()
    assert desk.settings.backup_folder != str(typed)  # trying a folder does not save it
