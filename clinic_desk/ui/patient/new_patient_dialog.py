"""A walk-in: add a new chart, with the API's own checks, after asking about look-alike charts.

Before saving, the dialog asks the services for charts with the same name and date of
birth (``clinic.staff.possible_duplicates``); when there are some it lists them and lets
the receptionist open one instead or add the new chart anyway. Saving is
``clinic.staff.add_patient``: a problem with a field is shown under that field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain import codes
from clinic_desk.ui.own_style import follow_theme, message_sheet
from clinic_desk.ui.patient.chart_action_dialog import ChartActionDialog
from clinic_desk.ui.tasks import run_in_background

if TYPE_CHECKING:
    from clinic_desk import Clinic

#: (field, caption with mnemonic, placeholder, hint)
TEXT_FIELDS = (
    ("first_name", "&First name:", "", ""),
    ("last_name", "&Last name:", "", ""),
    ("date_of_birth", "Date of &birth:", "MM/DD/YYYY", ""),
    ("email", "&Email:", "name@example.com", "The portal needs an email and a ZIP code."),
    ("zip_code", "&ZIP code:", "02139", ""),
    ("phone", "P&hone:", "617-555-0101", ""),
)
STATUSES = ((codes.ACTIVE, "Active"), (codes.PROSPECTIVE, "Prospective"))
VISIBLE_ROWS = 5  # look-alike charts listed without scrolling
DUPLICATES_WORDS = (
    "A chart with the same name and date of birth already exists. Open it instead, or add a new "
    "chart anyway (only for a different person)."
)


def summary_line(chart: Any) -> str:
    """'Ana Lopez — MRN 100001 — born 06/02/1984' for the look-alike list."""
    return f"{chart.full_name} \u2014 MRN {chart.mrn} \u2014 born {chart.date_of_birth:%m/%d/%Y}"


class NewPatientDialog(ChartActionDialog):
    """ "New patient…" (a walk-in): names, date of birth, email, ZIP code, phone, status.

    Signals:
        patient_added(int): the new chart was saved; its patient id.
        open_existing(int): the receptionist chose an existing look-alike chart instead.
        duplicates_found(object): look-alike charts were found (a list of summaries).
    """

    patient_added = Signal(int)
    open_existing = Signal(int)
    duplicates_found = Signal(object)

    def __init__(self, clinic: Clinic, actor: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__("newPatientDialog", "New patient", "&Add patient", parent)
        self._clinic, self._actor = clinic, actor
        self._checked_for: dict[str, str] | None = None  # the values the look-alike list is for
        self.heading.setText("A walk-in: add a new chart")
        self.edits: dict[str, QLineEdit] = {}
        for name, caption, placeholder, hint in TEXT_FIELDS:
            edit = QLineEdit(self)
            edit.setObjectName(f"{name}Edit")
            edit.setPlaceholderText(placeholder)
            edit.textChanged.connect(self._on_edit_changed)
            self.add_field(name, caption, edit, hint)
            self.edits[name] = edit
        self.status_box = QComboBox(self)
        self.status_box.setObjectName("statusBox")
        for status, words in STATUSES:
            self.status_box.addItem(words, status)
        self.status_box.currentIndexChanged.connect(self._on_edit_changed)
        self.add_field("status", "S&tatus:", self.status_box)
        # The services name the status field "patient_status".
        self.field_errors["patient_status"] = self.field_errors["status"]
        self.fields["patient_status"] = self.status_box
        self._rows["patient_status"] = self._rows["status"]
        self.column.insertWidget(3, self._build_duplicates())
        self.action_done.connect(self._on_action_done)
        self.edits["first_name"].setFocus(Qt.FocusReason.OtherFocusReason)
        self.refresh()

    def _build_duplicates(self) -> QWidget:
        self.duplicates = QWidget(self)
        self.duplicates.setObjectName("duplicatePanel")
        self.duplicates.setAccessibleName("Charts that may be the same patient")
        column = QVBoxLayout(self.duplicates)
        column.setContentsMargins(0, 0, 0, 0)
        warning = QLabel(DUPLICATES_WORDS, self.duplicates)
        warning.setObjectName("duplicateWarning")
        warning.setWordWrap(True)
        follow_theme(warning, message_sheet("warning"))
        self.duplicate_list = QListWidget(self.duplicates)
        self.duplicate_list.setObjectName("duplicateList")
        self.duplicate_list.setAccessibleName("Existing charts with the same name and date of birth")
        self.duplicate_list.itemActivated.connect(lambda _item: self.open_chosen())
        self.add_anyway_button = QPushButton("Add a&nyway", self.duplicates)
        self.add_anyway_button.setObjectName("addAnywayButton")
        self.add_anyway_button.setAccessibleName("Add a new chart anyway")
        self.add_anyway_button.clicked.connect(self.add_anyway)
        self.open_existing_button = QPushButton("&Open existing", self.duplicates)
        self.open_existing_button.setObjectName("openExistingButton")
        self.open_existing_button.setAccessibleName("Open the chosen existing chart")
        self.open_existing_button.clicked.connect(self.open_chosen)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.open_existing_button)
        row.addWidget(self.add_anyway_button)
        column.addWidget(warning)
        column.addWidget(self.duplicate_list)
        column.addLayout(row)
        self.duplicates.hide()
        return self.duplicates

    # -- the form ----------------------------------------------------------------------------------
    def values(self) -> dict[str, str]:
        """What the form holds now (the status as its code)."""
        typed = {name: edit.text().strip() for name, edit in self.edits.items()}
        typed["status"] = str(self.status_box.currentData())
        return typed

    def fill(self, **values: str) -> None:
        """Type ``values`` into the form (tests and scripts); ``status`` picks the status."""
        for name, value in values.items():
            if name == "status":
                self.status_box.setCurrentIndex(self.status_box.findData(value))
            else:
                self.edits[name].setText(value)

    def summary_words(self) -> str:
        typed = self.values()
        name = " ".join(part for part in (typed["first_name"], typed["last_name"]) if part) or "the patient"
        status = dict(STATUSES).get(typed["status"], typed["status"])
        if typed["email"] and typed["zip_code"]:
            portal = "Portal access starts on: the email and ZIP code are there."
        else:
            portal = "Portal access starts off until staff add an email and a ZIP code and turn it on."
        return f"A new {status.lower()} chart will be added for {name}, with the next MRN. {portal}"

    def may_confirm(self) -> bool:
        return self.duplicates.isHidden()

    def _on_edit_changed(self) -> None:
        if self._checked_for is not None and self._checked_for != self.values():
            self._checked_for = None
            self.duplicates.hide()
            self.confirm_button.show()
        self.refresh()

    # -- saving ------------------------------------------------------------------------------------
    def start(self) -> None:
        """Look for look-alike charts first; add the chart when there are none."""
        clinic, typed = self._clinic, self.values()
        self._set_busy(True)
        self.show_message("Checking for a chart with the same name and date of birth…", "info")
        for label in self.field_errors.values():
            label.hide()
        run_in_background(
            lambda: clinic.staff.possible_duplicates(
                first_name=typed["first_name"],
                last_name=typed["last_name"],
                date_of_birth=typed["date_of_birth"],
            ),
            lambda found: self._on_duplicates_checked(typed, found),
            self._on_failed,
            owner=self,
            name="possible_duplicates",
        )

    def _on_duplicates_checked(self, typed: dict[str, str], found: list[Any]) -> None:
        self._set_busy(False)
        self.message.hide()
        if typed != self.values():
            return  # the form changed while checking: the next press checks again
        if not found:
            self._add(typed)
            return
        self._checked_for = typed
        self.duplicate_list.clear()
        for chart in found:
            item = QListWidgetItem(summary_line(chart), self.duplicate_list)
            item.setData(Qt.ItemDataRole.UserRole, chart.patient_id)
        self.duplicate_list.setCurrentRow(0)
        rows = min(len(found), VISIBLE_ROWS)
        frame = 2 * self.duplicate_list.frameWidth()
        self.duplicate_list.setFixedHeight(rows * self.duplicate_list.sizeHintForRow(0) + frame + 4)
        self.duplicates.show()
        self.confirm_button.hide()  # the panel's two buttons decide now
        self.refresh()
        self.open_existing_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.adjustSize()
        self.duplicates_found.emit(list(found))

    def add_anyway(self) -> None:
        """Add the new chart although look-alikes exist ("Add anyway")."""
        if self._checked_for is not None and not self.busy:
            self.duplicates.hide()
            self.confirm_button.show()
            self._add(self._checked_for)

    def open_chosen(self) -> None:
        """Open the chosen look-alike chart instead of adding one ("Open existing")."""
        item = self.duplicate_list.currentItem()
        if item is not None:
            self.open_existing.emit(int(item.data(Qt.ItemDataRole.UserRole)))
            self.accept()

    def _add(self, typed: dict[str, str]) -> None:
        clinic, actor = self._clinic, self._actor()
        self.run(
            frozenset(typed.items()),
            typed,
            lambda request_id, sent: clinic.staff.add_patient(
                first_name=sent["first_name"],
                last_name=sent["last_name"],
                date_of_birth=sent["date_of_birth"],
                email=sent["email"] or None,
                zip_code=sent["zip_code"] or None,
                phone=sent["phone"] or None,
                status=sent["status"],
                actor=actor,
                request_id=request_id,
            ),
        )

    def _on_action_done(self, patient_id: Any) -> None:
        self.patient_added.emit(int(patient_id))
