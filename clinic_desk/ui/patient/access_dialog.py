"""Turn a patient's portal access off (with a reason) or back on (with a note when one is needed).

The reasons and their words come from ``domain.switch_off``; whether turning access back on
needs a note is that module's ``note_needed_to_turn_on`` (the services ask the same
function, and say so again with a ValidationError on the note when the dialog did not know).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QButtonGroup, QLineEdit, QRadioButton, QVBoxLayout, QWidget

from clinic_desk.domain import codes
from clinic_desk.domain.roles import Permission, refusal
from clinic_desk.domain.switch_off import OFF_REASON_LABELS, note_needed_to_turn_on, off_reason_words
from clinic_desk.ui.patient.chart_action_dialog import ChartActionDialog

if TYPE_CHECKING:
    from clinic_desk import Clinic

#: Each reason's radio button text, with its mnemonic.
REASON_BUTTONS = {
    codes.OFF_PATIENT_REQUEST: "The &patient asked",
    codes.OFF_PREVENTING_HARM: "Preventing &harm",
    codes.OFF_SECURITY: "&Security (the account may be in the wrong hands)",
    codes.OFF_DECEASED_OR_DUPLICATE: "&Deceased or duplicate chart",
    codes.OFF_OTHER: "Othe&r (say why in the note)",
}
OFF_CONSEQUENCES = (
    "The patient can no longer sign in, links in emails already sent stop working, and emails "
    "waiting to go out are cancelled. The secure-message icon turns red."
)
ON_CONSEQUENCES = (
    "The patient can use the portal again: with their username and password if they have one, "
    "otherwise send them an invitation."
)


def _note_edit(parent: QWidget) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setObjectName("accessNote")
    edit.setMaxLength(500)
    edit.setPlaceholderText("Why, in a few words (kept in the chart's history)")
    return edit


class AccessOffDialog(ChartActionDialog):
    """ "Turn portal access off…": a reason from the clinic's list, a note (required for "Other")."""

    def __init__(
        self,
        clinic: Clinic,
        patient_id: int,
        patient_words: str,
        actor: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("accessOffDialog", "Turn portal access off", "Turn access &off", parent)
        self._clinic, self._patient_id, self._actor = clinic, patient_id, actor
        self._patient_words = patient_words
        self.heading.setText(patient_words)
        reasons = QWidget(self)
        reasons.setObjectName("offReasons")
        column = QVBoxLayout(reasons)
        column.setContentsMargins(0, 0, 0, 0)
        self.reason_group = QButtonGroup(self)
        self.reason_buttons: dict[str, QRadioButton] = {}
        for code in codes.STAFF_OFF_REASONS:
            button = QRadioButton(REASON_BUTTONS[code], reasons)
            button.setObjectName(f"{code}Reason")
            button.setAccessibleName(OFF_REASON_LABELS[code])
            self.reason_group.addButton(button)
            self.reason_buttons[code] = button
            column.addWidget(button)
            button.toggled.connect(self.refresh)
        self.add_field("reason", "Reason:", reasons)
        self.note = _note_edit(self)
        self.note.textChanged.connect(self.refresh)
        self.add_field("note", "&Note:", self.note, "Required when the reason is \u201cOther\u201d.")
        self.refresh()

    @property
    def reason(self) -> str | None:
        """The reason chosen (a code), or None."""
        return next((code for code, button in self.reason_buttons.items() if button.isChecked()), None)

    def choose(self, reason: str, note: str = "") -> None:
        """Pick ``reason`` and type ``note`` (tests and scripts)."""
        self.reason_buttons[reason].setChecked(True)
        self.note.setText(note)

    def summary_words(self) -> str:
        why = off_reason_words(self.reason)
        turned = f"turned off {why}" if why else "turned off (choose a reason above)"
        return f"Portal access will be {turned}. {OFF_CONSEQUENCES}"

    def start(self) -> None:
        clinic, patient_id, actor = self._clinic, self._patient_id, self._actor()
        values = {"reason": self.reason or "", "note": self.note.text().strip()}
        self.run(
            (patient_id, "off", values["reason"], values["note"]),
            values,
            lambda request_id, sent: clinic.staff.set_portal_access(
                patient_id,
                enabled=False,
                actor=actor,
                reason=sent["reason"] or None,
                note=sent["note"] or None,
                request_id=request_id,
            ),
        )


class AccessOnDialog(ChartActionDialog):
    """ "Turn portal access on…": asks for a note when undoing a switch-off needs one.

    ``off_by`` and ``off_reason`` are who turned access off and why (the open patient's
    status facts), or None when staff did not turn it off.
    """

    def __init__(
        self,
        clinic: Clinic,
        patient_id: int,
        patient_words: str,
        actor: Callable[[], str],
        *,
        off_by: str | None,
        off_reason: str | None,
        may_undo_protected: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("accessOnDialog", "Turn portal access on", "Turn access &on", parent)
        self._clinic, self._patient_id, self._actor = clinic, patient_id, actor
        self.heading.setText(patient_words)
        self._off_by, self._off_reason = off_by, off_reason
        by_staff = off_reason is not None or off_by is not None
        self._why_note = note_needed_to_turn_on(
            access_off_reason=codes.OFF_BY_STAFF if by_staff else None,
            staff_off_reason=off_reason,
            switched_off_by=off_by,
            actor=actor(),
        )
        self._refused = (
            refusal(Permission.UNDO_PROTECTED_SWITCH_OFF)
            if off_reason in codes.PROTECTED_OFF_REASONS and not may_undo_protected
            else None
        )
        self.note = _note_edit(self)
        self.add_field("note", "&Note:", self.note, self._why_note or "")
        self.set_field_visible("note", self._why_note is not None)
        if self._refused:
            self.show_message(self._refused, "error")
        self.refresh()

    @property
    def note_needed(self) -> bool:
        """True when the dialog asks for a note (undoing a colleague's or a protected switch-off)."""
        return self._why_note is not None

    def may_confirm(self) -> bool:
        return self._refused is None

    def summary_words(self) -> str:
        if self._off_by and self._off_reason:
            before = f"{self._off_by} turned it off {off_reason_words(self._off_reason)}. "
        else:
            before = ""
        return f"{before}Portal access will be turned on. {ON_CONSEQUENCES}"

    def start(self) -> None:
        clinic, patient_id, actor = self._clinic, self._patient_id, self._actor()
        values = {"note": self.note.text().strip()}
        self.run(
            (patient_id, "on", values["note"]),
            values,
            lambda request_id, sent: clinic.staff.set_portal_access(
                patient_id, enabled=True, actor=actor, note=sent["note"] or None, request_id=request_id
            ),
        )
