"""When the clinic server goes away: say so in a banner, retry in the background, resume by itself.

:class:`OutageMonitor` hears about lost connections from the clinic itself (any
action on any worker that hits a dropped server) and from callers who got a
``DatabaseUnavailable``. While the server is away it tries one cheap round trip
with exponential backoff (0.5 s, 1 s, 2 s ... capped at 10 s); the first one that
answers ends the outage, and everything that listens reloads.
"""

from __future__ import annotations

import contextlib
import logging
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from clinic_desk import DatabaseBusy, DatabaseUnavailable, ServerFull
from clinic_desk.ui.colors import ThemeColors
from clinic_desk.ui.own_style import follow_theme
from clinic_desk.ui.tasks import run_in_background

if TYPE_CHECKING:
    from clinic_desk import Clinic

log = logging.getLogger(__name__)

FIRST_RETRY_MS = 500
MAX_RETRY_MS = 10_000
UNREACHABLE_WORDS = (
    "The clinic database server cannot be reached. Anything you were saving when it went away "
    "was not saved (nothing is saved half-way)."
)

SERVER_FULL_WORDS = (
    "The clinic database server has no free connection right now (too many desks and workers are "
    "connected). Nothing was saved half-way."
)


def is_unreachable(exc: BaseException) -> bool:
    """True when an error means the server is away (not that the input was wrong).

    Another workstation saving (``DatabaseBusy``) is not an outage: the form says so and
    offers the retry itself.
    """
    if isinstance(exc, DatabaseBusy):
        return False
    return isinstance(exc, DatabaseUnavailable | ConnectionError | TimeoutError)


class _Relay(QObject):
    """Carries "the server was lost" from any worker thread to the GUI thread."""

    disconnected = Signal()


