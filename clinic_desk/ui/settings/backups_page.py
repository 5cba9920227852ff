"""The "Backups" page: the daily backup's folder and how long backups are kept, and how the last one went."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.ui.backup_runner import when_words
from clinic_desk.ui.own_style import follow_theme, message_sheet, no_sheet
from clinic_desk.ui.settings.fields import (
    BACKUP_DAYS_FIELD,
    BACKUP_FOLDER_FIELD,
    BACKUPS_TAB,
    SettingsForm,
    help_label,
    new_form,
    status_label,
)
from clinic_desk.ui.tasks import run_in_background

log = logging.getLogger(__name__)

RESTORE_HELP = (
    "To restore one: close Clinic Desk on every computer, then run "
    "clinic-desk db restore BACKUP-FILE (the current file is kept aside)."
)


class BackupsPage(QWidget):
    """Backup folder, days kept, and the last backup's time or problem (filled by ``show_status``).

    "Back up now" copies the clinic file into the folder as typed (saved or not) on a worker,
    through ``back_up`` (``clinic.backups.back_up_now``), so the folder can be tried at once.

    Signals:
        backup_finished(bool, str): the backup was made (True) or not, and the words shown.
    """

    backup_finished = Signal(bool, str)

    def __init__(self, fields: SettingsForm, back_up: Callable[[str], Any]) -> None:
        super().__init__()
        self._back_up = back_up
        self._backing_up = False
        self.setObjectName("backupsPage")
        form = new_form(self)
        field = BACKUP_FOLDER_FIELD
        self.folder_edit = QLineEdit(self)
        self.folder_edit.setPlaceholderText(field.placeholder)
        self.back_up_button = QPushButton("Back up &now", self)
        self.back_up_button.setObjectName("backUpNowButton")
        self.back_up_button.setAccessibleName("Back up now")
        self.back_up_button.setAccessibleDescription("Copy the clinic file into this folder now, to try it")
        self.back_up_button.clicked.connect(self.back_up_now)
        row = QWidget(self)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.folder_edit, 1)
        line.addWidget(self.back_up_button)
        fields.add_field(
            form, self, BACKUPS_TAB, field.name, field.label, self.folder_edit, field.help, row=row
        )
        fields.edits[field.name] = self.folder_edit
        days = BACKUP_DAYS_FIELD
        self.days_spin = QSpinBox(self)
        self.days_spin.setRange(days.minimum, days.maximum)
        self.days_spin.setSuffix(days.suffix)
        self.days_spin.setMinimumWidth(170)
        self.days_spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        fields.add_field(form, self, BACKUPS_TAB, days.name, days.label, self.days_spin, days.help)
        fields.spins[days.name] = self.days_spin
        self.last_backup_label = status_label(self, "Looking for the last backup…", "lastBackupLabel")
        self.last_backup_label.setAccessibleName("Last backup")
        self.last_backup_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label = status_label(self, "", "backUpNowResult")
        self.result_label.hide()
        box = QVBoxLayout()
        box.setSpacing(4)
        box.addWidget(self.last_backup_label)
        box.addWidget(self.result_label)  # "Back up now" says how it went here
        form.addRow(QLabel("Last backup", self), box)
        form.addRow(QLabel("", self), help_label(self, RESTORE_HELP))

    def show_status(self, status: Any) -> None:
        """Say how the last daily backup went (a ``BackupStatus``)."""
        label = self.last_backup_label
        if not status.applies:
            self._say(
                "This clinic's data is on a server: it is backed up on the server (pg_dump or the "
                "server's own backups), not by Clinic Desk.",
                problem=False,
            )
            for widget in (self.folder_edit, self.days_spin, self.back_up_button):
                widget.setEnabled(False)
            return
        last = when_words(status.last_at)
        where = f" ({status.last_file})" if status.last_file else ""
        if status.failing:
            self._say(
                f"Last good backup: {last}{where}.\nThe last try failed: {status.problem}", problem=True
            )
        elif not status.folder:
            self._say(f"No daily backup: choose a folder above. Last backup: {last}{where}.", problem=False)
        else:
            self._say(f"{last[0].upper()}{last[1:]}{where}.", problem=False)
        label.setAccessibleDescription(label.text())

    def show_unknown(self) -> None:
        """The status could not be read (the database is not reachable right now)."""
        self._say("The last backup's time could not be read just now.", problem=False)

    def _say(self, words: str, *, problem: bool) -> None:
        self.last_backup_label.setText(words)
        follow_theme(self.last_backup_label, message_sheet("error") if problem else no_sheet)

    def back_up_now(self) -> None:
        """Back up into the folder as typed, on a worker; the outcome shows under "Last backup"."""
        if self._backing_up:
            return
        folder = self.folder_edit.text()
        back_up = self._back_up
        self._backing_up = True
        self.back_up_button.setEnabled(False)
        self._result("Backing up…", None)
        run_in_background(
            lambda: back_up(folder), self._on_backed_up, self._on_failed, owner=self, name="back_up_now"
        )

    def _on_backed_up(self, made: Any) -> None:
        self._backing_up = False
        self.back_up_button.setEnabled(True)
        words = f"Backed up {made.patients:,} patients to {made.path} (checked)."
        self._result(words, True)
        self.backup_finished.emit(True, words)

    def _on_failed(self, exc: Exception) -> None:
        self._backing_up = False
        self.back_up_button.setEnabled(True)
        if isinstance(exc, ClinicDeskError):
            words = exc.message
        else:
            log.warning("back up now failed (%s)", type(exc).__name__)
            words = f"The backup could not be made ({type(exc).__name__})."
        self._result(words, False)
        self.backup_finished.emit(False, words)

    def _result(self, words: str, ok: bool | None) -> None:
        follow_theme(self.result_label, no_sheet if ok is None else message_sheet("ok" if ok else "error"))
        self.result_label.setText(words)
        self.result_label.setAccessibleDescription(words)
        self.result_label.show()
