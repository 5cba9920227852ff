"""A one-line label that gives up room first: it cuts its words in the middle when short of space."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QLabel, QWidget

#: Characters the label keeps room for however narrow it gets.
MINIMUM_CHARACTERS = 12


class ElidedLabel(QLabel):
    """A :class:`QLabel` that shows "Database: Local file /tmp/…/clinic.db" when narrow.

    The label's text stays whole (screen readers and tests read it; the owner puts it in
    the tooltip too); only the painting is cut, with :attr:`Qt.TextElideMode.ElideMiddle`
    so both the start and the file name stay in sight.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        least = self.fontMetrics().averageCharWidth() * MINIMUM_CHARACTERS
        margins = self.contentsMargins()
        return QSize(min(hint.width(), least + margins.left() + margins.right()), hint.height())

    def shown_text(self) -> str:
        """The words as painted: the whole text, or its middle cut to fit."""
        return self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideMiddle, self.contentsRect().width()
        )

    def is_elided(self) -> bool:
        """True when the label is too narrow for its whole text."""
        return self.shown_text() != self.text()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            self.contentsRect(),
            int(self.alignment()),
            self.palette(),
            self.isEnabled(),
            self.shown_text(),
            QPalette.ColorRole.WindowText,
        )
        painter.end()
