"""Run blocking work on a thread pool and hand the answer back to the GUI thread.

The same idea as Anki's ``run_in_background`` and Picard's ``run_task``: the
GUI thread never waits on the database. A function given to
:func:`run_in_background` runs on a worker thread and must not touch any
widget; its result (or the exception it raised) comes back to ``on_done``
(or ``on_error``) on the GUI thread through a queued signal.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

MAX_THREADS = 4


@dataclass
class _Pending:
    on_done: Callable[[Any], None]
    on_error: Callable[[Exception], None] | None
    owner: QObject | None
    name: str


class _Relay(QObject):
    """Carries a worker's answer across threads (lives on the GUI thread)."""

    finished = Signal(int, bool, object)


class _Task(QRunnable):
    def __init__(self, task_id: int, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._task_id = task_id
        self._fn = fn
        self._relay = relay

    def run(self) -> None:  # runs on a worker thread
        try:
            result, ok = self._fn(), True
        except Exception as exc:  # handed to on_error on the GUI thread
            result, ok = exc, False
        self._relay.finished.emit(self._task_id, ok, result)


class TaskManager(QObject):
    """Runs functions on its own QThreadPool and delivers their answers on the GUI thread.

    Signals:
        all_done: the last running task has delivered its answer.
    """

    all_done = Signal()

    def __init__(self, parent: QObject | None = None, *, max_threads: int = MAX_THREADS) -> None:
        super().__init__(parent)
        self.setObjectName("taskManager")
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._on_relay_finished)
        self._pending: dict[int, _Pending] = {}
        self._ids = itertools.count(1)

    @property
    def pending_count(self) -> int:
        """How many tasks have not delivered their answer yet."""
        return len(self._pending)

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None] | None = None,
        *,
        owner: QObject | None = None,
        name: str = "",
    ) -> int:
        """Run ``fn()`` on a worker; call ``on_done(result)`` or ``on_error(exc)`` on the GUI thread.

        Args:
            fn: The blocking work. Runs on a worker thread; never touches a widget.
            on_done: Gets the return value of ``fn``.
            on_error: Gets the exception ``fn`` raised; when None it is logged.
            owner: When given and deleted before the answer arrives, the answer is dropped.
            name: Shown in the log when the task fails.

        Returns:
            The task id.
        """
        task_id = next(self._ids)
        self._pending[task_id] = _Pending(on_done, on_error, owner, name or getattr(fn, "__name__", "task"))
        self._pool.start(_Task(task_id, fn, self._relay))
        return task_id

    def wait_for_done(self, timeout_ms: int = 10_000) -> bool:
        """Block until every task finished and delivered its answer; True when all did in time."""
        deadline = QDeadlineTimer(timeout_ms)
        while True:
            if not self._pool.waitForDone(max(0, int(deadline.remainingTime()))):
                return False
            QCoreApplication.sendPostedEvents(self._relay)
            QCoreApplication.sendPostedEvents(self)
            if not self._pending and self._pool.activeThreadCount() == 0:
                return True
            if deadline.hasExpired():
                return False

    @Slot(int, bool, object)
    def _on_relay_finished(self, task_id: int, ok: bool, payload: Any) -> None:
        pending = self._pending.pop(task_id, None)
        try:
            if pending is None:
                return
            if pending.owner is not None and not shiboken6.isValid(pending.owner):
                return
            if ok:
                pending.on_done(payload)
            elif pending.on_error is not None:
                pending.on_error(payload)
            else:
                log.error("Background task %s failed", pending.name, exc_info=payload)
        finally:
            if not self._pending:
                self.all_done.emit()


_manager: TaskManager | None = None


def task_manager() -> TaskManager:
    """The application's task manager (made on first use; needs a QApplication)."""
    global _manager
    if _manager is None or not shiboken6.isValid(_manager):
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("create the QApplication before running background tasks")
        _manager = TaskManager(app)
    return _manager


def run_in_background(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[Exception], None] | None = None,
    *,
    owner: QObject | None = None,
    name: str = "",
) -> int:
    """Run ``fn`` on the application's worker pool; see :meth:`TaskManager.run`."""
    return task_manager().run(fn, on_done, on_error, owner=owner, name=name)


def wait_for_tasks(timeout_ms: int = 10_000) -> bool:
    """Block until every background task finished and delivered its answer."""
    if _manager is None or not shiboken6.isValid(_manager):
        return True
    return _manager.wait_for_done(timeout_ms)
