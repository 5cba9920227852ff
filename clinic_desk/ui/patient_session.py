"""Loads the open patient off the GUI thread and keeps it fresh while it is open."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.ui.patient_loader import PatientView, load_patient
from clinic_desk.ui.status_model import PortalStatusModel
from clinic_desk.ui.tasks import run_in_background

if TYPE_CHECKING:
    from clinic_desk import Clinic

log = logging.getLogger(__name__)

POLL_INTERVAL_MS = 1000


def error_words(exc: Exception) -> str:
    """A sentence a receptionist can read for any error (no traceback)."""
    if isinstance(exc, ClinicDeskError):
        return exc.message
    return (
        f"Clinic Desk could not reach the clinic database ({type(exc).__name__}). "
        "Check the network and try again."
    )


class PatientSession(QObject):
    """The patient on screen: loads it on a worker, then polls its change stamp to reload live.

    Signals:
        loading_changed(bool): a load started or ended.
        patient_loaded(object): a :class:`PatientView` arrived (first load or a live refresh).
        patient_opened(int): the first load of a newly opened patient succeeded.
        load_failed(str): a load or poll failed; the words say why.
    """

    loading_changed = Signal(bool)
    patient_loaded = Signal(object)
    patient_opened = Signal(int)
    load_failed = Signal(str)

    def __init__(self, clinic: Clinic, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientSession")
        self._clinic = clinic
        self.model = PortalStatusModel(self)
        self._patient_id: int | None = None
        self._generation = 0
        self._view: PatientView | None = None
        self._loading = False
        self._polling = False
        self._failed = False
        self._timer = QTimer(self)
        self._timer.setObjectName("changePollTimer")
        self._timer.setInterval(POLL_INTERVAL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

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
        """True while the change stamp is polled."""
        return self._timer.isActive()

    def open_patient(self, patient_id: int) -> None:
        """Show ``patient_id``: load it on a worker; the status model follows."""
        self._patient_id = patient_id
        self._view = None
        self._generation += 1
        self.model.begin_patient(patient_id)
        self._load(first=True)

    def reload(self) -> None:
        """Load the open patient again (Retry, F5)."""
        if self._patient_id is not None:
            self._generation += 1
            self._load(first=self._view is None)

    def stop(self) -> None:
        """Stop polling and ignore answers still on their way (window closing)."""
        self._timer.stop()
        self._generation += 1
        self._set_loading(False)

    # -- loading -----------------------------------------------------------------------------------
    def _load(self, *, first: bool) -> None:
        patient_id = self._patient_id
        assert patient_id is not None
        generation = self._generation
        clinic = self._clinic
        self._set_loading(True)
        run_in_background(
            lambda: load_patient(clinic, patient_id),
            lambda view: self._on_load_done(generation, first, view),
            lambda exc: self._on_load_error(generation, exc),
            owner=self,
            name="load_patient",
        )

    def _on_load_done(self, generation: int, first: bool, view: PatientView) -> None:
        if generation != self._generation:
            return
        self._view = view
        self._failed = False
        self.model.set_status(view.status, patient_name=view.chart.full_name, mrn=view.chart.mrn)
        self._set_loading(False)
        self.patient_loaded.emit(view)
        if first:
            self.patient_opened.emit(view.patient_id)
        self._timer.start()

    def _on_load_error(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        log.warning("Loading patient %s failed", self._patient_id, exc_info=exc)
        self._fail(error_words(exc))

    def _fail(self, words: str) -> None:
        self._failed = True
        self._set_loading(False)
        self.model.set_error(words)
        self.load_failed.emit(words)
        # Keep polling: when the database answers again, the next poll reloads.
        self._timer.start()

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.model.set_loading(loading)
            self.loading_changed.emit(loading)

    # -- live updates ------------------------------------------------------------------------------
    def _on_timer_timeout(self) -> None:
        if self._polling or self._loading or self._patient_id is None:
            return
        self._polling = True
        patient_id = self._patient_id
        generation = self._generation
        clinic = self._clinic
        run_in_background(
            lambda: clinic.change_stamp(patient_id),
            lambda stamp: self._on_poll_done(generation, stamp),
            lambda exc: self._on_poll_error(generation, exc),
            owner=self,
            name="change_stamp",
        )

    def _on_poll_done(self, generation: int, stamp: Any) -> None:
        self._polling = False
        if generation != self._generation or not self._timer.isActive():
            return
        if self._failed or self._view is None or stamp != self._view.stamp:
            self._generation += 1
            self._load(first=self._view is None)

    def _on_poll_error(self, generation: int, exc: Exception) -> None:
        self._polling = False
        if generation != self._generation or not self._timer.isActive():
            return
        if not self._failed:
            log.warning("Checking patient %s for changes failed", self._patient_id, exc_info=exc)
            self._fail(error_words(exc))
