"""The "Links and lockout" page: how long portal links work, when accounts lock, and staff sign-in."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QSizePolicy, QSpinBox, QWidget

from clinic_desk.ui.settings.fields import LINK_FIELDS, LINKS_TAB, STAFF_FIELDS, SettingsForm, new_form


class LinksPage(QWidget):
    """Invitation, reset and confirmation link lifetimes; lockout threshold and duration; then the
    staff sign-in's lockout and the idle lock."""

    def __init__(self, fields: SettingsForm) -> None:
        super().__init__()
        self.setObjectName("linksPage")
        form = new_form(self)
        for field in (*LINK_FIELDS, *STAFF_FIELDS):
            if field is STAFF_FIELDS[0]:
                heading = QLabel("Staff sign-in at the desks", self)
                heading.setObjectName("staffSignInHeading")
                heading.setStyleSheet("font-weight: 600; margin-top: 12px;")
                form.addRow(heading)
            spin = QSpinBox(self)
            spin.setRange(field.minimum, field.maximum)
            spin.setSuffix(field.suffix)
            spin.setMinimumWidth(170)
            spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            fields.add_field(form, self, LINKS_TAB, field.name, field.label, spin, field.help)
            fields.spins[field.name] = spin
