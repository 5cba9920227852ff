"""The offer to create the clinic's first administrator (``firstAdministrator``).

A clinic with no staff accounts runs in single-user mode; this card at the top of the
window offers to end that: full name, username, password twice. Create adds the account
(``clinic.admin.add_staff``, role admin) and signs that person in, both on a worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from clinic_desk.domain import roles
from clinic_desk.domain.validation import PASSWORD_MIN_LENGTH
from clinic_desk.ui.card import Card
from clinic_desk.ui.errors import error_words
from clinic_desk.ui.intentions import Intentions
from clinic_desk.ui.staff.caps_lock import CapsLockHint
from clinic_desk.ui.staff.form_parts import button, caption, line_edit, message_line, say
from clinic_desk.ui.tasks import run_in_background

if TYPE_CHECKING:
    from collections.abc import Callable

    from clinic_desk import Clinic
    from clinic_desk.services.clinic import StaffAccount

TITLE = "Create the first administrator"
INTRO = (
    "Nobody signs in at this clinic yet: anyone at this computer can do anything. "
    "Once there is an administrator, everyone signs in with their own account "
    "and an unattended window locks itself."
)
MISMATCH_WORDS = "The two passwords are different: type the same one twice."


class FirstAdministratorCard(Card):
    """Full name, username, password twice; Create / Not now.

    Signals:
        created(object): the administrator exists and is signed in (a ``StaffAccount``).
        dismissed: staff chose "Not now".
    """

    created = Signal(object)
    dismissed = Signal()

    def __init__(self, clinic: Clinic, actor: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__("firstAdministrator", "", parent)
        self.setAccessibleName(TITLE)
        self.setAccessibleDescription(INTRO)
        self._clinic = clinic
        self._actor = actor
        self._busy = False
        self._intentions = Intentions()
        self.body.setContentsMargins(16, 12, 16, 14)

        self.heading = QLabel(TITLE, self)
        self.heading.setObjectName("firstAdministratorTitle")
        self.heading.setProperty("role", "portalCaption")
        self.intro = QLabel(INTRO, self)
        self.intro.setObjectName("firstAdministratorIntro")
        self.intro.setProperty("role", "muted")
        self.intro.setWordWrap(True)
        self.full_name = line_edit(self, "firstAdministratorFullName", "Full name")
        self.username = line_edit(self, "firstAdministratorUsername", "Username")
        self.password = line_edit(self, "firstAdministratorPassword", "Password", secret=True)
        self.again = line_edit(self, "firstAdministratorPasswordAgain", "Password again", secret=True)
        self.password.setPlaceholderText(f"At least {PASSWORD_MIN_LENGTH} characters")
        for field in (self.full_name, self.username, self.password, self.again):
            field.setMinimumWidth(90)  # the window may still be made small
            field.returnPressed.connect(self.create_administrator)
        self.caps_hint = CapsLockHint([self.password, self.again], self)
        self.message = message_line(self, "firstAdministratorMessage")
        self.open_button = button(
            self,
            "openFirstAdministratorButton",
            "&Create…",
            "Type the first administrator's name, username and password",
        )
        self.create_button = button(
            self, "createAdministratorButton", "&Create", "Create this account and sign in"
        )
        self.create_button.hide()
        self.not_now_button = button(
            self, "notNowButton", "&Not now", "Keep working without staff accounts for now"
        )
        self.open_button.clicked.connect(self.open_form)
        self.create_button.clicked.connect(self.create_administrator)
        self.not_now_button.clicked.connect(self._on_not_now_button_clicked)

        # The fields show once asked for, so the offer alone takes little of the dash.
        self.form = QWidget(self)
        self.form.setObjectName("firstAdministratorForm")
        grid = QGridLayout(self.form)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        fields: list[tuple[QLineEdit, str]] = [
            (self.full_name, "&Full name"),
            (self.username, "&Username"),
            (self.password, "Pass&word"),
            (self.again, "Password a&gain"),
        ]
        for index, (field, words) in enumerate(fields):
            field.setParent(self.form)
            row, column = 2 * (index // 2), index % 2
            grid.addWidget(caption(self.form, words, field), row, column)
            grid.addWidget(field, row + 1, column)
            grid.setColumnStretch(column, 1)
        grid.addWidget(self.caps_hint, 4, 0, 1, 2)
        self.form.hide()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.not_now_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.create_button)
        self.body.addWidget(self.heading)
        self.body.addWidget(self.intro)
        self.body.addWidget(self.form)
        self.body.addWidget(self.message)
        self.body.addLayout(buttons)

    @property
    def busy(self) -> bool:
        """True while the account is being created."""
        return self._busy

    def message_text(self) -> str:
        """What the message line says ('' when hidden)."""
        return self.message.text() if not self.message.isHidden() else ""

    def offer(self) -> None:
        """Show the offer (the fields stay folded until asked for)."""
        self.show()

    def open_form(self) -> None:
        """Show the fields, with the cursor in the first one."""
        self.show()
        self.form.show()
        self.open_button.hide()
        self.create_button.show()
        self.create_button.setDefault(True)
        self.full_name.setFocus(Qt.FocusReason.OtherFocusReason)

    def create_administrator(self) -> None:
        """Create the administrator and sign them in, on a worker."""
        if self._busy:
            return
        if self.form.isHidden():
            self.open_form()
            return
        name, username = self.full_name.text().strip(), self.username.text().strip()
        password = self.password.text()
        if password != self.again.text():
            say(self.message, MISMATCH_WORDS)
            self.again.clear()
            self.again.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        values = {"full_name": name, "username": username, "password": password}
        request_id, values = self._intentions.begin(tuple(values.items()), values)
        admin = self._clinic.admin
        actor = self._actor()

        def create_and_sign_in() -> StaffAccount:
            admin.add_staff(
                username=values["username"],
                full_name=values["full_name"],
                role=roles.ADMIN,
                password=values["password"],
                actor=actor,
                request_id=request_id,
            )
            return admin.sign_in(values["username"], values["password"])

        self._set_busy(True)
        say(self.message, "Creating the administrator…", "info")
        run_in_background(
            create_and_sign_in,
            self._on_created,
            self._on_create_failed,
            owner=self,
            name="first_administrator",
        )

    def _on_created(self, member: StaffAccount) -> None:
        self._intentions.settle()
        self._set_busy(False)
        for field in (self.password, self.again):
            field.clear()
        say(self.message, "")
        self.hide()
        self.created.emit(member)

    def _on_create_failed(self, exc: Exception) -> None:
        self._intentions.settle(exc)
        self._set_busy(False)
        say(self.message, error_words(exc))
        field = getattr(exc, "field", None)
        target = {"full_name": self.full_name, "username": self.username, "password": self.password}.get(
            str(field), self.full_name
        )
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        target.selectAll()

    def _on_not_now_button_clicked(self) -> None:
        self.hide()
        self.dismissed.emit()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.create_button.setEnabled(not busy)
        self.not_now_button.setEnabled(not busy)
        for field in (self.full_name, self.username, self.password, self.again):
            field.setReadOnly(busy)
