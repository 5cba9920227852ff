"""The "Email server" page: the SMTP server, its password (kept in the keyring) and a test email."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.settings_rules import NUMBER_RANGES
from clinic_desk.ui.own_style import follow_theme, message_sheet, no_sheet
from clinic_desk.ui.settings.fields import (
    SECURITY_LABELS,
    SERVER_TAB,
    SERVER_TEXT_FIELDS,
    SettingsForm,
    new_form,
    status_label,
)


class ServerPage(QWidget):
    """Server, port, security, user name, password and the password store's state; the test email."""

    def __init__(self, fields: SettingsForm) -> None:
        super().__init__()
        self.setObjectName("serverPage")
        form = new_form(self)
        host_field, user_field = SERVER_TEXT_FIELDS
        host = QLineEdit(self)
        host.setPlaceholderText(host_field.placeholder)
        fields.add_field(form, self, SERVER_TAB, "smtp_host", host_field.label, host, host_field.help)
        fields.edits["smtp_host"] = host
        self.port_spin = QSpinBox(self)
        ports = NUMBER_RANGES["smtp_port"]
        self.port_spin.setRange(ports.minimum, ports.maximum)
        self.port_spin.setMinimumWidth(120)
        self.port_spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        fields.add_field(form, self, SERVER_TAB, "smtp_port", "Por&t", self.port_spin, "")
        self.security_combo = QComboBox(self)
        self.security_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.security_combo.setMinimumContentsLength(18)
        for value, words in SECURITY_LABELS.items():
            self.security_combo.addItem(words, value)
        fields.add_field(
            form,
            self,
            SERVER_TAB,
            "smtp_security",
            "Sec&urity",
            self.security_combo,
            "Your email provider says which one to use.",
        )
        user = QLineEdit(self)
        user.setPlaceholderText(user_field.placeholder)
        fields.add_field(form, self, SERVER_TAB, "smtp_username", user_field.label, user, "")
        fields.edits["smtp_username"] = user
        self._add_password(fields, form)
        self._add_test_email(fields, form)

    def _add_password(self, fields: SettingsForm, form: QFormLayout) -> None:
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("Type to set or replace the password")
        fields.add_field(
            form,
            self,
            SERVER_TAB,
            "password",
            "Pass&word",
            self.password_edit,
            "Kept in this computer's password store (keyring), never in a file.",
        )
        self.keyring_label = status_label(self, "Checking the password store…", "keyringStatus")
        self.keyring_label.setAccessibleName("Password store")
        self.session_only_check = QCheckBox("Use for this session onl&y (asked again next time)", self)
        self.session_only_check.setObjectName("sessionOnlyCheck")
        self.session_only_check.setAccessibleName("Use the password for this session only")
        self.session_only_check.setAccessibleDescription(
            "The password is kept in memory until Clinic Desk closes, and never written anywhere"
        )
        self.session_only_check.hide()
        store_box = QVBoxLayout()
        store_box.setSpacing(4)
        store_box.addWidget(self.keyring_label)
        store_box.addWidget(self.session_only_check)
        form.addRow(QLabel("Password store", self), store_box)

    def _add_test_email(self, fields: SettingsForm, form: QFormLayout) -> None:
        rule = QFrame(self)
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setProperty("role", "rule")
        form.addRow(rule)
        self.test_to_edit = QLineEdit(self)
        self.test_to_edit.setObjectName("testEmailAddress")
        self.test_to_edit.setPlaceholderText("you@your-clinic.example")
        self.test_button = QPushButton("Send test emai&l", self)
        self.test_button.setObjectName("sendTestEmailButton")
        self.test_button.setAccessibleName("Send test email")
        self.test_button.setAccessibleDescription(
            "Send a short email with the settings as typed here, to the address beside it"
        )
        holder = QWidget(self)
        holder.setObjectName("testEmailRow")
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.test_to_edit, 1)
        row.addWidget(self.test_button)
        fields.add_field(
            form,
            self,
            SERVER_TAB,
            "to",
            "Test email add&ress",
            self.test_to_edit,
            "Uses the settings as typed above, even before you save them.",
            row=holder,
        )
        self.test_result = status_label(self, "", "testEmailResult")
        self.test_result.setAccessibleName("Test email result")
        self.test_result.hide()
        form.addRow("", self.test_result)

    def show_keyring(self, available: bool, message: str, stored: bool) -> None:
        """Say whether passwords can be kept here, and whether one is kept for this server and user."""
        if not available:
            self.keyring_label.setText(message)
            follow_theme(self.keyring_label, message_sheet("error", bold=False))
            self.session_only_check.show()
            self.session_only_check.setChecked(True)
        else:
            follow_theme(self.keyring_label, no_sheet)
            stored_words = (
                "A password for this server and user name is stored; leave the field empty to keep it."
                if stored
                else "No password is stored for this server and user name."
            )
            self.keyring_label.setText(f"{message} {stored_words}")
        if stored:
            self.password_edit.setPlaceholderText("Stored — type to replace")
        self.keyring_label.setAccessibleDescription(self.keyring_label.text())

    def show_test_result(self, words: str, ok: bool | None) -> None:
        """Show how the test email went: under way (None), sent (True) or not (False)."""
        mark = "" if ok is None else ("\u2714 " if ok else "\u2716 ")
        self.test_result.setText(mark + words)
        follow_theme(self.test_result, message_sheet("muted" if ok is None else ("ok" if ok else "error")))
        self.test_result.setAccessibleDescription(words)
        self.test_result.show()
