"""The icon's explanation for the keyboard: the hover card's words in a popup that stays.

F1, Shift+F1 and the Why? button open it. Unlike a tooltip it does not vanish on the next key
or after a few seconds: it has the focus, scrolls with the arrow and page keys, and closes on
Esc, Tab or a click elsewhere. Ctrl+T (or Enter) closes it and asks for the troubleshooting panel.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QFrame, QLabel, QTextBrowser, QVBoxLayout, QWidget

from clinic_desk.ui.colors import ThemeColors
from clinic_desk.ui.own_style import follow_theme
from clinic_desk.ui.patient.status_text import TOOLTIP_WIDTH

FOOTER = "Esc closes this · Ctrl+T opens troubleshooting"
MAX_HEIGHT = 460
SCREEN_MARGIN = 8
_CLOSE_KEYS = (Qt.Key.Key_Escape, Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
_FIX_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
# The window's "Troubleshoot portal access" shortcut (DESIGN.md section 4).
FIX_KEYS = QKeySequence("Ctrl+T")


def _card_sheet(c: ThemeColors) -> str:
    return (
        f"QFrame#statusExplanation {{ background: {c.card_bg}; border: 1px solid {c.card_border}; }}"
        f"QLabel#statusExplanationKeys {{ color: {c.text_muted}; }}"
    )


class StatusExplanation(QFrame):
    """A popup card with the portal status in words, readable and closable from the keyboard.

    Signals:
        fix_requested: staff pressed Ctrl+T or Enter in the card (it has closed).
    """

    fix_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("statusExplanation")
        self.setAccessibleName("Why: the portal status in words")
        self.setFrameShape(QFrame.Shape.Box)
        follow_theme(self, _card_sheet)
        self.text = QTextBrowser(self)
        self.text.setObjectName("statusExplanationText")
        self.text.setAccessibleName("Why")
        self.text.setOpenLinks(False)
        self.text.setFrameShape(QFrame.Shape.NoFrame)
        self.text.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # No caret: the arrow and page keys scroll the words (screen readers read the whole text).
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.installEventFilter(self)
        self.keys = QLabel(FOOTER, self)
        self.keys.setObjectName("statusExplanationKeys")
        self.keys.setAccessibleName(FOOTER)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.keys)

    def plain_text(self) -> str:
        """What the card says, as plain text (screen readers and tests read this)."""
        return self.text.toPlainText()

    def set_html(self, html: str) -> None:
        """Change the words; the card keeps its place (a live update while it is open)."""
        self.text.setHtml(html)
        self.text.setAccessibleDescription(self.text.toPlainText())

    def show_beside(self, html: str, anchor: QWidget) -> None:
        """Show ``html`` below ``anchor`` (kept on its screen) and give the card the focus."""
        self.set_html(html)
        document = self.text.document()
        document.setTextWidth(TOOLTIP_WIDTH + 16)
        height = min(int(document.size().height()) + 8, MAX_HEIGHT)
        self.text.setFixedSize(TOOLTIP_WIDTH + 24, height)
        self.adjustSize()
        self.move(self._place(anchor))
        self.show()
        self.raise_()
        self.activateWindow()
        self.text.setFocus(Qt.FocusReason.PopupFocusReason)

    def _place(self, anchor: QWidget) -> QPoint:
        below = anchor.mapToGlobal(QPoint(0, anchor.height() + 4))
        screen = anchor.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return below
        room = screen.availableGeometry().adjusted(
            SCREEN_MARGIN, SCREEN_MARGIN, -SCREEN_MARGIN, -SCREEN_MARGIN
        )
        x = max(room.left(), min(below.x(), room.right() - self.width()))
        y = below.y()
        if y + self.height() > room.bottom():  # no room below: above the anchor instead
            y = max(room.top(), anchor.mapToGlobal(QPoint(0, 0)).y() - self.height() - 4)
        return QPoint(x, y)

    # -- keys --------------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.text and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._on_key(event)
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._on_key(event):
            super().keyPressEvent(event)

    def _on_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in _CLOSE_KEYS:
            self.close()
            return True
        if key in _FIX_KEYS or QKeySequence(event.keyCombination()) == FIX_KEYS:
            # The window's Ctrl+T cannot fire while a popup holds the keyboard: do its job here.
            self.close()
            self.fix_requested.emit()
            return True
        return False
