"""The unlock form on the lock screen: the same person's password, or "Switch user"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from clinic_desk.ui.staff.form_parts import button, caption, line_edit, say
from clinic_desk.ui.staff.staff_form import StaffForm

if TYPE_CHECKING:
    from clinic_desk import Clinic
    from clinic_desk.services.clinic import StaffAccount

#: Said on the lock screen of a clinic with no staff accounts (anyone may unlock it).
NO_PASSWORD_WORDS = (
    "This clinic has no staff accounts yet, so anyone at this computer can unlock it. "
    "Create the first administrator to lock with a password."
)


class UnlockForm(StaffForm):
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
        super().__init__(clinic, parent, object_name="unlockForm", accessible_name="Unlock")
        self._member: StaffAccount | None = None

        self.heading = self._heading("Locked", "unlockHeading")
        self.who = self._plain_note("unlockWho")
        self.password = line_edit(self, "unlockPassword", "Password", secret=True)
        self.password_caption = caption(self, "&Password", self.password)
        self._fields = (self.password,)
        self._finish_fields("unlockMessage")
        self.unlock_button = button(self, "unlockButton", "&Unlock", "Unlock with this password")
        self.unlock_button.setDefault(True)
        self.switch_button = button(
            self, "switchUserButton", "S&witch user", "Someone else signs in; what was open here is closed"
        )
        self._busy_buttons = (self.unlock_button, self.switch_button)
        self.password.returnPressed.connect(self.unlock)
        self.unlock_button.clicked.connect(self.unlock)
        self.switch_button.clicked.connect(self.switch_user_requested)

        self._lay_out(
            [self.heading, self.who],
            [self.password_caption, self.password],
            self.switch_button,
            self.unlock_button,
        )

    @property
    def member(self) -> StaffAccount | None:
        """Who may unlock (None: anyone, single-user mode)."""
        return self._member

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
        admin = self._clinic.admin
        username = member.username
        self._ask(
            lambda: admin.sign_in_again(username, password),
            self._on_unlock_done,
            waiting="Checking…",
            name="staff_unlock",
        )

    def _on_unlock_done(self, fresh: StaffAccount) -> None:
        self.password.clear()
        say(self.message, "")
        self.unlocked.emit(fresh)
