"""The daily backup while a desk is open: a look every hour, on a worker thread, and a status-bar line.

Whichever open desk looks first after a day takes the backup (``clinic.backups.run_daily``
claims it in the database, so two desks never copy at once). A problem (the share is
offline, the disk is full) is shown in the status bar in plain words and tried again
an hour later; it never interrupts the receptionist.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow

from clinic_desk.ui.errors import error_words
from clinic_desk.ui.own_style import follow_theme, message_sheet, no_sheet
from clinic_desk.ui.tasks import run_in_background

if TYPE_CHECKING:
    from clinic_desk import Clinic

log = logging.getLogger(__name__)

FIRST_LOOK_MS = 60_000  # a minute after start: opening the window comes first
EVERY_MS = 60 * 60_000


def when_words(moment: datetime | None, now: datetime | None = None) -> str:
    """'today 15:30', 'yesterday 09:05' or '24 Nov 2026 15:30' in this computer's time; 'never'."""
    if moment is None:
        return "never"
    local = moment.astimezone()
    today = (now or datetime.now().astimezone()).astimezone().date()
    days = (today - local.date()).days
    if days == 0:
        return f"today {local:%H:%M}"
    if days == 1:
        return f"yesterday {local:%H:%M}"
    return f"{local:%d %b %Y %H:%M}"


class DailyBackupRunner(QObject):
    """Looks hourly whether the daily backup is due and takes it off the GUI thread.

    Signals:
        finished(object): a look finished (a ``DailyBackup``: ran, made, deleted, problem).
        failed(str): the look itself failed (the database could not be reached), in words.
    """

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, clinic: Clinic, label: QLabel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dailyBackupRunner")
        self._clinic = clinic
        self.label = label
        self._running = False
        self.timer = QTimer(self)
        self.timer.setObjectName("dailyBackupTimer")
        self.timer.timeout.connect(self.run_now)

    def start(self, first_ms: int = FIRST_LOOK_MS) -> None:
        """Look once after ``first_ms``, then every hour."""
        self.timer.start(first_ms)

    def run_now(self) -> None:
        """Look now (a worker thread does the work; nothing when a look is under way)."""
        self.timer.setInterval(EVERY_MS)
        if self._running:
            return
        self._running = True
        backups = self._clinic.backups
        run_in_background(backups.run_daily, self._on_done, self._on_failed, owner=self, name="daily_backup")

    def show_status(self) -> None:
        """Read the last backup's time (on a worker) into the status-bar line."""
        run_in_background(
            self._clinic.backups.status, self._show, lambda _exc: None, owner=self, name="backup_status"
        )

    def _on_done(self, daily: Any) -> None:
        self._running = False
        if daily.ran:
            self.show_status()
        self.finished.emit(daily)

    def _on_failed(self, exc: Exception) -> None:
        self._running = False
        log.warning("daily backup look failed (%s)", type(exc).__name__)
        self.failed.emit(error_words(exc))

    def _show(self, status: Any) -> None:
        if not status.applies or not status.folder:
            self.label.hide()
            return
        if status.failing:
            self.label.setText("Backup failed — see Clinic settings ▸ Backups")
            follow_theme(self.label, message_sheet("error"))
            self.label.setToolTip(status.problem)
            self.label.setAccessibleDescription(status.problem)
        else:
            self.label.setText(f"Last backup: {when_words(status.last_at)}")
            follow_theme(self.label, no_sheet)
            self.label.setToolTip(f"Backups go to {status.folder}; kept {status.keep_days} days.")
            self.label.setAccessibleDescription(self.label.toolTip())
        self.label.show()


def install_daily_backup(window: QMainWindow, clinic: Clinic, *, start: bool = True) -> DailyBackupRunner:
    """Add the backup line to the window's status bar and start the hourly look (``start``)."""
    label = QLabel(window.statusBar())
    label.setObjectName("backupLabel")
    label.setAccessibleName("Daily backup")
    label.hide()
    window.statusBar().addPermanentWidget(label)
    runner = DailyBackupRunner(clinic, label, window)
    runner.show_status()
    if start:
        runner.start()
    return runner
