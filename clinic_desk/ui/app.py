"""Start the desktop app: the QApplication, the style, the window shell, the clinic, the event loop.

Only Qt and the theme are imported before the first paint; SQLAlchemy, the services and
the rest of the window load on a worker while the shell already takes typing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QApplication

from clinic_desk.ui.colors import ACCENT
from clinic_desk.ui.theme import apply_theme

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon
    from sqlalchemy.engine import URL

    from clinic_desk import Clinic
    from clinic_desk.ui.shell import WindowShell
    from clinic_desk.ui.welcome.welcome_screen import Started


APP_NAME = "Clinic Desk"
BASE_POINT_SIZE = 10


def ensure_app(argv: list[str] | None = None, *, first_paint: bool = False) -> QApplication:
    """The running QApplication, created and styled if there is none yet.

    ``first_paint=True`` styles only what the window shell needs to paint at once (see
    :func:`style_app`); :func:`start_gui` styles it fully once the shell has painted.
    """
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setApplicationName(APP_NAME)
        app.setOrganizationName(APP_NAME)
        app.setApplicationDisplayName(APP_NAME)
        QGuiApplication.setDesktopFileName("clinic-desk")
    assert isinstance(app, QApplication)
    style_app(app, first_paint=first_paint)
    return app


def style_app(app: QApplication, *, first_paint: bool = False) -> None:
    """Apply Clinic Desk's font size, icon, and the light or dark theme the desktop asks for.

    ``first_paint=True`` leaves out the icon (it loads QtSvg) and the theme's slower parts.
    """
    font = QFont(app.font())
    if font.pointSizeF() < BASE_POINT_SIZE:
        font.setPointSizeF(BASE_POINT_SIZE)
        app.setFont(font)
    if not first_paint:
        app.setWindowIcon(app_icon())
    apply_theme(app, first_paint=first_paint)


def app_icon() -> QIcon:
    """The application icon: the secure-message icon in the accent colour."""
    from clinic_desk.ui.icons import tinted_icon  # QtSvg: loaded when the icon is wanted

    return tinted_icon("secure-message.svg", ACCENT, 32)


def run_gui(clinic: Clinic, shell: WindowShell | None = None, *, staff: Any = None, hint: str = "") -> int:
    """Show the main window for ``clinic`` and run the event loop; returns the exit code.

    The window shell appears at once with the search field focused (``shell``, from
    :func:`start_gui`; the window takes its place and what was typed); then (DESIGN.md
    section 5) a clinic with no staff runs in single-user mode with the offer to create
    the first administrator, and any other clinic shows the sign-in over the window.
    ``staff``: already signed in (the welcome screen's new administrator); ``hint``: the
    empty dash's words instead of the usual ones.
    """
    from PySide6.QtCore import QCoreApplication, QEvent

    from clinic_desk.ui.main_window import MainWindow
    from clinic_desk.ui.patient.patient_dash import EMPTY_TITLE
    from clinic_desk.ui.patient.patient_session import wait_for_listeners
    from clinic_desk.ui.start import take_over
    from clinic_desk.ui.tasks import wait_for_tasks

    app = ensure_app()
    window = MainWindow(clinic, staff=staff)
    if hint:
        window.dash.empty_page.show_state(EMPTY_TITLE, hint)
    if shell is None:
        window.show()
        window.focus_search()
    else:
        take_over(shell, window)
    try:
        return app.exec()
    finally:
        window.session.stop()
        wait_for_tasks(5_000)
        wait_for_listeners(2.0)
        # Delete the window now, while its Python side is whole (not in some later collection).
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def start_gui(url_override: URL | Callable[[], URL] | None = None) -> int:
    """Show the window shell, open the clinic behind it and run the window until staff quit.

    Reopens after "Restart now". With ``url_override`` (``--db``) that database is used and
    the saved connection is ignored. Otherwise the saved connection is used, or the local
    file; on a computer with neither (the first start) the welcome screen asks how to begin.

    Raises:
        ClinicDeskError: the ``--db`` database cannot be opened (the command line says why).
    """
    from clinic_desk.places import is_first_start
    from clinic_desk.ui.shell import WindowShell
    from clinic_desk.ui.start import start_mark, wait_for_first_paint

    app = ensure_app(first_paint=True)
    while True:
        shell = WindowShell()
        shell.painted.connect(lambda: start_mark("painted"))
        shell.show_at_start()
        wait_for_first_paint(shell)
        style_app(app)  # the rest of the theme; then SQLAlchemy and the clinic load on a worker
        shell.add_search_icon()
        started: Started | None = None
        if url_override is None and is_first_start():  # decided from files: the database layer is not loaded
            from clinic_desk.ui.welcome.first_start import NEW_CLINIC_HINT, welcome_at_start

            started = welcome_at_start(shell)
            if started is None:
                return 0  # the window was closed on the welcome screen
        if started is not None and started.clinic is not None:
            clinic, staff = started.clinic, started.staff
            hint = NEW_CLINIC_HINT if started.new_clinic else ""
        else:
            opened = open_clinic_at_startup(url_override, shell=shell)
            if opened is None:
                return 1
            clinic, staff, hint = opened, None, ""
        from clinic_desk.ui.connection.launch import RESTART_EXIT_CODE, note_command_line_override

        note_command_line_override(url_override is not None)
        try:
            code = run_gui(clinic, shell, staff=staff, hint=hint)
        finally:
            clinic.close()
        if code != RESTART_EXIT_CODE:
            return code


def _open_in_background(url_override: URL | Callable[[], URL] | None) -> Clinic:
    """Worker: read the saved connection and the keyring, then open (and upgrade) the clinic.

    The rest of the window is imported here too, so the GUI thread only builds it.
    """
    from clinic_desk.services.clinic import Clinic, workstation

    url = url_override() if callable(url_override) else url_override
    clinic = Clinic.open(url or workstation.startup_url())
    try:
        import clinic_desk.ui.main_window  # noqa: F401  (loaded off the GUI thread)
    except BaseException:
        clinic.close()
        raise
    return clinic


def _open_with_progress(
    url_override: URL | Callable[[], URL] | None, shell: WindowShell | None = None
) -> Clinic | Exception:
    """One try at opening the clinic on a worker while a "Connecting…" note shows.

    Over the window shell the note is the shell's own; otherwise a progress dialog.
    """
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QProgressDialog

    from clinic_desk.ui.tasks import run_in_background

    outcome: list[Clinic | Exception] = []
    loop = QEventLoop()
    progress: QProgressDialog | None = None
    if shell is None:
        progress = QProgressDialog("Connecting to the clinic database…", "", 0, 0)
        progress.setObjectName("connectingDialog")
        progress.setCancelButton(None)
        progress.setMinimumDuration(400)
        progress.setWindowTitle(APP_NAME)
    else:
        from clinic_desk.ui.shell import OPENING_WORDS

        shell.say(OPENING_WORDS)

    def answer(result: Clinic | Exception) -> None:
        outcome.append(result)
        loop.quit()

    run_in_background(lambda: _open_in_background(url_override), answer, answer, name="open_clinic")
    if not outcome:
        loop.exec()
    if progress is not None:
        progress.close()
        progress.deleteLater()
    return outcome[0]


def open_clinic_at_startup(
    url_override: URL | Callable[[], URL] | None = None, *, shell: WindowShell | None = None
) -> Clinic | None:
    """Open the clinic off the GUI thread; on failure offer the connection settings. None: staff quit."""
    from PySide6.QtWidgets import QMessageBox

    while True:
        result = _open_with_progress(url_override, shell)
        if not isinstance(result, Exception):
            return result
        from clinic_desk.services.clinic import workstation
        from clinic_desk.ui.connection.connection_dialog import ConnectionDialog
        from clinic_desk.ui.errors import error_words

        if url_override is not None:
            if shell is not None:
                from clinic_desk.ui.start import say_problem_and_quit

                say_problem_and_quit(shell, error_words(result))
            raise result
        if shell is not None:
            shell.say("Clinic Desk could not open the clinic database.")
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            APP_NAME,
            "Clinic Desk could not open the clinic database.",
            parent=shell,
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
        if shell is not None:
            shell.close()
        return None
