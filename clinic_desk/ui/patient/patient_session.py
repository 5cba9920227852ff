"""Loads the open patient off the GUI thread and keeps it fresh while it is open.

Freshness comes from the database's change feed (PostgreSQL LISTEN/NOTIFY, SQLite
``data_version``, MariaDB's newest audit id): a background thread waits on it, and
only when a batch touches the open patient does the session read the cheap change
stamp, and only when the stamp moved does it load the patient again. There are no
full reloads on a timer (a once-a-minute stamp check catches what time alone
changes: expired links, ended lockouts).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from clinic_desk.services.clinic import Changes, ChangeSource
from clinic_desk.ui.connection.outage import OutageMonitor, is_unreachable
from clinic_desk.ui.errors import error_words
from clinic_desk.ui.patient.status_model import PortalStatusModel
from clinic_desk.ui.patient_loader import PatientView, load_patient
from clinic_desk.ui.tasks import run_in_background

if TYPE_CHECKING:
    from clinic_desk import Clinic

log = logging.getLogger(__name__)

FEED_WAIT_SECONDS = 1.0
CLOCK_CHECK_MS = 60_000


class _FeedRelay(QObject):
    """Carries change batches from the listener thread to the GUI thread."""

    changes_arrived = Signal(object)


class ChangeListener:
    """A daemon thread that calls ``ChangeSource.wait(1.0)`` in a loop and relays what arrives.

    ``open_feed`` (``clinic.live.changes``) makes the feed on the listener thread. It never
    touches a widget; it stops within about a second of :meth:`stop` and closes its own feed
    connection on the way out.
    """

    def __init__(self, open_feed: Callable[[], ChangeSource]) -> None:
        self._open_feed = open_feed
        # No Qt parent: the thread owns the relay, so it outlives the window that listens to it.
        self.relay = _FeedRelay()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="clinic-desk-change-feed", daemon=True)

    def start(self) -> None:
        """Start listening."""
        self._thread.start()

    def stop(self) -> None:
        """Ask the loop to end (it finishes its current wait first); never blocks."""
        self._stop.set()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the thread to end; True when it did."""
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def running(self) -> bool:
        """True until stop() was called."""
        return not self._stop.is_set()

    def _run(self) -> None:
        feed = self._open_feed()
        try:
            while not self._stop.is_set():
                try:
                    changes = feed.wait(FEED_WAIT_SECONDS)
                except Exception:  # the feed says "everything" and tries again
                    log.debug("change feed failed", exc_info=True)
                    changes = Changes(everything=True)
                    self._stop.wait(FEED_WAIT_SECONDS)
                if changes and not self._stop.is_set():
                    try:
                        self.relay.changes_arrived.emit(changes)
                    except RuntimeError:  # the session is gone
                        break
        finally:
            feed.close()


_listeners: list[ChangeListener] = []


def start_change_listener(open_feed: Callable[[], ChangeSource]) -> ChangeListener:
    """Start a :class:`ChangeListener` that :func:`wait_for_listeners` joins once stopped."""
    listener = ChangeListener(open_feed)
    _listeners.append(listener)
    listener.start()
    return listener


def wait_for_listeners(timeout: float = 5.0) -> bool:
    """Join every stopped change listener (app exit, tests); True when all ended."""
    ended = True
    for listener in list(_listeners):
        if not listener.running and listener.join(timeout):
            _listeners.remove(listener)
        elif not listener.running:
            ended = False
    return ended


