"""Watch the keys and the mouse where the window system delivers them: on each window.

An application-wide event filter written in Python runs for every event of every widget
(paints, layouts, timers: thousands per opened patient), and two of them cost about 5 ms
of each patient's first paint. Keys and clicks reach a top-level window (``QWindow``)
before its widgets, and a window gets few other events, so the idle lock and the dialogs'
Ctrl+L watch the windows instead: every window that has had the keyboard focus (the main
window, each dialog as it opens). Keys only ever go to the focused window.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication, QWindow
from shiboken6 import Shiboken


class WindowInput:
    """Installs ``watcher`` (a QObject with an ``eventFilter``) on the app's focused windows."""

    def __init__(self, watcher: QObject) -> None:
        self._watcher = watcher
        self._windows: list[QWindow] = []  # Python wrappers only: Qt owns the windows
        self._app = QGuiApplication.instance()
        self._listening = isinstance(self._app, QGuiApplication)
        if isinstance(self._app, QGuiApplication):
            self._app.focusWindowChanged.connect(self._watch)
        self.watch_open_windows()

    def watch_open_windows(self) -> None:
        """Watch every window already open too (the main window, shown before it had the focus)."""
        if isinstance(self._app, QGuiApplication):
            for window in self._app.topLevelWindows():
                self._watch(window)

    def _watch(self, window: QWindow | None) -> None:
        if window is None or window in self._windows:
            return
        self._windows = [seen for seen in self._windows if Shiboken.isValid(seen)]  # closed dialogs go
        window.installEventFilter(self._watcher)
        self._windows.append(window)

    def stop(self) -> None:
        """Take the watcher off every window (the app's main window is closing)."""
        if self._listening and isinstance(self._app, QGuiApplication):
            self._listening = False
            with contextlib.suppress(RuntimeError, TypeError):  # the application is going away
                self._app.focusWindowChanged.disconnect(self._watch)
        for window in self._windows:
            if Shiboken.isValid(window):
                window.removeEventFilter(self._watcher)
        self._windows.clear()
