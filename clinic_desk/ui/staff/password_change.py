"""The forced password change (``passwordChange``) after signing in with a temporary password."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from clinic_desk.ui.errors import error_words
from clinic_desk.ui.staff.form_parts import button, caption, line_edit, say
from clinic_desk.ui.staff.staff_form import StaffForm

if TYPE_CHECKING:
    from clinic_desk import Clinic
    from clinic_desk.services.clinic import StaffAccount

MISMATCH_WORDS = "The two new passwords are different: type the same one twice."


class PasswordChangeForm(StaffForm):
    """Current password, new password twice; saved by ``clinic.admin.change_own_password``.

    Nothing else in the window is usable until it is done; Cancel signs out.

    Signals:
        changed(object): the new password is saved (the fresh ``StaffAccount``).
        cancelled: staff chose to sign out instead.
    """

    changed = Signal(object)
    cancelled = Signal()

    def __init__(self, clinic: Clinic, parent: QWidget | None = None) -> None:
        super().__init__(
            clinic, parent, object_name="passwordChange", accessible_name="Choose a new password"
        )
        self._member: StaffAccount | None = None

        self.heading = self._heading("Choose your own password", "passwordChangeHeading")
        self.note = self._plain_note("passwordChangeNote")
        self.current = line_edit(self, "currentPassword", "Current password", secret=True)
        self.new = line_edit(self, "newPassword", "New password", secret=True)
        self.again = line_edit(self, "newPasswordAgain", "New password again", secret=True)
        self._fields = (self.current, self.new, self.again)
        self._finish_fields("passwordChangeMessage")
        self.change_button = button(self, "changePasswordButton", "&Change password", "Save the new password")
        self.change_button.setDefault(True)
        self.cancel_button = button(self, "cancelPasswordChangeButton", "Cancel and sign &out")
        self._busy_buttons = (self.change_button,)
        self.current.returnPressed.connect(lambda: self.new.setFocus(Qt.FocusReason.OtherFocusReason))
        self.new.returnPressed.connect(lambda: self.again.setFocus(Qt.FocusReason.OtherFocusReason))
        self.again.returnPressed.connect(self.change)
        self.change_button.clicked.connect(self.change)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)

        body: list[QWidget | int] = []
        for field, words in (
            (self.current, "C&urrent (temporary) password"),
            (self.new, "&New password (at least 10 characters)"),
            (self.again, "New password &again"),
        ):
            body += [caption(self, words, field), field]
        self._lay_out([self.heading, self.note], body, self.cancel_button, self.change_button)

    @property
    def member(self) -> StaffAccount | None:
        """Whose password is being changed."""
        return self._member

    def start(self, member: StaffAccount) -> None:
        """Ask ``member`` for a new password."""
        self._generation += 1
        self._member = member
        self._set_busy(False)
        for field in self._fields:
            field.clear()
        self.note.setText(
            f"{member.full_name}, you signed in with a temporary password. "
            "Choose your own before going on; nobody else should know it."
        )
        say(self.message, "")
        self.current.setFocus(Qt.FocusReason.OtherFocusReason)

    def change(self) -> None:
        """Save the new password on a worker (Enter in the last field, or the button)."""
        member = self._member
        if self._busy or member is None:
            return
        old, new, again = self.current.text(), self.new.text(), self.again.text()
        if not old or not new:
            say(self.message, "Type your current password and a new one.")
            (self.current if not old else self.new).setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if new != again:
            say(self.message, MISMATCH_WORDS)
            self.again.clear()
            self.again.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        admin = self._clinic.admin
        username = member.username
        self._ask(
            lambda: admin.change_own_password(username, old, new),
            self._on_change_done,
            waiting="Saving…",
            name="staff_change_password",
        )

    def _on_change_done(self, fresh: StaffAccount) -> None:
        for field in self._fields:
            field.clear()
        self.changed.emit(fresh)

    def _on_failed(self, exc: Exception) -> None:
        """Say why and select the field the services named (the new password, or the current one)."""
        say(self.message, error_words(exc))
        field = getattr(exc, "field", None)
        target = self.new if field in ("password", "new_password") else self.current
        target.selectAll()
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_cancel_button_clicked(self) -> None:
        self._generation += 1
        self._member = None
        for field in self._fields:
            field.clear()
        self.cancelled.emit()
