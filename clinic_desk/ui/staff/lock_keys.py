"""Ctrl+L from the window's own dialogs too.

The Lock action's shortcut works while the main window is active; a dialog opened over
it (say, the contact editor) is a separate window that would swallow the key. This filter,
on each window that gets the focus (``window_input``), passes Ctrl+L typed in any of the
window's dialogs to the lock.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from clinic_desk.ui.staff.window_input import WindowInput


def belongs_to(window: QWidget, widget: QWidget) -> bool:
    """True when ``widget`` sits in a separate window (a dialog) that ``window`` owns."""
    top = widget.window()
    if top is window:
        return False
    parent = top.parentWidget()
    while parent is not None and parent is not window:
        parent = parent.parentWidget()
    return parent is window


def _widget_of(watched: QObject) -> QWidget | None:
    """The top-level widget a window-system window shows (the filter sits on windows)."""
    for top in QApplication.topLevelWidgets():
        if top.windowHandle() is watched:
            return top
    return None


class DialogLockKeys(QObject):
    """Calls ``lock()`` when the lock shortcut is pressed in one of ``window``'s dialogs."""

    def __init__(self, window: QWidget, shortcut: QKeySequence, lock: Callable[[], None]) -> None:
        super().__init__(window)
        self.setObjectName("dialogLockKeys")
        self._window = window
        self._shortcut = shortcut
        self._lock = lock
        self._windows = WindowInput(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        try:
            window, shortcut = self._window, self._shortcut
        except AttributeError:  # torn down around us (the window is being collected)
            return False
        if QKeySequence(event.keyCombination()) != shortcut:
            return False
        typed_in = _widget_of(watched)
        if typed_in is not None and belongs_to(window, typed_in):
            self._lock()
            return True
        return False

    def uninstall(self) -> None:
        """Take the filter off the windows."""
        self._windows.stop()
