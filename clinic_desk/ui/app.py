"""Start the desktop app: the QApplication, the style, the main window, the event loop."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtGui import QFont, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from clinic_desk.ui.colors import ACCENT
from clinic_desk.ui.icons import tinted_icon
from clinic_desk.ui.style import STYLESHEET
from clinic_desk.ui.tasks import wait_for_tasks

if TYPE_CHECKING:
    from clinic_desk import Clinic

APP_NAME = "Clinic Desk"
BASE_POINT_SIZE = 10


def ensure_app(argv: list[str] | None = None) -> QApplication:
    """The running QApplication, created and styled if there is none yet."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setApplicationName(APP_NAME)
        app.setOrganizationName(APP_NAME)
        app.setApplicationDisplayName(APP_NAME)
        QGuiApplication.setDesktopFileName("clinic-desk")
    assert isinstance(app, QApplication)
    style_app(app)
    return app


def style_app(app: QApplication) -> None:
    """Apply Clinic Desk's font size, icon and stylesheet."""
    font = QFont(app.font())
    if font.pointSizeF() < BASE_POINT_SIZE:
        font.setPointSizeF(BASE_POINT_SIZE)
        app.setFont(font)
    app.setWindowIcon(app_icon())
    app.setStyleSheet(STYLESHEET)


def app_icon() -> QIcon:
    """The application icon: the secure-message icon in the accent colour."""
    return tinted_icon("secure-message.svg", ACCENT, 32)


def run_gui(clinic: Clinic) -> int:
    """Show the main window for ``clinic`` and run the event loop; returns the exit code."""
    from clinic_desk.ui.main_window import MainWindow

    app = ensure_app()
    window = MainWindow(clinic)
    window.show()
    try:
        return app.exec()
    finally:
        window.session.stop()
        wait_for_tasks(5_000)
