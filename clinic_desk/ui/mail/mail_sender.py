"""The in-app mail sender: delivers the outbox on a background thread while the window is open.

``clinic.mail.run_sender`` runs on one plain, long-lived
``threading.Thread``; never on the GUI thread. After every run that did something
or hit a problem it reports; the report and a fresh count of waiting emails cross
to the GUI thread through a queued signal, and become one line of words for the
status bar (:class:`OutboxStatus`).

Nothing is sent while no mail server is set up (the worker checks the settings on
every run). The SMTP password is read from the OS keyring by the worker thread,
never by the GUI thread.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal

from clinic_desk.domain.wording import plural
from clinic_desk.services.clinic import DeliveryReport, MailProblem
from clinic_desk.ui.tasks import run_in_background

if TYPE_CHECKING:
    from clinic_desk import Clinic

log = logging.getLogger(__name__)

THREAD_NAME = "clinic-desk-mail-sender"
POLL_SECONDS = 2.0
# The worker reports only when it did something; this also catches emails other
# workstations queued or sent while this one had nothing to do.
RECOUNT_MS = 30_000

ALL_SENT = "All emails sent"
NOT_SET_UP = "Email server not set up — emails wait in the outbox"


@dataclass(frozen=True)
class OutboxStatus:
    """What the status bar says about the outbox.

    ``state`` is "checking", "all_sent", "waiting", "not_set_up", "server_problem" or
    "database_problem"; ``pending`` is None while unknown.
    """

    state: str
    text: str
    tooltip: str
    pending: int | None

    @property
    def problem(self) -> bool:
        """True when emails cannot go out right now."""
        return self.state in ("not_set_up", "server_problem", "database_problem")


def describe_outbox(
    *, configured: bool, pending: int | None, problem: MailProblem | None, words: str = ""
) -> OutboxStatus:
    """The status-bar words for the outbox, from what the sender last saw.

    ``problem`` is the kind of the last report's problem and ``words`` its plain-words text.
    """
    waiting = plural(pending, "email") if pending is not None else "Emails"
    if not configured or problem is MailProblem.NO_SERVER:
        tip = (
            f"{waiting} waiting. " if pending else ""
        ) + "Enter the clinic's mail server in Clinic settings… to send portal emails."
        return OutboxStatus("not_set_up", NOT_SET_UP, tip, pending)
    if problem:
        count = f"{pending} waiting" if pending is not None else "emails waiting"
        if problem is MailProblem.DATABASE:
            return OutboxStatus(
                "database_problem",
                f"Clinic database unreachable — {count}",
                f"{words} Emails are sent when it is back.",
                pending,
            )
        return OutboxStatus(
            "server_problem",
            f"Email server unreachable — {count}",
            f"{words} Clinic Desk keeps trying; emails are sent when the server answers.",
            pending,
        )
    if pending is None:
        return OutboxStatus("checking", "Checking the outbox…", "Counting the emails waiting to send.", None)
    if pending == 0:
        return OutboxStatus("all_sent", ALL_SENT, "No portal email is waiting to be sent.", 0)
    return OutboxStatus(
        "waiting",
        f"{waiting} waiting to send",
        f"{waiting} will be sent in a moment (or at their next try, after a failure).",
        pending,
    )


class _StopOrWake(threading.Event):
    """A stop flag whose ``wait`` can also be cut short by ``wake`` (without stopping).

    ``run_forever`` polls with ``stop_event.wait(pause)``; waking it makes the next run
    start now, e.g. right after the settings were saved.
    """

    def __init__(self) -> None:
        super().__init__()
        self._condition = threading.Condition(threading.Lock())
        self._stopped = False
        self._woken = False

    def is_set(self) -> bool:
        with self._condition:
            return self._stopped

    def set(self) -> None:
        with self._condition:
            self._stopped = True
            self._condition.notify_all()

    def clear(self) -> None:
        with self._condition:
            self._stopped = False

    def wake(self) -> None:
        """End the current pause early; the worker runs again at once."""
        with self._condition:
            self._woken = True
            self._condition.notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        with self._condition:
            if not self._stopped and not self._woken:
                self._condition.wait(timeout)
            self._woken = False
            return self._stopped


class MailSender(QObject):
    """Runs the outbox worker on its own thread and says how the outbox stands.

    Signals:
        report_arrived(object): a :class:`DeliveryReport` from the worker (on the GUI thread).
        status_changed(object): the :class:`OutboxStatus` changed.
    """

    report_arrived = Signal(object)
    status_changed = Signal(object)
    # Emitted on the sender thread; delivered on the GUI thread (queued).
    _worker_reported = Signal(object, object)

    def __init__(
        self,
        clinic: Clinic,
        parent: QObject | None = None,
        *,
        poll_seconds: float = POLL_SECONDS,
        password_provider: Callable[[], str | None] | None = None,
        recount_ms: int = RECOUNT_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mailSender")
        self._clinic = clinic
        self._poll_seconds = poll_seconds
        self._password_provider = password_provider
        self._event = _StopOrWake()
        self._thread: threading.Thread | None = None
        self._pending: int | None = None
        self._problem: MailProblem | None = None
        self._problem_words = ""
        self._status = describe_outbox(configured=self._configured(), pending=None, problem=None)
        self._worker_reported.connect(self._on_worker_reported, Qt.ConnectionType.QueuedConnection)
        self._recount_timer = QTimer(self)
        self._recount_timer.setObjectName("outboxRecountTimer")
        self._recount_timer.setInterval(recount_ms)
        self._recount_timer.timeout.connect(self.recount)

    # -- state ---------------------------------------------------------------------------------
    @property
    def status(self) -> OutboxStatus:
        """What the outbox looks like, as last reported."""
        return self._status

    @property
    def running(self) -> bool:
        """True while the sender thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    @property
    def sender_thread(self) -> threading.Thread | None:
        """The sender thread (None before ``start`` and after a completed ``stop``)."""
        return self._thread

    # -- control -------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the sender thread (no-op while it runs and was not asked to stop)."""
        if self.running and not self._event.is_set():
            return
        # A thread still finishing after a stop request keeps its own stop flag and ends by itself.
        self._event = _StopOrWake()
        self._thread = threading.Thread(target=self._run, args=(self._event,), name=THREAD_NAME, daemon=True)
        self._thread.start()
        self._recount_timer.start()

    def wake(self) -> None:
        """Try the outbox now instead of at the next poll (after settings changed, "Send now")."""
        self._event.wake()

    def settings_changed(self) -> None:
        """The clinic settings were saved: forget the last problem, recount and try at once."""
        self._problem = None
        self._problem_words = ""
        self._publish()
        self.recount()
        self.wake()

    def request_stop(self) -> None:
        """Ask the thread to stop after its current run (does not wait)."""
        self._recount_timer.stop()
        self._event.set()

    def stop(self, timeout: float | None = 5.0) -> bool:
        """Stop the thread and wait up to ``timeout`` seconds; True when it ended.

        A thread still talking to a slow mail server after the timeout is left to end on
        its own (it is a daemon thread and stops at its next check).
        """
        self.request_stop()
        thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        if thread.is_alive():
            log.warning("mail sender still busy after %.1f s; it stops after its current email", timeout or 0)
            return False
        self._thread = None
        return True

    def recount(self) -> None:
        """Count the waiting emails again (on a worker thread)."""
        clinic = self._clinic
        run_in_background(
            clinic.mail.pending_count,
            self._on_recount_done,
            self._on_recount_failed,
            owner=self,
            name="outbox_pending_count",
        )

    # -- the sender thread ---------------------------------------------------------------------
    def _run(self, event: _StopOrWake) -> None:  # runs on the sender thread, never touches a widget
        self._relay(None)
        try:
            self._clinic.mail.run_sender(
                event,
                password_provider=self._password_provider,
                poll_seconds=self._poll_seconds,
                on_report=self._relay,
            )
        except Exception as error:  # run_forever survives failures; this guards the start-up only
            log.error("mail sender stopped (%s)", type(error).__name__)

    def _relay(self, report: DeliveryReport | None) -> None:  # sender thread
        try:
            pending: int | None = self._clinic.mail.pending_count()
        except Exception as error:  # the class name only: database errors can quote patient data
            log.warning("outbox count failed (%s)", type(error).__name__)
            pending = None
        if not shiboken6.isValid(self):
            return
        # RuntimeError: the window went away while this run finished.
        with contextlib.suppress(RuntimeError):
            self._worker_reported.emit(report, pending)

    # -- answers on the GUI thread ---------------------------------------------------------------
    def _on_worker_reported(self, report: DeliveryReport | None, pending: int | None) -> None:
        if pending is not None:
            self._pending = pending
        if report is not None:
            self._problem = report.problem_kind
            self._problem_words = report.problem or ""
            self.report_arrived.emit(report)
        self._publish()

    def _on_recount_done(self, pending: int) -> None:
        self._pending = int(pending)
        self._publish()

    def _on_recount_failed(self, exc: Exception) -> None:
        log.warning("outbox count failed (%s)", type(exc).__name__)

    def _configured(self) -> bool:
        return bool(self._clinic.settings.smtp_host.strip())

    def _publish(self) -> None:
        status = describe_outbox(
            configured=self._configured(),
            pending=self._pending,
            problem=self._problem,
            words=self._problem_words,
        )
        if status != self._status:
            self._status = status
            self.status_changed.emit(status)
