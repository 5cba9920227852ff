"""Add a staff member (``addStaffForm``): full name, username, role, password twice.

The line above the Add button says exactly what Add will do; the call runs on a worker
and a refusal is shown under the field it is about. The services check everything again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.domain.roles import FRONT_DESK, ROLES, role_label, role_scope
from clinic_desk.ui.errors import error_words
from clinic_desk.ui.intentions import Intentions
from clinic_desk.ui.own_style import follow_theme, message_sheet, muted_sheet
from clinic_desk.ui.tasks import run_in_background

if TYPE_CHECKING:
    from clinic_desk import Clinic


def role_combo(parent: QWidget, name: str) -> QComboBox:
    """The three roles in plain words (the stored code is each item's data)."""
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.setAccessibleName("Role")
    for role in ROLES:
        combo.addItem(role_label(role), role)
    return combo


class AddStaffDialog(QDialog):
    """The form that adds one staff account, as whoever is signed in at the window.

    Signals:
        added(object): the new ``StaffAccount``.
        failed(str): the services refused; the words shown.
    """

    added = Signal(object)
    failed = Signal(str)

    def __init__(self, clinic: Clinic, parent: QWidget | None = None, *, actor: Callable[[], str]) -> None:
        super().__init__(parent)
        self.setObjectName("addStaffForm")
        self.setWindowTitle("Add a staff member")
        self.setAccessibleName("Add a staff member")
        self._clinic = clinic
        self.actor = actor
        self._intentions = Intentions()
        self._busy = False
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.full_name_edit = self._edit("fullNameField", "Full name", "Maria Lopez")
        self.username_edit = self._edit("usernameField", "Username", "mlopez")
        self.role_combo = role_combo(self, "roleField")
        self.role_combo.setCurrentIndex(self.role_combo.findData(FRONT_DESK))
        self.password_edit = self._edit("passwordField", "Password", "")
        self.again_edit = self._edit("passwordAgainField", "Password again", "")
        for edit in (self.password_edit, self.again_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.errors: dict[str, QLabel] = {}
        rows = (
            ("&Full name", "full_name", self.full_name_edit),
            ("&Username", "username", self.username_edit),
            ("&Role", "role", self.role_combo),
            ("&Password", "password", self.password_edit),
            ("Password a&gain", "password_again", self.again_edit),
        )
        for caption, name, widget in rows:
            label = QLabel(caption, self)
            label.setBuddy(widget)
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(widget)
            error = QLabel(self)
            error.setObjectName(f"{name}Error")
            error.setWordWrap(True)
            error.setTextFormat(Qt.TextFormat.PlainText)
            follow_theme(error, message_sheet("error"))
            error.hide()
            box.addWidget(error)
            self.errors[name] = error
            form.addRow(label, box)
        self.summary = QLabel(self)
        self.summary.setObjectName("addStaffSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        follow_theme(self.summary, muted_sheet)
        self.message = QLabel(self)
        self.message.setObjectName("addStaffMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        follow_theme(self.message, message_sheet("error"))
        self.message.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.add_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.add_button.setObjectName("addStaffButton")
        self.add_button.setText("&Add staff member")
        self.add_button.setAccessibleName("Add staff member")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setObjectName("addStaffCancel")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        for edit in (self.full_name_edit, self.username_edit):
            edit.textChanged.connect(self._update_summary)
        self.role_combo.currentIndexChanged.connect(self._update_summary)
        self._update_summary()
        self.resize(460, self.sizeHint().height())

    def _edit(self, name: str, caption: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setAccessibleName(caption)
        edit.setPlaceholderText(placeholder)
        return edit

    def _update_summary(self) -> None:
        name = self.full_name_edit.text().strip() or "The new staff member"
        username = self.username_edit.text().strip()
        role = str(self.role_combo.currentData())
        signs_in = f" signs in as “{username}”" if username else " signs in with the username above"
        self.summary.setText(
            f"{name}{signs_in} as {role_label(role)} (may {role_scope(role)}), with the password typed here, "
            "and must choose their own password at the first sign-in."
        )
        self.summary.setAccessibleDescription(self.summary.text())

    @property
    def busy(self) -> bool:
        """True while the account is being added."""
        return self._busy

    def fill(
        self, *, full_name: str, username: str, role: str, password: str, again: str | None = None
    ) -> None:
        """Type the form (tests and scripts)."""
        self.full_name_edit.setText(full_name)
        self.username_edit.setText(username)
        self.role_combo.setCurrentIndex(self.role_combo.findData(role))
        self.password_edit.setText(password)
        self.again_edit.setText(password if again is None else again)

    def error_text(self, name: str) -> str:
        """The problem under field ``name`` ('' when none)."""
        label = self.errors.get(name)
        if label is None:
            return self.message.text() if not self.message.isHidden() else ""
        return label.text() if not label.isHidden() else ""

    def submit(self) -> None:
        """Check the passwords match, then add the account on a worker."""
        if self._busy:
            return
        for label in (*self.errors.values(), self.message):
            label.hide()
        password = self.password_edit.text()
        if password != self.again_edit.text():
            self._show_error("password_again", "The two passwords are not the same: type them again.")
            return
        values = {
            "full_name": self.full_name_edit.text(),
            "username": self.username_edit.text(),
            "role": str(self.role_combo.currentData()),
            "password": password,
        }
        request_id, sent = self._intentions.begin(tuple(sorted(values.items())), values)
        admin, actor = self._clinic.admin, self.actor()
        self._set_busy(True)
        run_in_background(
            lambda: admin.add_staff(
                full_name=sent["full_name"],
                username=sent["username"],
                role=sent["role"],
                password=sent["password"],
                actor=actor,
                request_id=request_id,
            ),
            self._on_added,
            self._on_failed,
            owner=self,
            name="add_staff",
        )

    def _on_added(self, member: Any) -> None:
        self._intentions.settle()
        self._set_busy(False)
        self.password_edit.clear()
        self.again_edit.clear()
        self.added.emit(member)
        self.accept()

    def _on_failed(self, exc: Exception) -> None:
        self._intentions.settle(exc)
        self._set_busy(False)
        words = error_words(exc)
        field = exc.field if isinstance(exc, ClinicDeskError) else None
        self._show_error(field or "", words)
        self.failed.emit(words)

    def _show_error(self, name: str, words: str) -> None:
        label = self.errors.get(name)
        if label is None:
            self.message.setText(words)
            self.message.show()
            return
        label.setText(words)
        label.show()
        widget = {
            "full_name": self.full_name_edit,
            "username": self.username_edit,
            "role": self.role_combo,
            "password": self.password_edit,
            "password_again": self.again_edit,
        }[name]
        widget.setAccessibleDescription(words)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.add_button.setEnabled(not busy)
        self.add_button.setText("Adding…" if busy else "&Add staff member")

    def reject(self) -> None:
        """Cancel/Escape: close without adding (not while the account is being added)."""
        if not self._busy:
            super().reject()
