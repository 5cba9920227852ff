"""The "Clinic" page: the clinic's names and addresses, and where the email templates come from."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from clinic_desk.ui.settings.fields import (
    ADDRESS_LIST_FIELD,
    CLINIC_FIELDS,
    CLINIC_TAB,
    SettingsForm,
    error_label,
    new_form,
    status_label,
)


class ClinicPage(QWidget):
    """Clinic name, sender, whitelist domain, portal address, the placeholder domain and dummy
    addresses; the templates' state."""

    def __init__(self, fields: SettingsForm) -> None:
        super().__init__()
        self.setObjectName("clinicPage")
        form = new_form(self)
        for field in CLINIC_FIELDS:
            edit = QLineEdit(self)
            edit.setPlaceholderText(field.placeholder)
            fields.add_field(form, self, CLINIC_TAB, field.name, field.label, edit, field.help)
            fields.edits[field.name] = edit
        self._add_address_list(fields, form)
        self.templates_label = status_label(self, "Checking the email templates…", "templatesField")
        self.templates_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.templates_label.setAccessibleName("Email templates")
        error = error_label(self, "templates")
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addWidget(self.templates_label)
        box.addWidget(error)
        form.addRow(QLabel("Email templates", self), box)
        fields.register("templates", CLINIC_TAB, self.templates_label, error)

    def _add_address_list(self, fields: SettingsForm, form: QFormLayout) -> None:
        """The dummy addresses, under the placeholder domain: a few lines, Tab moves on."""
        field = ADDRESS_LIST_FIELD
        box = QPlainTextEdit(self)
        box.setPlaceholderText(field.placeholder)
        box.setTabChangesFocus(True)  # keyboard users leave it with Tab like any other field
        box.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        lines = QFontMetrics(box.font()).lineSpacing()
        box.setFixedHeight(lines * 4 + 2 * box.frameWidth() + 8)
        fields.add_field(form, self, CLINIC_TAB, field.name, field.label, box, field.help)
        fields.lists[field.name] = box
