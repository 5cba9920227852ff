"""The unlock form on the lock screen: the same person's password, or "Switch user"."""

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

#: Said on the lock screen of a clinic with no staff accounts (anyone may unlock it).
NO_PASSWORD_WORDS = (
    "This clinic has no staff accounts yet, so anyone at this computer can unlock it. "
    "Create the first administrator to lock with a password."
)


class UnlockForm(QWidget):
    """Who is signed in, their password, Unlock; "Switch user" lets someone else sign in.

    Without a member (single-user mode) there is no password: Unlock simply shows the desk.

    Signals:
        unlocked(object): the same person's password was right (the fresh ``StaffAccount``,
            or None in single-user mode).
        switch_user_requested: someone else wants to sign in.
    """

    unlocked = Signal(object)
    switch_user_requested = Signal()

    def __init__(self, clinic: Clinic, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unlockForm")
        self.setAccessibleName("Unlock")
        self._clinic = clinic
        self._member: StaffAccount | None = None
        self._busy = False
        self._generation = 0

        self.heading = QLabel("Locked", self)
        self.heading.setObjectName("unlockHeading")
        self.heading.setProperty("role", "formHeading")
        self.who = QLabel(self)
        self.who.setObjectName("unlockWho")
        self.who.setWordWrap(True)
        self.who.setTextFormat(Qt.TextFormat.PlainText)
        self.password = line_edit(self, "unlockPassword", "Password", secret=True)
        self.password_caption = caption(self, "&Password", self.password)
        self.caps_hint = CapsLockHint([self.password], self)
        self.message = message_line(self, "unlockMessage")
        self.unlock_button = button(self, "unlockButton", "&Unlock", "Unlock with this password")
        self.unlock_button.setDefault(True)
        self.switch_button = button(
            self, "switchUserButton", "S&witch user", "Someone else signs in; what was open here is closed"
        )
        self.password.returnPressed.connect(self.unlock)
        self.unlock_button.clicked.connect(self.unlock)
        self.switch_button.clicked.connect(self.switch_user_requested)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.heading)
        layout.addWidget(self.who)
        layout.addSpacing(8)
        layout.addWidget(self.password_caption)
        layout.addWidget(self.password)
        layout.addWidget(self.caps_hint)
        layout.addWidget(self.message)
        layout.addSpacing(8)
        row = QHBoxLayout()
        row.addWidget(self.switch_button)
        row.addStretch(1)
        row.addWidget(self.unlock_button)
        layout.addLayout(row)

    @property
    def member(self) -> StaffAccount | None:
        """Who may unlock (None: anyone, single-user mode)."""
        return self._member

    def message_text(self) -> str:
        """What the message line says ('' when hidden)."""
        return self.message.text() if not self.message.isHidden() else ""

    def start(self, member: StaffAccount | None) -> None:
        """Ask ``member`` for their password (None: no password, single-user mode)."""
        self._generation += 1
        self._member = member
        self._set_busy(False)
        self.password.clear()
        protected = member is not None
        for widget in (self.password_caption, self.password, self.switch_button):
            widget.setVisible(protected)
        if member is not None:
            self.who.setText(
                f"{member.full_name} ({member.role_label}) is signed in at this desk. "
                "Type your password to go on where you left off."
            )
            say(self.message, "")
            self.password.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.who.setText(NO_PASSWORD_WORDS)
            say(self.message, "")
            self.unlock_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def unlock(self) -> None:
        """Check the password on a worker (Enter, or the button)."""
        member = self._member
        if self._busy:
            return
        if member is None:
            self.unlocked.emit(None)
            return
        password = self.password.text()
        if not password:
            say(self.message, "Type your password.")
            self.password.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self._set_busy(True)
        say(self.message, "Checking…", "info")
        admin = self._clinic.admin
        generation = self._generation
        username = member.username
        run_in_background(
            lambda: admin.sign_in(username, password),
            lambda fresh: self._on_unlock_done(generation, fresh),
            lambda exc: self._on_unlock_failed(generation, exc),
            owner=self,
            name="staff_unlock",
        )

    def _on_unlock_done(self, generation: int, fresh: StaffAccount) -> None:
        if generation != self._generation:
            return
        self._set_busy(False)
        self.password.clear()
        say(self.message, "")
        self.unlocked.emit(fresh)

    def _on_unlock_failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self._set_busy(False)
        say(self.message, error_words(exc))
        self.password.clear()
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.unlock_button.setEnabled(not busy)
        self.switch_button.setEnabled(not busy)
        self.password.setReadOnly(busy)
