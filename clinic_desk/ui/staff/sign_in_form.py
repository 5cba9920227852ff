"""The sign-in form (``signInDialog``): username and password, checked on a worker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from clinic_desk.ui.staff.form_parts import button, caption, line_edit, say
from clinic_desk.ui.staff.staff_form import StaffForm

if TYPE_CHECKING:
    from clinic_desk import Clinic
    from clinic_desk.services.clinic import StaffAccount

EMPTY_WORDS = "Type your username and password."


class SignInForm(StaffForm):
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
        super().__init__(clinic, parent, object_name="signInDialog", accessible_name="Sign in")
        self.setAccessibleDescription("Sign in with your staff username and password")

        self.heading = self._heading("Sign in", "signInHeading")
        self.note = QLabel("Each person at the desk signs in with their own staff account.", self)
        self.note.setObjectName("signInNote")
        self.note.setProperty("role", "muted")
        self.note.setWordWrap(True)
        self.username = line_edit(self, "signInUsername", "Username")
        self.password = line_edit(self, "signInPassword", "Password", secret=True)
        self._fields = (self.username, self.password)
        self._finish_fields("signInMessage")
        self.sign_in_button = button(
            self, "signInButton", "&Sign in", "Sign in with this username and password"
        )
        self.sign_in_button.setDefault(True)
        self.back_button = button(self, "signInBackButton", "&Back", "Go back without signing anyone in")
        self.back_button.hide()
        self._busy_buttons = (self.sign_in_button,)

        self.username.returnPressed.connect(self._on_username_return_pressed)
        self.password.returnPressed.connect(self.sign_in)
        self.sign_in_button.clicked.connect(self.sign_in)
        self.back_button.clicked.connect(self.back_requested)

        self._lay_out(
            [self.heading, self.note],
            [
                caption(self, "&Username", self.username),
                self.username,
                4,
                caption(self, "&Password", self.password),
                self.password,
            ],
            self.back_button,
            self.sign_in_button,
        )

    @property
    def busy(self) -> bool:
        """True while the password is being checked."""
        return self._busy

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
        admin = self._clinic.admin
        self._ask(
            lambda: admin.sign_in(username, password),
            self._on_sign_in_done,
            waiting="Signing in…",
            name="staff_sign_in",
        )

    def _on_username_return_pressed(self) -> None:
        if self.password.text():
            self.sign_in()
        else:
            self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_sign_in_done(self, member: StaffAccount) -> None:
        self.password.clear()
        say(self.message, "")
        self.signed_in.emit(member)
