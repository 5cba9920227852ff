"""DEMO, unmistakably: the title bar and a banner (``demoBanner``) on top of the demo clinic's window.

Whenever the open clinic is the demo (found by the demo mailbox menu's worker check, the
one marker the demo has), the title says DEMO and a black-on-yellow bar says it in words,
with the demo staff's sign-ins, so nobody types a real patient into it. A real clinic never
gets either: nothing happens until that check says "demo".
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QToolBar

from clinic_desk.ui.shell import APP_TITLE

DEMO_TITLE = f"{APP_TITLE} — DEMO (not real patients)"
# Black on yellow: about 15:1, the same in the light and the dark theme; the words say it too.
BANNER_SHEET = (
    "QLabel#demoBannerText { background: #ffd600; color: #000000; font-weight: bold; padding: 6px 16px; }"
)


def banner_words() -> str:
    """What the banner says: DEMO, that the patients are made up, and who can sign in."""
    from clinic_desk.demo import DEMO_STAFF

    sign_ins = "; ".join(f"{m.username} / {m.password} ({m.role.replace('_', ' ')})" for m in DEMO_STAFF)
    return f"DEMO clinic — made-up people, not real patients. Sign in as {sign_ins}."


class DemoBanner(QObject):
    """Marks ``window`` as the demo once ``found`` fires; ``bar`` is None before (and in a real clinic)."""

    def __init__(self, window: QMainWindow, found: Any) -> None:
        super().__init__(window)
        self.setObjectName("demoMarker")
        self._window = window
        self.bar: QToolBar | None = None
        found.connect(self.show_demo)

    def show_demo(self) -> None:
        """The DEMO title and the banner, below the search bar at the top of the window."""
        window = self._window
        window.setWindowTitle(DEMO_TITLE)
        window.setAccessibleName(DEMO_TITLE)
        if self.bar is not None:
            return
        bar = QToolBar("Demo", window)
        bar.setObjectName("demoBanner")
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.toggleViewAction().setEnabled(False)  # it cannot be hidden from the menu
        text = QLabel(banner_words(), bar)
        text.setObjectName("demoBannerText")
        text.setAccessibleName("DEMO clinic, not real patients")
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setWordWrap(True)
        text.setStyleSheet(BANNER_SHEET)
        bar.addWidget(text)
        bar.setStyleSheet("QToolBar#demoBanner { background: #ffd600; border: 0; padding: 0; }")
        window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.bar = bar


def install_demo_banner(window: QMainWindow, found: Any) -> DemoBanner:
    """The one line ``MainWindow.__init__`` needs, after the demo mailbox menu (its ``found``)."""
    return DemoBanner(window, found)
