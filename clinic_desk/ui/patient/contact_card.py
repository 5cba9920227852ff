"""Contact details beside the photo block, marking what the portal needs but is missing."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from clinic_desk.domain.chart import PatientChart
from clinic_desk.domain.email_idn import readable_email
from clinic_desk.ui.card import Card

MISSING_REQUIRED = "⚠ Missing — the portal needs it"
NOT_ON_FILE = "Not on file"


def _address_lines(chart: PatientChart) -> list[str]:
    lines = [line.strip() for line in (chart.address_line1, chart.address_line2) if line and line.strip()]
    place = ", ".join(part.strip() for part in (chart.city, chart.state) if part and part.strip())
    if place:
        lines.append(place)
    return lines


class ContactCard(Card):
    """Email, phone, address and ZIP code; email and ZIP are marked when missing.

    Signals:
        edit_requested: staff pressed "Edit…" to change the contact details.
    """

    edit_requested = Signal()

    FIELDS = (
        ("email", "Email", True),
        ("phone", "Phone", False),
        ("address", "Address", False),
        ("zip", "ZIP code", True),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("contactCard", "Contact details", parent)
        self.setAccessibleName("Contact details")
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(12)
        grid.setColumnStretch(1, 1)
        self.values: dict[str, QLabel] = {}
        for row, (key, title, _required) in enumerate(self.FIELDS):
            caption = QLabel(title, self)
            caption.setObjectName(f"{key}Caption")
            caption.setProperty("role", "fieldCaption")
            value = QLabel(self)
            value.setObjectName(f"contact{key.title()}")
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            caption.setBuddy(value)
            grid.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, 1, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            self.values[key] = value
        self.body.addLayout(grid)
        self.body.addStretch(1)
        self.edit_button = QPushButton("&Edit contact details…", self)
        self.edit_button.setObjectName("editContactButton")
        self.edit_button.setAccessibleName("Edit contact details")
        self.edit_button.setAccessibleDescription("Change email, phone, address and ZIP code")
        self.edit_button.clicked.connect(self.edit_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.edit_button)
        self.body.addLayout(buttons)

    def is_marked_missing(self, key: str) -> bool:
        """True when field ``key`` ("email", "zip"...) is shown as missing and required."""
        return bool(self.values[key].property("missing"))

    def show_chart(self, chart: PatientChart) -> None:
        """Fill the card from a chart."""
        address = _address_lines(chart)
        texts = {
            "email": readable_email((chart.email or "").strip()),
            "phone": (chart.phone or "").strip(),
            "address": "\n".join(address),
            "zip": (chart.zip_code or "").strip(),
        }
        for key, title, required in self.FIELDS:
            label = self.values[key]
            text = texts[key]
            missing = required and not text
            label.setText(text or (MISSING_REQUIRED if missing else NOT_ON_FILE))
            label.setProperty("missing", missing)
            label.setProperty("empty", not text and not missing)
            label.setAccessibleName(title)
            label.setAccessibleDescription(
                f"{title} missing, required for patient portal access"
                if missing
                else f"{title}: {text or NOT_ON_FILE}"
            )
            label.style().unpolish(label)
            label.style().polish(label)
