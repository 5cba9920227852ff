"""The window's Help menu, shared by what lives in it (About, the demo mailbox)."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QMenu


def help_menu(window: QMainWindow) -> QMenu:
    """The window's Help menu, added last in the menu bar when there is none yet.

    It has no Alt+letter: the troubleshooting panel's buttons already use Alt+H
    ("C&heck", "S&how again", "Use a place&holder…"), and a menu taking it would make
    those keys ambiguous, so that they do nothing. The menu is reached with the mouse or
    from another menu with the arrow keys.
    """
    bar = window.menuBar()
    for action in bar.actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and menu.objectName() == "helpMenu":
            return menu
    menu = bar.addMenu("Help")
    menu.setObjectName("helpMenu")
    return menu
