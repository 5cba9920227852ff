"""The wizard's offer of an activation letter, beside setting a username and password by hand."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from clinic_desk.ui.wizard.text import wrapped_label

BUTTON_WORDS = "Print activation &letter…"  # Alt+L: free of the menu bar's F, P, C and V


class LetterOffer(QWidget):
    """The step's words about the letter and its button (``wizardActivationLetter``).

    Signals:
        letter_requested: staff chose to print an activation letter instead.
    """

    letter_requested = Signal()

    def __init__(self, words: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wizardLetterOffer")
        self.setAccessibleName("Activation letter")
        self.setAccessibleDescription(words)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.words = wrapped_label(words, self, object_name="wizardLetterWords")
        layout.addWidget(self.words)
        row = QHBoxLayout()
        self.button = QPushButton(BUTTON_WORDS, self)
        self.button.setObjectName("wizardActivationLetter")
        self.button.setAccessibleName("Print activation letter")
        self.button.setAccessibleDescription(words)
        self.button.setAutoDefault(True)
        self.button.clicked.connect(self.letter_requested)
        row.addWidget(self.button)
        row.addStretch(1)
        layout.addLayout(row)
