"""The forced password change (``passwordChange``) after signing in with a temporary password."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from clinic_desk.ui.errors import error_words
from clinic_desk.ui.staff.caps_lock import CapsLockHint
from clinic_desk.ui.staff.form_parts import button, caption, line_edit, message_line, say
from clinic_desk.ui.tasks import run_in_background

if TYPE_CHECKING:
    from clinic_desk import Clinic
    from clinic_desk.services.clinic import StaffAccount

MISMATCH_WORDS = "The two new passwords are different: type the same one twice."


class PasswordChangeForm(QWidget):
    """Current password, new password twice; saved by ``clinic.admin.change_own_password``.

    Nothing else in the window is usable until it is done; Cancel signs out.

    Signals:
        changed(object): the new password is saved (the fresh ``StaffAccount``).
        cancelled: staff chose to sign out instead.
    """

    changed = Signal(object)
    cancelled = Signal()

    def __init__(self, clinic: Clinic, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passwordChange")
        self.setAccessibleName("Choose a new password")
        self._clinic = clinic
        self._member: StaffAccount | None = None
        self._busy = False
        self._generation = 0

        self.heading = QLabel("Choose your own password", self)
        self.heading.setObjectName("passwordChangeHeading")
        self.heading.setProperty("role", "formHeading")
        self.note = QLabel(self)
        self.note.setObjectName("passwordChangeNote")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.current = line_edit(self, "currentPassword", "Current password", secret=True)
        self.new = line_edit(self, "newPassword", "New password", secret=True)
        self.again = line_edit(self, "newPasswordAgain", "New password again", secret=True)
        self.caps_hint = CapsLockHint([self.current, self.new, self.again], self)
        self.message = message_line(self, "passwordChangeMessage")
        self.change_button = button(self, "changePasswordButton", "&Change password", "Save the new password")
        self.change_button.setDefault(True)
        self.cancel_button = button(self, "cancelPasswordChangeButton", "Cancel and sign &out")
        self.current.returnPressed.connect(lambda: self.new.setFocus(Qt.FocusReason.OtherFocusReason))
        self.new.returnPressed.connect(lambda: self.again.setFocus(Qt.FocusReason.OtherFocusReason))
        self.again.returnPressed.connect(self.change)
        self.change_button.clicked.connect(self.change)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.heading)
        layout.addWidget(self.note)
        layout.addSpacing(8)
        for field, words in (
            (self.current, "C&urrent (temporary) password"),
            (self.new, "&New password (at least 10 characters)"),
            (self.again, "New password &again"),
        ):
            layout.addWidget(caption(self, words, field))
            layout.addWidget(field)
        layout.addWidget(self.caps_hint)
        layout.addWidget(self.message)
        layout.addSpacing(8)
        row = QHBoxLayout()
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        row.addWidget(self.change_button)
        layout.addLayout(row)

    @property
    def member(self) -> StaffAccount | None:
        """Whose password is being changed."""
        return self._member

    def message_text(self) -> str:
        """What the message line says ('' when hidden)."""
        return self.message.text() if not self.message.isHidden() else ""

    def start(self, member: StaffAccount) -> None:
        """Ask ``member`` for a new password."""
        self._generation += 1
        self._member = member
        self._set_busy(False)
        for field in (self.current, self.new, self.again):
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
        self._set_busy(True)
        say(self.message, "Saving…", "info")
        admin = self._clinic.admin
        username = member.username
        generation = self._generation
        run_in_background(
            lambda: admin.change_own_password(username, old, new),
            lambda fresh: self._on_change_done(generation, fresh),
            lambda exc: self._on_change_failed(generation, exc),
            owner=self,
            name="staff_change_password",
        )

    def _on_change_done(self, generation: int, fresh: StaffAccount) -> None:
        if generation != self._generation:
            return
        self._set_busy(False)
        for field in (self.current, self.new, self.again):
            field.clear()
        self.changed.emit(fresh)

    def _on_change_failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self._set_busy(False)
        say(self.message, error_words(exc))
        field = getattr(exc, "field", None)
        target = self.new if field in ("password", "new_password") else self.current
        target.selectAll()
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_cancel_button_clicked(self) -> None:
        self._generation += 1
        self._member = None
        for field in (self.current, self.new, self.again):
            field.clear()
        self.cancelled.emit()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.change_button.setEnabled(not busy)
        for field in (self.current, self.new, self.again):
            field.setReadOnly(busy)
