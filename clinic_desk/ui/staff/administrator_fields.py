"""The first administrator's fields: full name, username, password twice (with the Caps Lock hint).

Shared by the single-user offer (:mod:`first_administrator`) and the welcome screen's
"Create a new clinic", so both ask the same way and say a mismatch in the same words.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLineEdit, QWidget

from clinic_desk.domain.validation import PASSWORD_MIN_LENGTH
from clinic_desk.ui.staff.caps_lock import CapsLockHint
from clinic_desk.ui.staff.form_parts import caption, line_edit

MISMATCH_WORDS = "The two passwords are different: type the same one twice."


class AdministratorFields(QWidget):
    """Four fields in a grid of two columns; :meth:`values` reads them, :meth:`field_for` finds one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstAdministratorForm")
        self.full_name = line_edit(self, "firstAdministratorFullName", "Full name")
        self.username = line_edit(self, "firstAdministratorUsername", "Username")
        self.password = line_edit(self, "firstAdministratorPassword", "Password", secret=True)
        self.again = line_edit(self, "firstAdministratorPasswordAgain", "Password again", secret=True)
        self.password.setPlaceholderText(f"At least {PASSWORD_MIN_LENGTH} characters")
        self.caps_hint = CapsLockHint([self.password, self.again], self)
        grid = QGridLayout(self)
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
            field.setMinimumWidth(90)  # the window may still be made small
            row, column = 2 * (index // 2), index % 2
            grid.addWidget(caption(self, words, field), row, column)
            grid.addWidget(field, row + 1, column)
            grid.setColumnStretch(column, 1)
        grid.addWidget(self.caps_hint, 4, 0, 1, 2)

    def fields(self) -> tuple[QLineEdit, ...]:
        """The four fields, in typing order."""
        return (self.full_name, self.username, self.password, self.again)

    def passwords_match(self) -> bool:
        """False (and the second password cleared, the cursor in it) when the two differ."""
        if self.password.text() == self.again.text():
            return True
        self.again.clear()
        self.again.setFocus(Qt.FocusReason.OtherFocusReason)
        return False

    def values(self) -> dict[str, str]:
        """full_name, username, password as typed (names trimmed)."""
        return {
            "full_name": self.full_name.text().strip(),
            "username": self.username.text().strip(),
            "password": self.password.text(),
        }

    def field_for(self, name: object) -> QLineEdit | None:
        """The field an error's ``field`` names, or None when it is not one of these."""
        return {"full_name": self.full_name, "username": self.username, "password": self.password}.get(
            str(name)
        )

    def clear_passwords(self) -> None:
        """Nothing secret stays typed once used."""
        self.password.clear()
        self.again.clear()

    def set_read_only(self, busy: bool) -> None:
        """Fields stay as typed while a worker uses them."""
        for field in self.fields():
            field.setReadOnly(busy)
