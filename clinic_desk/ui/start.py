"""The start-up hand-over: the window shell gives its place, and what was typed, to the full window.

Also the start marks a benchmark reads: with ``CLINIC_DESK_START_MARKS`` set, the app prints
``clinic-desk mark painted <ns>`` when the shell is first painted and ``... usable <ns>``
when search works against the open clinic, or ``... welcome <ns>`` when the first start's
welcome screen shows instead (``time.time_ns()``; ``=quit`` then quits;
``=exit-when-painted`` ends the process at the first mark).
Only Qt and the standard library are imported here, so the shell's path stays light.
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLineEdit

    from clinic_desk.ui.main_window import MainWindow
    from clinic_desk.ui.shell import WindowShell

MARKS_ENV = "CLINIC_DESK_START_MARKS"
MARK_PREFIX = "clinic-desk mark"
# A screen that never paints the shell (minimised, say) must not hold the clinic back.
FIRST_PAINT_WAIT_MS = 1_000


def start_mark(name: str) -> None:
    """Print one start mark when a benchmark asked for them (no patient data, just a time)."""
    wanted = os.environ.get(MARKS_ENV)
    if not wanted:
        return
    print(f"{MARK_PREFIX} {name} {time.time_ns()}", flush=True)
    if name == "painted" and wanted == "exit-when-painted":
        os._exit(0)  # timing the first paint from outside; nothing is open yet (the worker starts after)
    if name == "usable" and wanted == "quit":
        QTimer.singleShot(0, QCoreApplication.quit)


def quit_at_marks() -> bool:
    """True when the start marks were asked with ``=quit`` (a loop of its own ends at its mark)."""
    return os.environ.get(MARKS_ENV) == "quit"


def wait_for_first_paint(shell: WindowShell) -> None:
    """Run the event loop until the shell has painted, so nothing else competes with that paint."""
    loop = QEventLoop()
    shell.painted.connect(loop.quit)
    QTimer.singleShot(FIRST_PAINT_WAIT_MS, loop.quit)
    loop.exec()
    shell.painted.disconnect(loop.quit)


def take_over(shell: WindowShell, window: MainWindow) -> None:
    """Put ``window`` where ``shell`` is, with the typed search text; the shell goes away.

    The text is searched once the window knows who works at it: in single-user mode at
    once (and Enter pressed in the shell opens what Enter would have opened); when staff
    must sign in, the sign-in clears it (patient names are not kept under it).
    """
    from PySide6.QtCore import Qt

    text, cursor = shell.typed()
    enter_pressed = shell.enter_pressed
    if shell.isVisible():
        window.restoreGeometry(shell.saveGeometry())
    field = window.search.field
    field.setText(text)
    field.setCursorPosition(cursor)
    window.show()
    window.activateWindow()
    field.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
    shell.hand_over(field)  # keys still on their way to the shell reach the new field
    shell.hide()
    shell.deleteLater()
    _when_settled(window, enter_for=text if enter_pressed else None)


def _when_settled(window: MainWindow, *, enter_for: str | None) -> None:
    from clinic_desk.ui.staff.staff_session import Mode

    session = window.staff_session

    def settled() -> None:
        if session.mode is Mode.CHECKING:
            return
        session.state_changed.disconnect(settled)
        field = window.search.field
        if session.mode is Mode.SINGLE_USER and field.text().strip():
            field.textEdited.emit(field.text())  # as if typed now: the search box searches it
            if enter_for is not None and field.text() == enter_for:  # nothing typed since
                _press_enter(field)
        start_mark("usable")

    session.state_changed.connect(settled)
    settled()


def _press_enter(field: QLineEdit) -> None:
    """Enter as staff pressed it in the shell: the search box opens what it would have opened."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QCoreApplication.sendEvent(
            field, QKeyEvent(kind, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r")
        )


def say_problem_and_quit(shell: WindowShell, words: str) -> None:
    """The ``--db`` database cannot be opened: say why over the shell (the command line says it too)."""
    from PySide6.QtWidgets import QMessageBox

    shell.say(words)
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        shell.windowTitle(),
        "Clinic Desk could not open the clinic database.",
        parent=shell,
    )
    box.setObjectName("openProblem")
    box.setInformativeText(words)
    box.addButton("&Quit", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    shell.close()
