"""What hides when the window locks, and comes back (or is thrown away) when it unlocks.

Locking must take every patient detail off the screen: the dash, the troubleshooting
dock, tooltips, open menus, the search and its results, and the window's open dialogs.
Dialogs are hidden, not closed, so a half-typed contact edit is still there for the
same person; switching user closes them instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QMenu, QToolBar, QToolTip, QWidget

#: Actions that stay usable on the lock screen.
ALWAYS_ENABLED = frozenset({"quitAction"})


@dataclass
class _Hidden:
    """What the curtain hid, to show again."""

    dialogs: list[QWidget] = field(default_factory=list)
    bars: list[QWidget] = field(default_factory=list)
    actions: list[QAction] = field(default_factory=list)


def window_actions(window: QMainWindow) -> list[QAction]:
    """The window's own actions and everything in its menus (submenus too)."""
    seen: dict[int, QAction] = {}
    pending: list[QAction] = [*window.actions(), *window.menuBar().actions()]
    while pending:
        action = pending.pop()
        if id(action) in seen:
            continue
        seen[id(action)] = action
        menu = action.menu()
        if isinstance(menu, QMenu):
            pending.extend(menu.actions())
    return list(seen.values())


def open_dialogs(window: QWidget) -> list[QWidget]:
    """The window's visible separate windows (dialogs, message boxes, floating panels)."""
    found = []
    for widget in QApplication.topLevelWidgets():
        if widget is window or not widget.isVisible() or isinstance(widget, QMenu | QDockWidget):
            continue
        parent = widget.parentWidget()
        while parent is not None and parent is not window:
            parent = parent.parentWidget()
        if parent is window:
            found.append(widget)
    return found


# A bar with this property set to True stays in sight while the window is locked.
KEEP_OVER_LOCK = "keepOverLock"


class Curtain:
    """Hides what shows patient data on a window and remembers it.

    ``draw`` hides; ``lift`` shows it all again; ``discard`` closes the hidden dialogs
    (another person signs in: what the first had open is thrown away).
    """

    def __init__(self, window: QMainWindow) -> None:
        self._window = window
        self._hidden: _Hidden | None = None

    @property
    def drawn(self) -> bool:
        """True while things are hidden."""
        return self._hidden is not None

    def draw(self) -> None:
        """Hide the window's bars, docks, dialogs, tooltips and menus; disable its actions."""
        QToolTip.hideText()
        while (popup := QApplication.activePopupWidget()) is not None:
            popup.close()
        if self._hidden is not None:
            return
        window = self._window
        hidden = _Hidden()
        for dialog in open_dialogs(window):
            dialog.hide()
            hidden.dialogs.append(dialog)
        bars: list[QWidget] = [
            *window.findChildren(QToolBar, options=Qt.FindChildOption.FindDirectChildrenOnly),
            *window.findChildren(QDockWidget, options=Qt.FindChildOption.FindDirectChildrenOnly),
            window.menuBar(),
        ]
        for bar in bars:
            if bar.property(KEEP_OVER_LOCK):
                continue  # no patient data in it (the DEMO banner, which also says who can sign in)
            if not bar.isHidden():
                bar.hide()
                hidden.bars.append(bar)
        for action in window_actions(window):
            if action.isEnabled() and action.objectName() not in ALWAYS_ENABLED and not action.isSeparator():
                action.setEnabled(False)
                hidden.actions.append(action)
        window.statusBar().clearMessage()
        self._hidden = hidden

    def lift(self) -> None:
        """Show again what ``draw`` hid (dialogs discarded meanwhile stay gone)."""
        hidden, self._hidden = self._hidden, None
        if hidden is None:
            return
        for bar in hidden.bars:
            if shiboken6.isValid(bar):
                bar.show()
        for action in hidden.actions:
            if shiboken6.isValid(action):
                action.setEnabled(True)
        for dialog in hidden.dialogs:
            if shiboken6.isValid(dialog):
                dialog.show()
                dialog.raise_()
                dialog.activateWindow()

    def discard(self) -> None:
        """Close the dialogs that were hidden (their unsaved typing is dropped)."""
        if self._hidden is None:
            return
        dialogs, self._hidden.dialogs = self._hidden.dialogs, []
        for dialog in dialogs:
            if shiboken6.isValid(dialog):
                dialog.close()
