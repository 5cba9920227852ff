"""One dry run or import on a worker: its progress reaches the GUI thread, Cancel reaches the worker."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from clinic_desk.ui.tasks import run_in_background

#: The services call progress per batch or row; the window hears at most this often (seconds).
PROGRESS_EVERY = 0.1

#: ``work(progress)`` runs the services' call with the given progress callback.
Work = Callable[[Callable[[int, "int | None"], bool]], Any]


class _ProgressRelay(QObject):
    """Carries progress from the worker to the GUI thread (a queued signal)."""

    progressed = Signal(int, object)


class ImportRun(QObject):
    """Runs ``work`` once on the worker pool; :meth:`cancel` makes its progress callback say stop.

    Signals:
        progressed(int, object): rows done and the total (None when the file's length is unknown).
        finished(object): the services' ``ImportReport``.
        failed(object): the exception the services raised.
    """

    progressed = Signal(int, object)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Work, parent: QObject | None = None, *, name: str = "patient_import") -> None:
        super().__init__(parent)
        self.setObjectName("importRun")
        self._work = work
        self._name = name
        self._stop = threading.Event()
        self._running = False
        # No parent: it outlives this object if the window goes first, and dies with the task.
        self._relay = _ProgressRelay()
        self._relay.progressed.connect(self.progressed)

    @property
    def running(self) -> bool:
        """True from :meth:`start` until the answer arrived."""
        return self._running

    @property
    def cancel_requested(self) -> bool:
        """True once :meth:`cancel` was called."""
        return self._stop.is_set()

    def start(self) -> None:
        """Begin on a worker thread."""
        stop, relay, work = self._stop, self._relay, self._work
        last = [0.0]

        def progress(done: int, total: int | None) -> bool:  # runs on the worker thread
            now = time.monotonic()
            if now - last[0] >= PROGRESS_EVERY or (total is not None and done >= total):
                last[0] = now
                relay.progressed.emit(done, total)
            return not stop.is_set()

        def run() -> Any:
            try:
                return work(progress)
            finally:
                relay.deleteLater()  # posted to the GUI thread: gone once its last signal is delivered

        self._running = True
        run_in_background(run, self._on_done, self._on_failed, owner=self, name=self._name)

    def cancel(self) -> None:
        """Ask the services to stop at their next progress call (what is committed stays)."""
        self._stop.set()

    def _on_done(self, report: Any) -> None:
        self._running = False
        self.finished.emit(report)

    def _on_failed(self, exc: Exception) -> None:
        self._running = False
        self.failed.emit(exc)
