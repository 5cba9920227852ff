"""The welcome screen in the window shell's place, until one of its paths has a clinic to open.

Asked by :func:`clinic_desk.ui.app.start_gui` after the shell's first paint, only when
:func:`clinic_desk.places.is_first_start` (no saved connection, no ``--db``, no local clinic file).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QToolBar

from clinic_desk.ui.start import quit_at_marks, start_mark
from clinic_desk.ui.welcome.welcome_screen import Started, WelcomeScreen

if TYPE_CHECKING:
    from clinic_desk.ui.shell import WindowShell

NEW_CLINIC_HINT = (
    "This clinic has no patients yet. Bring them in with File ▸ Import patients… "
    "(a CSV or FHIR file), or add the first one with Ctrl+N (Patient ▸ New patient…)."
)


def welcome_at_start(shell: WindowShell) -> Started | None:
    """Show the welcome screen over ``shell`` and wait (in an event loop) for a path to finish.

    None when staff closed the window instead.
    """
    toolbars = shell.findChildren(QToolBar)
    for toolbar in toolbars:
        toolbar.hide()  # no search before there is a clinic to search
    screen = WelcomeScreen(shell)
    shell.setCentralWidget(screen)
    shell.statusBar().showMessage("No clinic on this computer yet")
    outcome: list[Started] = []
    loop = QEventLoop()

    def finish(started: Started) -> None:
        outcome.append(started)
        loop.quit()

    screen.started.connect(finish)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.lastWindowClosed.connect(loop.quit)
    screen.show_choices()

    def shown() -> None:  # the start marks (CLINIC_DESK_START_MARKS): "quit" ends the app here
        if screen.isVisible():
            start_mark("welcome")
            if quit_at_marks():
                loop.quit()

    QTimer.singleShot(0, screen, shown)
    loop.exec()
    app.lastWindowClosed.disconnect(loop.quit)
    if not outcome:
        return None
    for toolbar in toolbars:
        toolbar.show()
    return outcome[0]
