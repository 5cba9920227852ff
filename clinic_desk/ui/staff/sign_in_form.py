"""The sign-in form (``signInDialog``): username and password, checked on a worker."""

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

EMPTY_WORDS = "Type your username and password."


class SignInForm(QWidget):
    """Username, password, Sign in. Enter signs in; the answer comes from ``clinic.admin.sign_in``.

    Wrong, locked (with the time it ends) and turned-off accounts are said under the
    password field in the services' words.

    Signals:
        signed_in(object): the password was right; the ``StaffAccount``.
        back_requested: staff pressed Back (shown when switching user).
    """

    signed_in = Signal(object)
    back_requested = Signal()

    def __init__(self, clinic: Clinic, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInDialog")
        self.setAccessibleName("Sign in")
        self.setAccessibleDescription("Sign in with your staff username and password")
        self._clinic = clinic
        self._busy = False
        self._generation = 0

        self.heading = QLabel("Sign in", self)
        self.heading.setObjectName("signInHeading")
        self.heading.setProperty("role", "formHeading")
        self.note = QLabel("Each person at the desk signs in with their own staff account.", self)
        self.note.setObjectName("signInNote")
        self.note.setProperty("role", "muted")
        self.note.setWordWrap(True)
        self.username = line_edit(self, "signInUsername", "Username")
        self.password = line_edit(self, "signInPassword", "Password", secret=True)
        self.caps_hint = CapsLockHint([self.username, self.password], self)
        self.message = message_line(self, "signInMessage")
        self.sign_in_button = button(
            self, "signInButton", "&Sign in", "Sign in with this username and password"
        )
        self.sign_in_button.setDefault(True)
        self.back_button = button(self, "signInBackButton", "&Back", "Go back without signing anyone in")
        self.back_button.hide()

        self.username.returnPressed.connect(self._on_username_return_pressed)
        self.password.returnPressed.connect(self.sign_in)
        self.sign_in_button.clicked.connect(self.sign_in)
        self.back_button.clicked.connect(self.back_requested)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.heading)
        layout.addWidget(self.note)
        layout.addSpacing(8)
        layout.addWidget(caption(self, "&Username", self.username))
        layout.addWidget(self.username)
        layout.addSpacing(4)
        layout.addWidget(caption(self, "&Password", self.password))
        layout.addWidget(self.password)
        layout.addWidget(self.caps_hint)
        layout.addWidget(self.message)
        layout.addSpacing(8)
        row = QHBoxLayout()
        row.addWidget(self.back_button)
        row.addStretch(1)
        row.addWidget(self.sign_in_button)
        layout.addLayout(row)

    @property
    def busy(self) -> bool:
        """True while the password is being checked."""
        return self._busy

    def message_text(self) -> str:
        """What the message line says ('' when hidden)."""
        return self.message.text() if not self.message.isHidden() else ""

    def start(self, *, can_go_back: bool = False, heading: str = "Sign in") -> None:
        """Empty the form and put the cursor in the username field."""
        self._generation += 1  # an answer still on its way is for a form nobody looks at now
        self._set_busy(False)
        self.heading.setText(heading)
        self.username.clear()
        self.password.clear()
        say(self.message, "")
        self.back_button.setVisible(can_go_back)
        self.username.setFocus(Qt.FocusReason.OtherFocusReason)

    def sign_in(self) -> None:
        """Check the typed username and password on a worker (Enter, or the button)."""
        if self._busy:
            return
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            say(self.message, EMPTY_WORDS)
            (self.username if not username else self.password).setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self._set_busy(True)
        say(self.message, "Signing in…", "info")
        admin = self._clinic.admin
        generation = self._generation
        run_in_background(
            lambda: admin.sign_in(username, password),
            lambda member: self._on_sign_in_done(generation, member),
            lambda exc: self._on_sign_in_failed(generation, exc),
            owner=self,
            name="staff_sign_in",
        )

    def _on_username_return_pressed(self) -> None:
        if self.password.text():
            self.sign_in()
        else:
            self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_sign_in_done(self, generation: int, member: StaffAccount) -> None:
        if generation != self._generation:
            return
        self._set_busy(False)
        self.password.clear()
        say(self.message, "")
        self.signed_in.emit(member)

    def _on_sign_in_failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self._set_busy(False)
        say(self.message, error_words(exc))
        self.password.clear()
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.sign_in_button.setEnabled(not busy)
        self.username.setReadOnly(busy)
        self.password.setReadOnly(busy)
