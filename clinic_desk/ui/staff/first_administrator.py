"""The offer to create the clinic's first administrator (``firstAdministrator``).

A clinic with no staff accounts runs in single-user mode; this card at the top of the
window offers to end that: full name, username, password twice. Create adds the account
(``clinic.admin.add_staff``, role admin) and signs that person in, both on a worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from clinic_desk.domain import roles
from clinic_desk.ui.card import Card
from clinic_desk.ui.errors import error_words
from clinic_desk.ui.intentions import Intentions
from clinic_desk.ui.staff.administrator_fields import MISMATCH_WORDS, AdministratorFields
from clinic_desk.ui.staff.form_parts import button, message_line, say
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
        # The fields show once asked for, so the offer alone takes little of the dash.
        self.form = AdministratorFields(self)
        self.full_name, self.username = self.form.full_name, self.form.username
        self.password, self.again = self.form.password, self.form.again
        self.caps_hint = self.form.caps_hint
        for field in self.form.fields():
            field.returnPressed.connect(self.create_administrator)
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
        if not self.form.passwords_match():
            say(self.message, MISMATCH_WORDS)
            return
        values = self.form.values()
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
        self.form.clear_passwords()
        say(self.message, "")
        self.hide()
        self.created.emit(member)

    def _on_create_failed(self, exc: Exception) -> None:
        self._intentions.settle(exc)
        self._set_busy(False)
        say(self.message, error_words(exc))
        field = getattr(exc, "field", None)
        target = self.form.field_for(field) or self.full_name
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        target.selectAll()

    def _on_not_now_button_clicked(self) -> None:
        self.hide()
        self.dismissed.emit()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.create_button.setEnabled(not busy)
        self.not_now_button.setEnabled(not busy)
        self.form.set_read_only(busy)
