"""The panel's one feedback line: what just happened, pinned above the steps, heard by screen readers."""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from clinic_desk.ui.wizard.text import make_wrapping, set_role


class FeedbackLine(QLabel):
    """Says the result of the latest action (success, problem or progress) in one fixed place.

    It sits outside the panel's scroll area, so it is on screen whatever part of the plan
    is scrolled into view. Each new message becomes the label's accessible description and
    is announced (a Qt accessibility announcement) so screen readers say it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        make_wrapping(self)
        self.setObjectName("wizardFeedback")
        self.setAccessibleName("What just happened")
        self.setProperty("role", "muted")
        self.hide()

    def say(self, words: str, role: str = "muted") -> None:
        """Show ``words`` (nothing: hide the line) in the style of ``role`` and announce them."""
        self.setText(words)
        self.setAccessibleDescription(words)
        self.setVisible(bool(words))
        set_role(self, role)
        if words and QAccessible.isActive():  # only when a screen reader listens
            QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self, words))


class FeedbackBar(QWidget):
    """The strip above the panel's scroll area that holds the :class:`FeedbackLine` (hidden when quiet)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wizardFeedbackBar")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 2)
        self.line = FeedbackLine(self)
        layout.addWidget(self.line)
        self.hide()

    def say(self, words: str, role: str = "muted") -> None:
        """Show and announce ``words`` (nothing: hide the strip)."""
        self.line.say(words, role)
        self.setVisible(bool(words))
