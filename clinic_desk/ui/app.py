"""Start the desktop app: the QApplication, the style, the main window, the event loop."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QFont, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from clinic_desk.ui.colors import ACCENT
from clinic_desk.ui.icons import tinted_icon
from clinic_desk.ui.patient.patient_session import wait_for_listeners
from clinic_desk.ui.tasks import wait_for_tasks
from clinic_desk.ui.theme import apply_theme

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

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
    """Apply Clinic Desk's font size, icon, and the light or dark theme the desktop asks for."""
    font = QFont(app.font())
    if font.pointSizeF() < BASE_POINT_SIZE:
        font.setPointSizeF(BASE_POINT_SIZE)
        app.setFont(font)
    app.setWindowIcon(app_icon())
    apply_theme(app)


def app_icon() -> QIcon:
    """The application icon: the secure-message icon in the accent colour."""
    return tinted_icon("secure-message.svg", ACCENT, 32)


def run_gui(clinic: Clinic) -> int:
    """Show the main window for ``clinic`` and run the event loop; returns the exit code.

    The window shell appears at once with the search field focused; then (DESIGN.md
    section 5) a clinic with no staff runs in single-user mode with the offer to create
    the first administrator, and any other clinic shows the sign-in over the window.
    """
    from clinic_desk.ui.main_window import MainWindow

    app = ensure_app()
    window = MainWindow(clinic)
    window.show()
    window.focus_search()
    try:
        return app.exec()
    finally:
        window.session.stop()
        wait_for_tasks(5_000)
        wait_for_listeners(2.0)
        # Delete the window now, while its Python side is whole (not in some later collection).
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def start_gui(url_override: URL | None = None) -> int:
    """Open the clinic and run the window until staff quit; reopens after "Restart now".

    With ``url_override`` (``--db``) that database is used and the saved connection is
    ignored. Otherwise the saved connection is used; on the very first run there is none,
    and Clinic Desk starts on the local file without asking.

    Raises:
        ClinicDeskError: the ``--db`` database cannot be opened (the command line says why).
    """
    from clinic_desk.ui.connection.launch import RESTART_EXIT_CODE, note_command_line_override

    ensure_app()
    note_command_line_override(url_override is not None)
    while True:
        clinic = open_clinic_at_startup(url_override)
        if clinic is None:
            return 1
        try:
            code = run_gui(clinic)
        finally:
            clinic.close()
        if code != RESTART_EXIT_CODE:
            return code


def _open_in_background(url_override: URL | None) -> Clinic:
    """Worker: read the saved connection and the keyring, then open (and upgrade) the clinic."""
    from clinic_desk.services.clinic import Clinic, workstation

    return Clinic.open(url_override or workstation.startup_url())


def _open_with_progress(url_override: URL | None) -> Clinic | Exception:
    """One try at opening the clinic on a worker while a "Connecting…" note shows."""
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QProgressDialog

    from clinic_desk.ui.tasks import run_in_background

    outcome: list[Clinic | Exception] = []
    loop = QEventLoop()
    progress = QProgressDialog("Connecting to the clinic database…", "", 0, 0)
    progress.setObjectName("connectingDialog")
    progress.setCancelButton(None)
    progress.setMinimumDuration(400)
    progress.setWindowTitle(APP_NAME)

    def answer(result: Clinic | Exception) -> None:
        outcome.append(result)
        loop.quit()

    run_in_background(lambda: _open_in_background(url_override), answer, answer, name="open_clinic")
    if not outcome:
        loop.exec()
    progress.close()
    progress.deleteLater()
    return outcome[0]


def open_clinic_at_startup(url_override: URL | None = None) -> Clinic | None:
    """Open the clinic off the GUI thread; on failure offer the connection settings. None: staff quit."""
    from PySide6.QtWidgets import QMessageBox

    from clinic_desk.services.clinic import workstation
    from clinic_desk.ui.connection.connection_dialog import ConnectionDialog
    from clinic_desk.ui.errors import error_words

    while True:
        result = _open_with_progress(url_override)
        if not isinstance(result, Exception):
            return result
        if url_override is not None:
            raise result
        box = QMessageBox(
            QMessageBox.Icon.Warning, APP_NAME, "Clinic Desk could not open the clinic database."
        )
        box.setInformativeText(error_words(result))
        settings_button = box.addButton("Connection &settings…", QMessageBox.ButtonRole.ActionRole)
        retry_button = box.addButton("&Retry", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("&Quit", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        if clicked is retry_button:
            continue
        if clicked is settings_button:
            ConnectionDialog(workstation.load_connection()).exec()
            continue
        return None
