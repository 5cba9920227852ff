"""The portal status of the patient on screen, as a QObject widgets can bind to."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from clinic_desk.domain.status import PortalStatus


class PortalStatusModel(QObject):
    """Holds the open patient's :class:`PortalStatus` and tells listeners when it changes.

    Signals:
        status_changed: the status, the patient or the loading/error state changed.
        status_arrived: a freshly loaded status for the icon and its row only (see
            :meth:`show_first`); ``status_changed`` follows once the rest is built.
        loading_changed(bool): a load started (True) or ended (False).
    """

    status_changed = Signal()
    status_arrived = Signal()
    loading_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("portalStatusModel")
        self._patient_id: int | None = None
        self._patient_name = ""
        self._mrn = ""
        self._status: PortalStatus | None = None
        self._loading = False
        self._error = ""
        self._details: Any = None

    # -- reading -----------------------------------------------------------------
    @property
    def patient_id(self) -> int | None:
        """The patient the status is about, or None when no patient is open."""
        return self._patient_id

    @property
    def patient_name(self) -> str:
        """The patient's full name ("" until the chart has loaded)."""
        return self._patient_name

    @property
    def mrn(self) -> str:
        """The patient's MRN ("" until the chart has loaded)."""
        return self._mrn

    @property
    def status(self) -> PortalStatus | None:
        """The latest status, or None while unknown."""
        return self._status

    @property
    def details(self) -> Any:
        """What else was read with the status (the wizard's part of the snapshot), or None."""
        return self._details

    @property
    def color(self) -> str:
        """ "red", "gold" or "blue"; "" while unknown."""
        return self._status.color if self._status is not None else ""

    @property
    def loading(self) -> bool:
        """True while a load is running."""
        return self._loading

    @property
    def error(self) -> str:
        """Why the last load failed, or ""."""
        return self._error

    # -- writing -----------------------------------------------------------------
    def begin_patient(self, patient_id: int) -> None:
        """Forget the previous patient and show "unknown" until the new status arrives."""
        self._show_nothing_about(patient_id)

    def set_loading(self, loading: bool) -> None:
        """Say a load started or ended."""
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    def set_status(
        self, status: PortalStatus, *, patient_name: str = "", mrn: str = "", details: Any = None
    ) -> None:
        """Show a freshly loaded status (and what was read with it, for the wizard)."""
        self._patient_id = status.patient_id
        self._status = status
        self._details = details
        if patient_name:
            self._patient_name = patient_name
        if mrn:
            self._mrn = mrn
        self._error = ""
        self.status_changed.emit()

    def show_first(self, status: PortalStatus, *, patient_name: str = "", mrn: str = "") -> None:
        """Take a freshly loaded status for the icon and its row alone; :meth:`set_status` follows.

        An open paints the icon's new colour before the wizard builds its plan (the slow part):
        only ``status_arrived`` is emitted, and the plan read with the previous status is dropped.
        """
        self._patient_id = status.patient_id
        self._status = status
        self._details = None
        if patient_name:
            self._patient_name = patient_name
        if mrn:
            self._mrn = mrn
        self._error = ""
        self.status_arrived.emit()

    def set_error(self, message: str) -> None:
        """Say the last load failed; a status shown before stays (it may be stale)."""
        self._error = message
        self.status_changed.emit()

    def clear(self) -> None:
        """No patient open."""
        self._show_nothing_about(None)

    def _show_nothing_about(self, patient_id: int | None) -> None:
        self._patient_id = patient_id
        self._patient_name = ""
        self._mrn = ""
        self._status = None
        self._details = None
        self._error = ""
        self.status_changed.emit()
