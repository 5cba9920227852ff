"""The "Backups" page: the daily backup's folder and how long backups are kept, and how the last one went."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QSizePolicy, QSpinBox, QWidget

from clinic_desk.ui.backup_runner import when_words
from clinic_desk.ui.settings.fields import (
    BACKUP_DAYS_FIELD,
    BACKUP_FOLDER_FIELD,
    BACKUPS_TAB,
    ERROR_COLOR,
    SettingsForm,
    help_label,
    new_form,
    status_label,
)

RESTORE_HELP = (
    "To restore one: close Clinic Desk on every computer, then run "
    "clinic-desk db restore BACKUP-FILE (the current file is kept aside)."
)


class BackupsPage(QWidget):
    """Backup folder, days kept, and the last backup's time or problem (filled by ``show_status``)."""

    def __init__(self, fields: SettingsForm) -> None:
        super().__init__()
        self.setObjectName("backupsPage")
        form = new_form(self)
        field = BACKUP_FOLDER_FIELD
        self.folder_edit = QLineEdit(self)
        self.folder_edit.setPlaceholderText(field.placeholder)
        fields.add_field(form, self, BACKUPS_TAB, field.name, field.label, self.folder_edit, field.help)
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
        form.addRow(QLabel("Last backup", self), self.last_backup_label)
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
            self.folder_edit.setEnabled(False)
            self.days_spin.setEnabled(False)
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
        self.last_backup_label.setStyleSheet(f"color: {ERROR_COLOR}; font-weight: 600;" if problem else "")