class PatientSession(QObject):
    """The patient on screen: loads it on a worker, then reloads when the change feed touches it.

    Signals:
        loading_changed(bool): a load started or ended.
        patient_arrived(object): a :class:`PatientView` arrived: the dash shows it and paints the
            icon at once; ``patient_loaded`` follows in a later turn of the event loop.
        patient_loaded(object): a :class:`PatientView` is shown everywhere (first load or a live
            refresh; the wizard has its plan).
        patient_opened(int): the first load of a newly opened patient succeeded.
        load_failed(str): a load or change check failed; the words say why.
        changes_heard(object): every :class:`Changes` batch the feed delivered, whether or not it
            touches the open patient (the window's live settings listen to it).
    """

    loading_changed = Signal(bool)
    patient_arrived = Signal(object)
    patient_loaded = Signal(object)
    patient_opened = Signal(int)
    load_failed = Signal(str)
    changes_heard = Signal(object)

    def __init__(self, clinic: Clinic, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientSession")
        self._clinic = clinic
        self.model = PortalStatusModel(self)
        self.outage = OutageMonitor(clinic, self)
        self.outage.outage_ended.connect(self._on_outage_outage_ended)
        self._patient_id: int | None = None
        self._generation = 0
        self._view: PatientView | None = None
        self._loading = False
        self._opened = False  # patient_opened was emitted for the open patient
        self._checking = False
        self._recheck = False
        self._failed = False
        self._stopped = False
        self._listener: ChangeListener | None = None
        self._clock_timer = QTimer(self)
        self._clock_timer.setObjectName("clockCheckTimer")
        self._clock_timer.setInterval(CLOCK_CHECK_MS)
        self._clock_timer.timeout.connect(self._on_clock_timer_timeout)
        self.changes_seen = 0  # batches that touched the open patient (for tests and the log)
        self.stamp_checks = 0

    @property
    def patient_id(self) -> int | None:
        """The open patient, or None."""
        return self._patient_id

    @property
    def view(self) -> PatientView | None:
        """The latest loaded view of the open patient."""
        return self._view

    @property
    def loading(self) -> bool:
        """True while a load runs."""
        return self._loading

    @property
    def polling(self) -> bool:
        """True while the session listens for changes (from the first patient opened, or the window shown)."""
        return self._listener is not None and self._listener.running

    @property
    def clinic(self) -> Clinic:
        """The clinic this session reads."""
        return self._clinic

    def open_patient(self, patient_id: int) -> None:
        """Show ``patient_id``: load it on a worker; the status model follows."""
        self._patient_id = patient_id
        self._view = None
        self._opened = False
        self._generation += 1
        # The read starts first: it runs on a worker while the window forgets the last patient.
        self._load()
        self.model.begin_patient(patient_id)
        self._start_listening()

    def listen(self) -> None:
        """Listen to the change feed now, before any patient is open (the window, once shown)."""
        self._start_listening()

    def reload(self) -> None:
        """Load the open patient again (Retry, F5)."""
        if self._patient_id is not None:
            self._generation += 1
            self._load()

    def check_now(self) -> None:
        """Read the change stamp now and reload if it moved (after this workstation saved something)."""
        self._check_stamp()

    def close_patient(self) -> None:
        """No patient open any more (another person signs in); answers on their way are ignored."""
        self._patient_id = None
        self._view = None
        self._opened = False
        self._generation += 1
        self._failed = False
        self._recheck = False
        self._clock_timer.stop()
        self._set_loading(False)
        self.model.clear()

    def stop(self) -> None:
        """Stop listening and ignore answers still on their way (window closing)."""
        self._stopped = True
        self._clock_timer.stop()
        if self._listener is not None:
            self._listener.stop()
        self.outage.stop()
        self._generation += 1
        self._set_loading(False)

    # -- loading -----------------------------------------------------------------------------------
    def _load(self) -> None:
        patient_id = self._patient_id
        assert patient_id is not None
        generation = self._generation
        clinic = self._clinic
        run_in_background(
            lambda: load_patient(clinic, patient_id),
            lambda view: self._on_load_done(generation, view),
            lambda exc: self._on_load_error(generation, exc),
            owner=self,
            name="load_patient",
        )
        self._set_loading(True)  # the answer comes by a queued signal: never before this

    def _on_load_done(self, generation: int, view: PatientView) -> None:
        if generation != self._generation:
            return
        self._view = view
        self._failed = False
        self.outage.mark_reachable()
        # The icon, its row and the dash first: they paint before the wizard builds its plan
        # (tens of milliseconds of widgets), which waits for the next turn of the event loop.
        # Still "loading" until then: a change check waits, and so does whoever waits for the plan.
        self.model.show_first(view.status, patient_name=view.chart.full_name, mrn=view.chart.mrn)
        self.patient_arrived.emit(view)
        QTimer.singleShot(0, self, lambda: self._finish_load(generation, view))

    def _finish_load(self, generation: int, view: PatientView) -> None:
        if generation != self._generation:
            return  # another load, a close or a stop came first: it says what shows
        self.model.set_status(
            view.status, patient_name=view.chart.full_name, mrn=view.chart.mrn, details=view.wizard
        )
        self._set_loading(False)
        self.patient_loaded.emit(view)
        if not self._opened:
            self._opened = True
            self.patient_opened.emit(view.patient_id)
        if not self._stopped:
            self._clock_timer.start()
        if self._recheck:
            self._recheck = False
            self._check_stamp()

    def _on_load_error(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        log.warning("Loading patient %s failed (%s)", self._patient_id, type(exc).__name__)
        self._fail(exc)

    def _fail(self, exc: Exception) -> None:
        words = error_words(exc)
        self._failed = True
        self._set_loading(False)
        self.model.set_error(words)
        if is_unreachable(exc):
            # The outage banner says it and retries; the dash keeps the last view it had.
            self.outage.report(exc)
            if self._view is None:
                self.load_failed.emit(words)
        else:
            self.load_failed.emit(words)

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.model.set_loading(loading)
            self.loading_changed.emit(loading)

    # -- live updates ------------------------------------------------------------------------------
    def _start_listening(self) -> None:
        if self._listener is not None or self._stopped:
            return
        self._listener = ChangeListener(self._clinic.live.changes)
        self._listener.relay.changes_arrived.connect(
            self._on_feed_changes_arrived, Qt.ConnectionType.QueuedConnection
        )
        _listeners.append(self._listener)
        self._listener.start()

    def _on_feed_changes_arrived(self, changes: Changes) -> None:
        if self._stopped:
            return
        self.changes_heard.emit(changes)
        if self._patient_id is None:
            return
        if changes.touches(self._patient_id):
            self.changes_seen += 1
            self._check_stamp()

    def _on_clock_timer_timeout(self) -> None:
        self._check_stamp()

    def _on_outage_outage_ended(self) -> None:
        if self._patient_id is not None and not self._stopped:
            if self._failed or self._view is None:
                self.reload()
            else:
                self._check_stamp()

    def _check_stamp(self) -> None:
        if self._stopped or self._patient_id is None:
            return
        if self._checking or self._loading:
            self._recheck = True
            return
        if self._failed or self._view is None:
            self._generation += 1
            self._load()
            return
        self._checking = True
        self._recheck = False
        self.stamp_checks += 1
        patient_id = self._patient_id
        generation = self._generation
        clinic = self._clinic
        run_in_background(
            lambda: clinic.change_stamp(patient_id),
            lambda stamp: self._on_stamp_done(generation, stamp),
            lambda exc: self._on_stamp_error(generation, exc),
            owner=self,
            name="change_stamp",
        )

    def _on_stamp_done(self, generation: int, stamp: Any) -> None:
        self._checking = False
        if generation != self._generation or self._stopped:
            return
        self.outage.mark_reachable()
        if self._view is None or stamp != self._view.stamp:
            self._generation += 1
            self._load()
        elif self._recheck:
            self._check_stamp()

    def _on_stamp_error(self, generation: int, exc: Exception) -> None:
        self._checking = False
        if generation != self._generation or self._stopped:
            return
        log.warning("Checking patient %s for changes failed (%s)", self._patient_id, type(exc).__name__)
        self._fail(exc)
