"""The audit log's filter row: staff member, action, patient, and a date range."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QGridLayout, QLabel, QLineEdit, QPushButton, QWidget

from clinic_desk.ui.admin.audit_words import ACTION_WORDS

ANY_DAY = QDate(2000, 1, 1)  # the date boxes' lowest value reads "any day": no bound


class AuditFilters(QWidget):
    """Who, what, which patient and which days (``auditFilters``); Enter or Apply reads the log.

    Signals:
        applied(): the receptionist asked for the log with these filters.
    """

    applied = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditFilters")
        self.setAccessibleName("Audit log filters")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)

        self.staff_combo = QComboBox(self)
        self.staff_combo.setObjectName("auditStaffFilter")
        self.staff_combo.setEditable(True)
        self.staff_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.staff_combo.setAccessibleName("Staff member")
        self.staff_combo.setAccessibleDescription(
            "Choose a staff member, or type a username ('portal' for patients)"
        )
        self.staff_combo.addItem("Everyone", None)
        self.staff_combo.setMinimumWidth(200)
        edit = self.staff_combo.lineEdit()
        if edit is not None:
            edit.setPlaceholderText("Everyone")
            edit.returnPressed.connect(self.applied)

        self.action_combo = QComboBox(self)
        self.action_combo.setObjectName("auditActionFilter")
        self.action_combo.setAccessibleName("Action")
        self.action_combo.addItem("Any action", None)
        for code, words in sorted(ACTION_WORDS.items(), key=lambda item: item[1]):
            self.action_combo.addItem(words, code)
        self.action_combo.setMinimumWidth(220)

        self.patient_edit = QLineEdit(self)
        self.patient_edit.setObjectName("auditPatientFilter")
        self.patient_edit.setAccessibleName("Patient MRN or id")
        self.patient_edit.setPlaceholderText("MRN or id")
        self.patient_edit.setClearButtonEnabled(True)
        self.patient_edit.returnPressed.connect(self.applied)

        self.since_edit = self._date_box("auditSinceFilter", "From date")
        self.until_edit = self._date_box("auditUntilFilter", "To date")

        self.apply_button = QPushButton("&Show", self)
        self.apply_button.setObjectName("auditApplyButton")
        self.apply_button.setAccessibleName("Show the entries these filters match")
        self.apply_button.setAutoDefault(False)
        self.apply_button.clicked.connect(self.applied)
        self.clear_button = QPushButton("&Clear filters", self)
        self.clear_button.setObjectName("auditClearButton")
        self.clear_button.setAccessibleName("Clear the filters")
        self.clear_button.setAutoDefault(False)
        self.clear_button.clicked.connect(self._on_clear_button_clicked)

        captions = (
            ("Staff &member", self.staff_combo),
            ("&Action", self.action_combo),
            ("&Patient", self.patient_edit),
            ("&From", self.since_edit),
            ("&To", self.until_edit),
        )
        for column, (caption, widget) in enumerate(captions):
            label = QLabel(caption, self)
            label.setBuddy(widget)
            grid.addWidget(label, 0, column)
            grid.addWidget(widget, 1, column)
        grid.addWidget(self.apply_button, 1, len(captions))
        grid.addWidget(self.clear_button, 1, len(captions) + 1)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(2, 1)

    def _date_box(self, name: str, caption: str) -> QDateEdit:
        box = QDateEdit(self)
        box.setObjectName(name)
        box.setAccessibleName(caption)
        box.setAccessibleDescription("Leave at 'any day' for no limit")
        box.setCalendarPopup(True)
        box.setDisplayFormat("yyyy-MM-dd")
        box.setMinimumDate(ANY_DAY)
        box.setSpecialValueText("any day")
        box.setDate(ANY_DAY)
        return box

    # -- values ------------------------------------------------------------------------------------
    def set_staff(self, members: list[tuple[str, str]]) -> None:
        """Offer these members (username, full name) in the staff combo; what was typed stays."""
        typed = self.staff_combo.currentText()
        while self.staff_combo.count() > 1:
            self.staff_combo.removeItem(1)
        for username, full_name in members:
            self.staff_combo.addItem(f"{full_name} ({username})", username)
        self.staff_combo.setEditText(typed if typed != "Everyone" else "")

    def actor(self) -> str | None:
        """The chosen member's username, or the text typed; None for everyone."""
        text = self.staff_combo.currentText().strip()
        index = self.staff_combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            data = self.staff_combo.itemData(index)
            return str(data) if data is not None else None
        return text or None

    def action(self) -> str | None:
        """The chosen action code, or None for any."""
        data = self.action_combo.currentData()
        return str(data) if data is not None else None

    def patient_text(self) -> str:
        """The MRN or id as typed ('' for every patient)."""
        return self.patient_edit.text().strip()

    def dates(self) -> tuple[date | None, date | None]:
        """From and to (each None for no limit)."""
        return _day(self.since_edit), _day(self.until_edit)

    def set_dates(self, since: date | None, until: date | None) -> None:
        """Put a date range in the boxes (tests and scripts)."""
        for box, day in ((self.since_edit, since), (self.until_edit, until)):
            box.setDate(QDate(day.year, day.month, day.day) if day else ANY_DAY)

    def choose_action(self, code: str | None) -> None:
        """Pick the action ``code`` (None: any)."""
        self.action_combo.setCurrentIndex(max(self.action_combo.findData(code), 0))

    def _on_clear_button_clicked(self) -> None:
        self.staff_combo.setCurrentIndex(0)
        self.staff_combo.setEditText("")
        self.action_combo.setCurrentIndex(0)
        self.patient_edit.clear()
        self.set_dates(None, None)
        self.applied.emit()


def _day(box: QDateEdit) -> date | None:
    value = box.date()
    if value == ANY_DAY:
        return None
    return date(value.year(), value.month(), value.day())
