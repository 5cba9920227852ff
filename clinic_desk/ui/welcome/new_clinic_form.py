""" "Create a new clinic on this computer": the clinic's name, sender and portal address, and
the first administrator (the same fields as the single-user offer's).

Create runs on a worker (:func:`building.create_local_clinic`); a refusal is said in plain
words under the form, the cursor goes to the field at fault, and nothing is left written.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from clinic_desk.ui.errors import error_words
from clinic_desk.ui.staff.administrator_fields import MISMATCH_WORDS, AdministratorFields
from clinic_desk.ui.staff.form_parts import button, caption, line_edit, message_line, say
from clinic_desk.ui.tasks import run_in_background

TITLE = "Create a new clinic on this computer"
INTRO = (
    "The clinic's data stays in a file on this computer. Its administrator signs in with the "
    "username and password typed here, and can add the rest of the staff afterwards."
)


class NewClinicForm(QWidget):
    """The form; ``created(clinic, member)`` once the clinic exists and the administrator signed in.

    Signals:
        created(object, object): the open ``Clinic`` and the signed-in ``StaffAccount``.
        back_requested: staff chose Back (to the three paths).
    """

    created = Signal(object, object)
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newClinicForm")
        self.setAccessibleName(TITLE)
        self.setAccessibleDescription(INTRO)
        self._busy = False
        heading = QLabel(TITLE, self)
        heading.setObjectName("newClinicTitle")
        heading.setProperty("role", "portalCaption")
        intro = QLabel(INTRO, self)
        intro.setProperty("role", "muted")
        intro.setWordWrap(True)

        self.clinic_name = line_edit(self, "clinicNameEdit", "Clinic name")
        self.sender_address = line_edit(self, "senderAddressEdit", "Sender address")
        self.sender_address.setPlaceholderText("portal@yourclinic.org")
        self.portal_url = line_edit(self, "portalUrlEdit", "Portal address")
        self.portal_url.setPlaceholderText("https://portal.yourclinic.org")
        clinic_form = QFormLayout()
        for field, words in (
            (self.clinic_name, "Clinic n&ame"),
            (self.sender_address, "&Sender address (portal emails come from it)"),
            (self.portal_url, "P&ortal address (the links in emails)"),
        ):
            clinic_form.addRow(caption(self, words, field), field)
        admin_heading = QLabel("The first administrator", self)
        admin_heading.setProperty("role", "portalCaption")
        self.administrator = AdministratorFields(self)
        self.message = message_line(self, "newClinicMessage")
        self.back_button = button(self, "newClinicBackButton", "&Back", "Back to the three ways to start")
        self.create_button = button(
            self, "createClinicButton", "C&reate the clinic", "Create it and sign in as its administrator"
        )
        self.create_button.setAutoDefault(True)
        self.create_button.setDefault(True)  # drawn as the main button
        self.back_button.setAutoDefault(True)
        self.create_button.clicked.connect(self.create_clinic)
        self.back_button.clicked.connect(self.back_requested)
        for field in (*self.clinic_fields(), *self.administrator.fields()):
            field.returnPressed.connect(self.create_clinic)

        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        column = QVBoxLayout(self)
        column.setSpacing(8)
        column.addWidget(heading)
        column.addWidget(intro)
        column.addLayout(clinic_form)
        column.addSpacing(6)
        column.addWidget(admin_heading)
        column.addWidget(self.administrator)
        column.addWidget(self.message)
        column.addLayout(buttons)
        column.addStretch(1)

    def clinic_fields(self) -> tuple[QLineEdit, ...]:
        """The clinic's own fields, in typing order."""
        return (self.clinic_name, self.sender_address, self.portal_url)

    @property
    def busy(self) -> bool:
        """True while the clinic is being created."""
        return self._busy

    def start(self) -> None:
        """Show the form with the cursor in the clinic's name."""
        say(self.message, "")
        self.clinic_name.setFocus(Qt.FocusReason.OtherFocusReason)

    def values(self) -> dict[str, str]:
        """What was typed, as ``building.create_local_clinic`` takes it."""
        return {
            "clinic_name": self.clinic_name.text().strip(),
            "sender_address": self.sender_address.text().strip(),
            "portal_url": self.portal_url.text().strip(),
            **self.administrator.values(),
        }

    def create_clinic(self) -> None:
        """Create the clinic and its administrator on a worker."""
        if self._busy:
            return
        if not self.administrator.passwords_match():
            say(self.message, MISMATCH_WORDS)
            return
        from clinic_desk.ui.welcome.building import create_local_clinic

        values = self.values()
        self._set_busy(True)
        say(self.message, "Creating the clinic…", "info")
        run_in_background(
            lambda: create_local_clinic(values),
            self._on_created,
            self._on_create_failed,
            owner=self,
            name="create_clinic",
        )

    def _on_created(self, result: tuple[Any, Any]) -> None:
        self._set_busy(False)
        self.administrator.clear_passwords()
        say(self.message, "")
        clinic, member = result
        self.created.emit(clinic, member)

    def _on_create_failed(self, exc: Exception) -> None:
        self._set_busy(False)
        say(self.message, error_words(exc))
        field = getattr(exc, "field", None)
        own = dict(zip(("clinic_name", "sender_address", "portal_url"), self.clinic_fields(), strict=True))
        target = own.get(str(field)) or self.administrator.field_for(field) or self.clinic_name
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        target.selectAll()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.create_button.setEnabled(not busy)
        self.back_button.setEnabled(not busy)
        for field in self.clinic_fields():
            field.setReadOnly(busy)
        self.administrator.set_read_only(busy)
