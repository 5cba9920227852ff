"""The "Edit contact details" dialog: email, phone, address and ZIP code, with no lost updates.

The form remembers the chart version it was loaded from and saves with
``expected_version``. When someone else saved first, nothing is written; the form
keeps what this user typed, takes the other person's value for fields this user
did not touch, and shows "Theirs: …" under every field where the two differ, so
the user can check and save again on top.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.chart import PatientChart
from clinic_desk.domain.email_idn import readable_email
from clinic_desk.domain.errors import ConflictError, OutcomeUnknown
from clinic_desk.ui.connection.outage import is_unreachable
from clinic_desk.ui.errors import error_words
from clinic_desk.ui.intentions import Intentions
from clinic_desk.ui.own_style import follow_theme, message_sheet
from clinic_desk.ui.tasks import run_in_background

if TYPE_CHECKING:
    from clinic_desk import Clinic


@dataclass(frozen=True)
class ContactField:
    """One editable field: chart attribute, label, and whether the portal needs it."""

    name: str
    label: str
    required_for_portal: bool = False
    placeholder: str = ""


FIELDS = (
    ContactField("email", "&Email", True, "name@example.com"),
    ContactField("phone", "&Phone", False, "617-555-0101"),
    ContactField("address_line1", "&Address", False, "Street and number"),
    ContactField("address_line2", "Address line &2", False, "Apartment, suite (optional)"),
    ContactField("city", "C&ity", False, ""),
    ContactField("state", "&State", False, "MA"),
    ContactField("zip_code", "&ZIP code", True, "02139"),
)
FIELD_NAMES = tuple(field.name for field in FIELDS)

#: After a lost reply, what the reloaded chart says: saved (True) or not.
OUTCOME_WORDS = {
    True: "Checked: the chart was saved; the form shows it as stored.",
    False: "Checked: nothing was saved. Your changes are still in the form; press Save again.",
}
CONFLICT_WORDS = (
    "Someone else saved this chart while you were editing, so nothing was saved. Your typing is "
    "still in the form. Where their value differs from yours it is shown as \u201cTheirs\u201d under "
    "the field. Check, then press Save again to save yours on top."
)
UNREACHABLE_WORDS = (
    "The clinic database server cannot be reached, so nothing was saved. Your typing is still in "
    "the form: press Save again when the server is back."
)
SAVE_FAILED_WORDS = "Saving failed ({kind}). Nothing was saved; your typing is still in the form."


def _text(value: str | None) -> str:
    return (value or "").strip()


def chart_values(chart: PatientChart) -> dict[str, str]:
    """The form's fields as the chart has them (empty text for "not on file")."""
    values = {name: _text(getattr(chart, name)) for name in FIELD_NAMES}
    # An international domain is stored in ASCII form; staff read and type it in its own script.
    values["email"] = readable_email(values["email"])
    return values


