"""Set a patient's status: Active, Prospective, Inactive or Deceased, saying what each one does.

Inactive and Deceased turn portal access off and end every link (DESIGN.md section 1);
leaving Deceased needs a note (``domain.switch_off.note_needed_for_status``, the services'
own rule). Managers and administrators only: the window disables the menu item for others.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QButtonGroup, QLineEdit, QRadioButton, QVBoxLayout, QWidget

from clinic_desk.domain import codes
from clinic_desk.domain.switch_off import note_needed_for_status
from clinic_desk.ui.patient.chart_action_dialog import ChartActionDialog

if TYPE_CHECKING:
    from clinic_desk import Clinic

STATUS_BUTTONS = {
    codes.ACTIVE: "&Active",
    codes.PROSPECTIVE: "&Prospective",
    codes.INACTIVE: "&Inactive",
    codes.DECEASED: "&Deceased",
}
ENDS_ACCESS = (
    "Portal access is turned off, links in emails already sent stop working, and emails waiting "
    "to go out are cancelled. The secure-message icon turns red."
)
CONSEQUENCES = {
    codes.ACTIVE: "The patient may use the portal.",
    codes.PROSPECTIVE: "The patient may use the portal.",
    codes.INACTIVE: ENDS_ACCESS + " Access can be turned on again only after the patient is made active.",
    codes.DECEASED: ENDS_ACCESS
    + " Nothing is sent to this patient again, and access cannot be turned on while the chart says deceased.",
}
CLOSED = (codes.INACTIVE, codes.DECEASED)


def status_label(status: str) -> str:
    """'Active', 'Deceased'…"""
    return STATUS_BUTTONS.get(status, status).replace("&", "")


class StatusDialog(ChartActionDialog):
    """ "Set patient status…": the four statuses, the consequence of the one chosen, a note."""

    def __init__(
        self,
        clinic: Clinic,
        patient_id: int,
        patient_words: str,
        current: str,
        actor: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("patientStatusDialog", "Set patient status", "&Set status", parent)
        self._clinic, self._patient_id, self._actor = clinic, patient_id, actor
        self.current = current
        self.heading.setText(f"{patient_words} \u2014 now {status_label(current)}")
        choices = QWidget(self)
        choices.setObjectName("statusChoices")
        column = QVBoxLayout(choices)
        column.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.status_buttons: dict[str, QRadioButton] = {}
        for status in codes.PATIENT_STATUSES:
            button = QRadioButton(STATUS_BUTTONS[status], choices)
            button.setObjectName(f"{status}Status")
            button.setAccessibleName(status_label(status))
            self.group.addButton(button)
            self.status_buttons[status] = button
            column.addWidget(button)
            button.toggled.connect(self.refresh)
        self.add_field("status", "Status:", choices)
        self.note = QLineEdit(self)
        self.note.setObjectName("statusNote")
        self.note.setMaxLength(500)
        self.note.setPlaceholderText("Why, in a few words (kept in the chart's history)")
        self.note.textChanged.connect(self.refresh)
        self.add_field("note", "&Note:", self.note)
        if current in self.status_buttons:
            self.status_buttons[current].setChecked(True)
        self.refresh()

    @property
    def chosen(self) -> str | None:
        """The status chosen, or None."""
        return next((status for status, button in self.status_buttons.items() if button.isChecked()), None)

    def choose(self, status: str, note: str = "") -> None:
        """Pick ``status`` and type ``note`` (tests and scripts)."""
        self.status_buttons[status].setChecked(True)
        self.note.setText(note)

    def note_needed(self) -> str | None:
        """Why the change chosen needs a note (a sentence), or None."""
        chosen = self.chosen
        return note_needed_for_status(self.current, chosen) if chosen else None

    def may_confirm(self) -> bool:
        return self.chosen is not None and self.chosen != self.current

    def summary_words(self) -> str:
        chosen = self.chosen
        if chosen is None or chosen == self.current:
            return f"The patient is {status_label(self.current)} now: choose another status."
        words = f"The patient will be marked {status_label(chosen)}. {CONSEQUENCES[chosen]}"
        if self.current in CLOSED and chosen not in CLOSED:
            words += " Portal access stays off until staff turn it on."
        if why := self.note_needed():
            words += f" {why}"
        return words

    def start(self) -> None:
        clinic, patient_id, actor = self._clinic, self._patient_id, self._actor()
        values = {"status": self.chosen or "", "note": self.note.text().strip()}
        self.run(
            (patient_id, "status", values["status"], values["note"]),
            values,
            lambda request_id, sent: clinic.staff.set_patient_status(
                patient_id, sent["status"], actor=actor, note=sent["note"] or None, request_id=request_id
            ),
        )
