"""DEMO, unmistakably: the title bar and a banner (``demoBanner``) on top of the demo clinic's window.

Whenever the open clinic is the demo (found by the demo mailbox menu's worker check, the
one marker the demo has), the title says DEMO and a black-on-yellow bar says it in words,
with the demo staff's sign-ins, so nobody types a real patient into it. A real clinic never
gets either: nothing happens until that check says "demo".
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QSizePolicy, QToolBar, QWidget

from clinic_desk.ui.shell import APP_TITLE
from clinic_desk.ui.staff.curtain import KEEP_OVER_LOCK

DEMO_TITLE = f"{APP_TITLE} — DEMO (not real patients)"
# Black on yellow: about 15:1, the same in the light and the dark theme; the words say it too.
BANNER_SHEET = (
    "QWidget#demoBannerBody { background: #ffd600; }"
    "QLabel { color: #000000; font-weight: bold; }"
    "QLabel#demoBannerWord { border: 3px solid #000000; padding: 0px 10px; font-size: 15pt; }"
)


def banner_words() -> str:
    """What the banner says: DEMO, that the patients are made up, and who can sign in."""
    from clinic_desk.demo import DEMO_STAFF

    sign_ins = "; ".join(f"{m.username} / {m.password} ({m.role.replace('_', ' ')})" for m in DEMO_STAFF)
    return f"Demo clinic: made-up people, not real patients. Sign in as {sign_ins}."


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
        bar.setProperty(KEEP_OVER_LOCK, True)  # the sign-in shows it too: it says who can sign in
        body = QWidget(bar)
        body.setObjectName("demoBannerBody")
        body.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        body.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        row = QHBoxLayout(body)
        row.setContentsMargins(16, 6, 16, 6)
        row.setSpacing(16)
        word = QLabel("DEMO", body)  # the word itself, large and boxed: not colour alone
        word.setObjectName("demoBannerWord")
        text = QLabel(banner_words(), body)
        text.setObjectName("demoBannerText")
        text.setAccessibleName("DEMO clinic, not real patients")
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setWordWrap(True)
        text.setMinimumWidth(560)  # a toolbar sizes a wrapped label for a narrow width: three lines at most
        text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        row.addWidget(word, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(text, 1)
        body.setStyleSheet(BANNER_SHEET)
        bar.addWidget(body)
        bar.setStyleSheet("QToolBar#demoBanner { background: #ffd600; border: 0; padding: 0; }")
        window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        bar.show()  # a child added to a shown window stays hidden until asked
        self.bar = bar


def install_demo_banner(window: QMainWindow, found: Any) -> DemoBanner:
    """The one line ``MainWindow.__init__`` needs, after the demo mailbox menu (its ``found``)."""
    return DemoBanner(window, found)
