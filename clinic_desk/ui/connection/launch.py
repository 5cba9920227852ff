"""How the window opens the connection dialog, and the restart that puts a new connection to use."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from clinic_desk.services.clinic import workstation
from clinic_desk.ui.connection.connection_dialog import ConnectionDialog

RESTART_EXIT_CODE = 0x5E57  # what app.exec() returns when staff chose "Restart now"
_started_with_db_option = False


def note_command_line_override(overridden: bool) -> None:
    """Remember whether this run was started with --db (then the saved choice waits for next time)."""
    global _started_with_db_option
    _started_with_db_option = overridden


def open_connection_dialog(window: QWidget, *, in_use: str = "") -> ConnectionDialog:
    """Show the dialog over ``window``; "Restart now" closes the window and restarts the app."""
    # A few hundred bytes of JSON in the user's config folder: no database, network or keyring here.
    current = workstation.load_connection()
    if not in_use:
        label = window.findChild(QLabel, "databaseLabel")
        in_use = label.text().removeprefix("Database: ") if label is not None else ""
    dialog = ConnectionDialog(
        current, window, overridden_by_command_line=_started_with_db_option, in_use=in_use
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def restart() -> None:
        window.close()
        QApplication.exit(RESTART_EXIT_CODE)

    dialog.restart_requested.connect(restart)
    dialog.open()
    return dialog
