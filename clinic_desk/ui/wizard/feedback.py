"""The panel's one feedback line: what just happened, pinned above the steps, heard by screen readers."""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

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
        self.setProperty("role", "feedback")
        self.hide()

    def say(self, words: str, role: str = "muted") -> None:
        """Show ``words`` (nothing: hide the line) in the style of ``role`` and announce them."""
        self.setText(words)
        self.setAccessibleDescription(words)
        self.setVisible(bool(words))
        self.setProperty("outcome", role)
        set_role(self, "feedback")
        if words and QAccessible.isActive():  # only when a screen reader listens
            QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self, words))


class FeedbackBar(QWidget):
    """The strip above the panel's scroll area that holds the :class:`FeedbackLine` (hidden when quiet).

    The colour sits on a frame around the line, not on the line itself: a wrapping label's
    own padding is not counted in its height, and the second line would be cut.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wizardFeedbackBar")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 4)
        self.box = QFrame(self)
        self.box.setObjectName("wizardFeedbackBox")
        self.box.setProperty("role", "muted")
        inner = QVBoxLayout(self.box)
        inner.setContentsMargins(10, 6, 10, 6)
        self.line = FeedbackLine(self.box)
        inner.addWidget(self.line)
        outer.addWidget(self.box)
        self.hide()

    def say(self, words: str, role: str = "muted") -> None:
        """Show and announce ``words`` (nothing: hide the strip); ``role``: success, warning, error, muted."""
        if not words and self.isHidden() and not self.line.text():
            return  # quiet already (each patient opened says nothing here: no restyling for it)
        self.line.say(words, role)
        self.box.setProperty("role", role)
        style = self.box.style()
        style.unpolish(self.box)
        style.polish(self.box)
        self.setVisible(bool(words))
