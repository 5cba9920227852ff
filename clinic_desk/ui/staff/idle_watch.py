"""Notices when nobody has touched the keyboard or mouse for a while (the idle lock).

An event filter on each window (``window_input``) marks each key press, click, wheel turn
and mouse move as activity; a timer (or a test) calls :meth:`IdleWatch.check`, which says
``went_idle`` once the quiet time reaches the limit. The clock is a callable returning
monotonic seconds, so tests move time instead of waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

from clinic_desk.ui.staff.window_input import WindowInput

MonotonicClock = Callable[[], float]

#: How often the timer looks (the lock comes at most this late).
CHECK_INTERVAL_MS = 15_000

ACTIVITY_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


class IdleWatch(QObject):
    """Says ``went_idle`` after ``limit_seconds()`` without input, while it is running.

    Signals:
        went_idle: the quiet time reached the limit (said once until there is activity again).
    """

    went_idle = Signal()

    def __init__(
        self,
        limit_seconds: Callable[[], float],
        parent: QObject | None = None,
        *,
        clock: MonotonicClock = time.monotonic,
        interval_ms: int = CHECK_INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("idleWatch")
        self._limit_seconds = limit_seconds
        self._clock = clock
        self._last_activity = clock()
        self._running = False
        self._said = False
        self.timer = QTimer(self)
        self.timer.setObjectName("idleCheckTimer")
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self._windows = WindowInput(self)

    @property
    def running(self) -> bool:
        """True while the watch may say ``went_idle``."""
        return self._running

    def idle_seconds(self) -> float:
        """Seconds since the last activity."""
        return max(0.0, self._clock() - self._last_activity)

    def start(self) -> None:
        """Start watching; the quiet time starts now."""
        self._windows.watch_open_windows()
        self.touch()
        self._running = True
        self.timer.start()

    def stop(self) -> None:
        """Stop watching (locked, signed out, window closing)."""
        self._running = False
        self.timer.stop()

    def touch(self) -> None:
        """Count now as activity."""
        self._last_activity = self._clock()
        self._said = False

    def check(self) -> bool:
        """Say ``went_idle`` when the quiet time reached the limit; True when it did now."""
        if not self._running or self._said:
            return False
        if self.idle_seconds() < self._limit_seconds():
            return False
        self._said = True
        self.went_idle.emit()
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY_EVENTS:
            try:
                self._last_activity = self._clock()
            except AttributeError:  # torn down around us (the window is being collected)
                return False
            self._said = False
        return False

    def uninstall(self) -> None:
        """Stop and take the event filter off the windows."""
        self.stop()
        self._windows.stop()