class ContactEditorDialog(QDialog):
    """Edit a patient's contact details; loads and saves on worker threads.

    Signals:
        chart_loaded(object): the chart arrived (first load, or after a conflict).
        saved(int): the details were saved; the chart's new version.
        save_failed(str): saving failed; the words say why (the form keeps its text).
        conflict_detected: someone else saved first; "Theirs" hints are shown.
    """

    chart_loaded = Signal(object)
    saved = Signal(int)
    save_failed = Signal(str)
    conflict_detected = Signal()

    def __init__(self, clinic: Clinic, patient_id: int, actor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contactEditor")
        self.setWindowTitle("Edit contact details")
        self.setAccessibleName("Edit contact details")
        self.setMinimumWidth(460)
        self._clinic = clinic
        self._patient_id = patient_id
        self._actor = actor
        self._base: dict[str, str] | None = None  # what the chart held when this form (re)loaded
        self._version: int | None = None
        self._busy = False
        self._intentions = Intentions()
        self._checking_outcome = False
        self.save_attempts = 0

        self.heading = QLabel("Loading the chart…", self)
        self.heading.setObjectName("contactEditorHeading")
        self.heading.setProperty("role", "cardTitle")
        self.message = QLabel(self)
        self.message.setObjectName("contactEditorMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.hide()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.edits: dict[str, QLineEdit] = {}
        self.theirs: dict[str, QLabel] = {}
        for field in FIELDS:
            edit = QLineEdit(self)
            edit.setObjectName(f"{field.name}Edit")
            edit.setPlaceholderText(field.placeholder)
            plain = field.label.replace("&", "")
            edit.setAccessibleName(plain)
            if field.required_for_portal:
                edit.setAccessibleDescription(f"{plain}: the patient portal needs it")
            edit.setEnabled(False)
            theirs = QLabel(self)
            theirs.setObjectName(f"{field.name}Theirs")
            theirs.setTextFormat(Qt.TextFormat.PlainText)
            theirs.setProperty("role", "muted")
            theirs.setWordWrap(True)
            theirs.hide()
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(edit)
            box.addWidget(theirs)
            label = QLabel(field.label, self)
            label.setBuddy(edit)
            form.addRow(label, box)
            self.edits[field.name] = edit
            self.theirs[field.name] = theirs

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveContactButton")
        self.save_button.setEnabled(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.message)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._load(conflict=False)

    # -- what the user sees ------------------------------------------------------------------------
    @property
    def version(self) -> int | None:
        """The chart version this form will save on top of."""
        return self._version

    @property
    def busy(self) -> bool:
        """True while loading or saving."""
        return self._busy

    def values(self) -> dict[str, str]:
        """What the form holds now."""
        return {name: edit.text().strip() for name, edit in self.edits.items()}

    def theirs_text(self, name: str) -> str:
        """The "Theirs: …" hint under a field ('' when hidden)."""
        label = self.theirs[name]
        return label.text() if not label.isHidden() else ""

    def set_value(self, name: str, text: str) -> None:
        """Type ``text`` into field ``name`` (tests and scripts)."""
        self.edits[name].setText(text)

    # -- loading -----------------------------------------------------------------------------------
    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.save_button.setEnabled(not busy and self._version is not None)

    def _load(self, *, conflict: bool) -> None:
        clinic, patient_id = self._clinic, self._patient_id
        self._set_busy(True)
        run_in_background(
            lambda: clinic.staff.chart(patient_id),
            lambda chart: self._on_chart_loaded(chart, conflict),
            self._on_load_failed,
            owner=self,
            name="contact_editor_load",
        )

    def _on_chart_loaded(self, chart: PatientChart, conflict: bool) -> None:
        theirs = chart_values(chart)
        outcome: bool | None = None  # after a lost reply: did the chart move (our save landed)?
        if self._checking_outcome:
            self._checking_outcome = False
            outcome = chart.version != self._version
            if outcome:
                self._base = None  # show the chart as stored
        if self._base is None:
            for name, edit in self.edits.items():
                edit.setText(theirs[name])
                edit.setEnabled(True)
            self.edits["email"].setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self._merge(theirs)
        self._base = theirs
        self._version = chart.version
        self.heading.setText(f"{chart.full_name} \u2014 MRN {chart.mrn}")
        self._set_busy(False)
        if outcome is not None:
            self._show_message(OUTCOME_WORDS[outcome], "success" if outcome else "warning")
        if conflict:
            self._show_message(CONFLICT_WORDS, "warning")
            self.adjustSize()  # room for the "Theirs" lines
            self.conflict_detected.emit()
        self.chart_loaded.emit(chart)

    def _merge(self, theirs: dict[str, str]) -> None:
        """After a conflict: keep what this user changed, take theirs elsewhere, show differences."""
        assert self._base is not None
        for name, edit in self.edits.items():
            mine = edit.text().strip()
            touched = mine != self._base[name]
            they_changed = theirs[name] != self._base[name] or not self.theirs[name].isHidden()
            if not touched:
                edit.setText(theirs[name])
                self._hide_theirs(name)
            elif they_changed and theirs[name] != mine:
                shown = theirs[name] or "(empty)"
                label = self.theirs[name]
                label.setText(f"Theirs: {shown}")
                label.setAccessibleName(f"Their value: {shown}")
                label.show()
                edit.setProperty("conflict", True)
                edit.setToolTip(f"Someone else saved: {shown}. Yours is in the field.")
            else:
                self._hide_theirs(name)

    def _hide_theirs(self, name: str) -> None:
        self.theirs[name].hide()
        self.edits[name].setProperty("conflict", False)
        self.edits[name].setToolTip("")

    def _on_load_failed(self, exc: Exception) -> None:
        self._set_busy(False)
        words = UNREACHABLE_WORDS if is_unreachable(exc) else error_words(exc, SAVE_FAILED_WORDS)
        self._show_message(words, "error")

    # -- saving ------------------------------------------------------------------------------------
    def save(self) -> None:
        """Save what changed since the form (re)loaded, on top of the version it loaded."""
        if self._busy or self._base is None or self._version is None:
            return
        changes: dict[str, Any] = {
            name: (value or None) for name, value in self.values().items() if value != self._base[name]
        }
        if not changes:
            self.accept()
            return
        self.save_attempts += 1
        clinic, patient_id, actor, version = self._clinic, self._patient_id, self._actor, self._version
        # Save again after a fault is the same intention: the same request id, never done twice.
        request_id, _ = self._intentions.begin(frozenset(changes.items()), {})
        self._set_busy(True)
        self._show_message("Saving…", "info")
        run_in_background(
            lambda: clinic.staff.update_contact(
                patient_id, actor=actor, expected_version=version, request_id=request_id, **changes
            ),
            self._on_saved,
            self._on_save_failed,
            owner=self,
            name="update_contact",
        )

    def _on_saved(self, version: int) -> None:
        self._intentions.settle()
        self._version = version
        self._set_busy(False)
        self.saved.emit(int(version))
        self.accept()

    def _on_save_failed(self, exc: Exception) -> None:
        self._intentions.settle(exc)
        self._set_busy(False)
        if isinstance(exc, OutcomeUnknown):
            self._show_message(exc.message, "warning")  # "may have been saved — reloading to check"
            self._checking_outcome = True
            self._load(conflict=False)
            self.save_failed.emit(exc.message)
            return
        if isinstance(exc, ConflictError):
            self.save_failed.emit(CONFLICT_WORDS)
            self._load(conflict=True)
            return
        words = UNREACHABLE_WORDS if is_unreachable(exc) else error_words(exc, SAVE_FAILED_WORDS)
        self._show_message(words, "error")
        field = getattr(exc, "field", None)
        if field in self.edits:
            self.edits[field].setFocus(Qt.FocusReason.OtherFocusReason)
            self.edits[field].selectAll()
        self.save_failed.emit(words)

    def _show_message(self, words: str, role: str) -> None:
        self.message.setText(words)
        self.message.setProperty("role", role)
        self.message.setAccessibleDescription(words)
        follow_theme(self.message, message_sheet(role, bold=False))
        self.message.show()