class OutageMonitor(QObject):
    """Knows whether the clinic server answers; retries with backoff while it does not.

    Signals:
        outage_started(str): the server stopped answering; the words say so.
        outage_ended: the server answers again (reload what is on screen).
        retry_scheduled(int): the next try is in this many milliseconds.
        retrying: a try is running now.
    """

    outage_started = Signal(str)
    outage_ended = Signal()
    retry_scheduled = Signal(int)
    retrying = Signal()

    def __init__(
        self,
        clinic: Clinic,
        parent: QObject | None = None,
        *,
        first_retry_ms: int = FIRST_RETRY_MS,
        max_retry_ms: int = MAX_RETRY_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("outageMonitor")
        self._clinic = clinic
        self._first_retry_ms = first_retry_ms
        self._max_retry_ms = max_retry_ms
        self._delay_ms = first_retry_ms
        self._in_outage = False
        self._probing = False
        self._next_try_at = 0.0
        self.retry_delays: list[int] = []  # for the log and for tests: the backoff actually used
        self._timer = QTimer(self)
        self._timer.setObjectName("outageRetryTimer")
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._relay = _Relay(self)
        self._relay.disconnected.connect(self._on_relay_disconnected, Qt.ConnectionType.QueuedConnection)
        relay = self._relay

        def on_disconnect() -> None:  # runs on whichever thread saw the error
            with contextlib.suppress(RuntimeError):  # the window is gone
                relay.disconnected.emit()

        self._unwatch = clinic.live.watch_disconnects(on_disconnect)

    @property
    def in_outage(self) -> bool:
        """True while the server does not answer."""
        return self._in_outage

    def seconds_to_next_try(self) -> int:
        """Whole seconds until the next automatic try (0 while trying)."""
        if self._probing or not self._timer.isActive():
            return 0
        return max(0, round(self._next_try_at - time.monotonic()))

    def report(self, exc: BaseException | None = None) -> None:
        """Someone could not reach the server: start the outage (once) and retry in the background."""
        if exc is not None and not is_unreachable(exc):
            return
        if self._in_outage:
            return
        self._in_outage = True
        self._delay_ms = self._first_retry_ms
        self.retry_delays = []
        if isinstance(exc, ServerFull):
            # The server is there but has no free slot: its own words, the same back-off.
            log.warning("The clinic database server has no free connection")
            self.outage_started.emit(SERVER_FULL_WORDS)
        else:
            log.warning("The clinic database server stopped answering")
            self.outage_started.emit(UNREACHABLE_WORDS)
        self._schedule()

    def mark_reachable(self) -> None:
        """Something just talked to the server successfully: the outage (if any) is over."""
        if not self._in_outage:
            return
        self._in_outage = False
        self._timer.stop()
        log.warning("The clinic database server answers again")
        self.outage_ended.emit()

    def retry_now(self) -> None:
        """Try the server now instead of waiting (the banner's Try now button)."""
        if self._in_outage and not self._probing:
            self._timer.stop()
            self._probe()

    def stop(self) -> None:
        """Stop retrying and stop watching for lost connections (window closing)."""
        self._timer.stop()
        self._unwatch()

    # -- internals ---------------------------------------------------------------------------------
    def _schedule(self) -> None:
        delay = self._delay_ms
        self.retry_delays.append(delay)
        self._delay_ms = min(self._delay_ms * 2, self._max_retry_ms)
        self._next_try_at = time.monotonic() + delay / 1000
        self._timer.start(delay)
        self.retry_scheduled.emit(delay)

    def _on_relay_disconnected(self) -> None:
        self.report()

    def _on_timer_timeout(self) -> None:
        self._probe()

    def _probe(self) -> None:
        if self._probing:
            return
        self._probing = True
        self.retrying.emit()
        run_in_background(
            self._clinic.live.ping,
            self._on_probe_done,
            self._on_probe_failed,
            owner=self,
            name="server_probe",
        )

    def _on_probe_done(self, _result: object) -> None:
        self._probing = False
        self.mark_reachable()

    def _on_probe_failed(self, _exc: Exception) -> None:
        self._probing = False
        if self._in_outage:
            self._schedule()


def _banner_sheet(c: ThemeColors) -> str:
    return (
        f"#outageBanner {{ background: {c.warning_bg}; border: 1px solid {c.warning_border}; "
        "border-radius: 6px; }"
        f"#outageBannerMessage {{ color: {c.warning_text}; }}"
    )


class OutageBanner(QFrame):
    """A banner that says the server cannot be reached and counts down to the next try."""

    def __init__(self, monitor: OutageMonitor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outageBanner")
        self.setAccessibleName("Server unreachable")
        self.setProperty("role", "warning")
        self._monitor = monitor
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 10, 10)
        layout.setSpacing(12)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("outageBannerMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.try_button = QPushButton("Try &now", self)
        self.try_button.setObjectName("outageTryNowButton")
        self.try_button.setAccessibleName("Try now")
        self.try_button.setAccessibleDescription("Try to reach the clinic database server now")
        self.try_button.clicked.connect(monitor.retry_now)
        layout.addWidget(self.message_label, 1)
        layout.addWidget(self.try_button)
        self._words = UNREACHABLE_WORDS
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._refresh)
        monitor.outage_started.connect(self._on_monitor_outage_started)
        monitor.outage_ended.connect(self._on_monitor_outage_ended)
        monitor.retry_scheduled.connect(self._on_monitor_retry_scheduled)
        monitor.retrying.connect(self._on_monitor_retrying)
        follow_theme(self, _banner_sheet)
        self.hide()

    def message(self) -> str:
        """The words on the banner."""
        return self.message_label.text()

    def _on_monitor_outage_started(self, words: str) -> None:
        self._words = words
        self._refresh()
        self.show()
        self._countdown.start()

    def _on_monitor_outage_ended(self) -> None:
        self._countdown.stop()
        self.hide()

    def _on_monitor_retry_scheduled(self, _delay_ms: int) -> None:
        self._refresh()

    def _on_monitor_retrying(self) -> None:
        self.message_label.setText(f"{self._words} Trying to reach it now…")

    def _refresh(self) -> None:
        seconds = self._monitor.seconds_to_next_try()
        tail = f"Trying again in {seconds} s." if seconds else "Trying again now…"
        text = f"{self._words} {tail} Clinic Desk carries on by itself when the server is back."
        self.message_label.setText(text)
        self.setAccessibleDescription(text)
