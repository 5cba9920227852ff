"""A banner across the top of the dash when something went wrong, with a Retry button."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class ErrorBanner(QFrame):
    """Says what failed in plain words and offers to try again.

    Signals:
        retry_requested: staff pressed Retry.
    """

    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorBanner")
        self.setAccessibleName("Problem")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 10, 10)
        layout.setSpacing(12)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("errorBannerMessage")
        self.message_label.setWordWrap(True)
        self.retry_button = QPushButton("&Retry", self)
        self.retry_button.setObjectName("retryButton")
        self.retry_button.setAccessibleName("Retry")
        self.retry_button.setAccessibleDescription("Load the patient again")
        self.retry_button.clicked.connect(self.retry_requested)
        layout.addWidget(self.message_label, 1)
        layout.addWidget(self.retry_button)
        self.hide()

    def show_message(self, message: str) -> None:
        """Show the banner with ``message``."""
        self.message_label.setText(message)
        self.setAccessibleDescription(message)
        self.show()

    def message(self) -> str:
        """The words on the banner."""
        return self.message_label.text()
