"""The temporary password, shown once after it was set, with Copy and Print."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from clinic_desk.ui.wizard.printing import PrintFunction, print_with_dialog
from clinic_desk.ui.wizard.text import set_role, wrapped_label


class PasswordSlip(QFrame):
    """Username and temporary password for the patient; gone for good once dismissed.

    Copying puts the password on the clipboard; dismissing (or :meth:`forget`) clears it from
    there again. Mnemonics avoid the menu bar's Alt+F, Alt+P, Alt+C and Alt+V.

    Signals:
        dismissed: staff gave the password to the patient and closed the slip.
        printed(bool): a print was tried; True when the page went to the printer.
    """

    dismissed = Signal()
    printed = Signal(bool)

    def __init__(
        self,
        patient_name: str,
        username: str,
        password: str,
        print_function: PrintFunction = print_with_dialog,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("temporaryPasswordSlip")
        self.setAccessibleName("Temporary password")
        self.setAccessibleDescription("Shown only once: copy or print it for the patient")
        self.print_function = print_function
        self._patient_name = patient_name
        self._username = username
        self._password = password
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(6)
        title = QLabel("Give these to the patient now", self)
        title.setProperty("role", "stepTitle")
        title.setWordWrap(True)
        layout.addWidget(title)
        self.username_label = wrapped_label(
            f"Username: {username}", self, object_name="temporaryUsername", selectable=True
        )
        layout.addWidget(self.username_label)
        caption = QLabel("&Temporary password", self)
        caption.setProperty("role", "detailLabel")
        layout.addWidget(caption)
        self.password_field = QLineEdit(password, self)
        self.password_field.setObjectName("temporaryPassword")
        self.password_field.setReadOnly(True)
        self.password_field.setAccessibleName("Temporary password")
        self.password_field.setAccessibleDescription("Read it out, copy it or print it; shown only once")
        caption.setBuddy(self.password_field)
        layout.addWidget(self.password_field)
        layout.addWidget(
            wrapped_label(
                "Shown only once: it cannot be looked up later. The patient must choose their own "
                "password at first login.",
                self,
                role="warning",
            )
        )
        row = QHBoxLayout()
        row.setSpacing(8)
        self.copy_button = self._button("Cop&y", "copyPasswordButton", "Copy the password to the clipboard")
        self.print_button = self._button("P&rint…", "printPasswordButton", "Print the username and password")
        self.done_button = self._button(
            "&Done", "dismissPasswordButton", "The patient has the password: hide it for good"
        )
        for button in (self.copy_button, self.done_button, self.print_button):  # Tab: Copy, then Done
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.feedback = wrapped_label("", self, object_name="temporaryPasswordFeedback", role="muted")
        self.feedback.hide()
        layout.addWidget(self.feedback)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.done_button.clicked.connect(self._on_done_button_clicked)

    def _button(self, text: str, name: str, description: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.setAccessibleDescription(description)
        button.setToolTip(description)
        button.setAutoDefault(True)
        return button

    @property
    def password(self) -> str:
        """The temporary password on the slip."""
        return self._password

    def slip_text(self) -> str:
        """What gets printed."""
        return (
            f"Patient: {self._patient_name}\nUsername: {self._username}\n"
            f"Temporary password: {self._password}\n"
            "You will be asked to choose your own password when you first log in."
        )

    def _say(self, words: str, role: str = "muted") -> None:
        self.feedback.setText(words)
        set_role(self.feedback, role)
        self.feedback.show()

    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self._password)
        self._say("Copied. Paste it where the patient needs it; Done clears the clipboard.")

    def _on_print_button_clicked(self) -> None:
        ok = bool(self.print_function(self, "Patient portal login", self.slip_text()))
        self._say("Sent to the printer." if ok else "Not printed.", "muted" if ok else "warning")
        self.printed.emit(ok)

    def forget(self) -> None:
        """Wipe the password from the slip and from the clipboard (when it is still there)."""
        clipboard = QGuiApplication.clipboard()
        if self._password and clipboard.text() == self._password:
            clipboard.clear()
        self._password = ""
        self.password_field.clear()

    def _on_done_button_clicked(self) -> None:
        self.forget()
        self.dismissed.emit()
