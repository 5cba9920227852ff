"""The "Links and lockout" page: how long portal links work, and when accounts lock."""

from __future__ import annotations

from PySide6.QtWidgets import QSizePolicy, QSpinBox, QWidget

from clinic_desk.ui.settings.fields import LINK_FIELDS, LINKS_TAB, SettingsForm, new_form


class LinksPage(QWidget):
    """Invitation, reset and confirmation link lifetimes; lockout threshold and duration."""

    def __init__(self, fields: SettingsForm) -> None:
        super().__init__()
        self.setObjectName("linksPage")
        form = new_form(self)
        for field in LINK_FIELDS:
            spin = QSpinBox(self)
            spin.setRange(field.minimum, field.maximum)
            spin.setSuffix(field.suffix)
            spin.setMinimumWidth(170)
            spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            fields.add_field(form, self, LINKS_TAB, field.name, field.label, spin, field.help)
            fields.spins[field.name] = spin
