"""The patient's email provider's own steps to rescue the clinic's email from spam."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from clinic_desk.domain.whitelisting import WhitelistAdvice
from clinic_desk.ui.wizard.text import wrapped_label


class WhitelistStepsView(QWidget):
    """Numbered steps for the provider (Gmail, Outlook.com...), to read to the patient."""

    def __init__(self, advice: WhitelistAdvice, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wizardWhitelistSteps")
        self.setAccessibleName(f"Steps for {advice.provider_name}")
        self.setProperty("provider", advice.provider)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        title = QLabel(f"Steps for {advice.provider_name}", self)
        title.setObjectName("wizardWhitelistProvider")
        title.setProperty("role", "sectionTitle")
        title.setWordWrap(True)
        layout.addWidget(title)
        self.steps = wrapped_label(advice.as_text(), self, object_name="wizardWhitelistText", selectable=True)
        layout.addWidget(self.steps)
        self.setAccessibleDescription(advice.as_text())
