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
        app = QGuiApplication.instance()
        # None once stopped (or without a GUI application): nothing more is watched.
        self._app = app if isinstance(app, QGuiApplication) else None
        if self._app is not None:
            self._app.focusWindowChanged.connect(self._watch)
        self.watch_open_windows()

    def watch_open_windows(self) -> None:
        """Watch every window already open too (the main window, shown before it had the focus)."""
        if self._app is not None:
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
        app, self._app = self._app, None
        if app is not None:
            with contextlib.suppress(RuntimeError, TypeError):  # the application is going away
                app.focusWindowChanged.disconnect(self._watch)
        for window in self._windows:
            if Shiboken.isValid(window):
                window.removeEventFilter(self._watcher)
        self._windows.clear()
