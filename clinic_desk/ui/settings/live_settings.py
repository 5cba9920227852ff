"""Clinic settings saved at another workstation, taken up here without a restart.

The window's patient session relays every change batch (``changes_heard``); when a batch
says the settings may have changed, ``clinic.refresh_settings()`` runs on a worker (one row
read when nothing changed) and, when the settings differ, ``settings_changed`` tells the
window, which shows them again.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from clinic_desk.ui.tasks import run_in_background

if TYPE_CHECKING:
    from clinic_desk import Clinic

log = logging.getLogger(__name__)


class LiveSettings(QObject):
    """Keeps ``clinic.settings`` in step with the database while the window is open.

    Signals:
        settings_changed(object): the clinic's settings changed (the new ``ClinicSettings``).
    """

    settings_changed = Signal(object)

    def __init__(self, clinic: Clinic, changes_heard: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("liveSettings")
        self._clinic = clinic
        self._asking = False
        self._again = False
        self._stopped = False
        self.checks = 0  # refreshes asked for (tests, the log)
        changes_heard.connect(self._on_session_changes_heard)

    def check_now(self) -> None:
        """Ask the services whether the settings changed (on a worker); one question at a time."""
        if self._stopped:
            return
        if self._asking:
            self._again = True
            return
        self._asking = True
        self._again = False
        self.checks += 1
        clinic = self._clinic
        run_in_background(
            clinic.refresh_settings,
            self._on_refresh_done,
            self._on_refresh_failed,
            owner=self,
            name="refresh_settings",
        )

    def stop(self) -> None:
        """The window is closing: ask nothing more."""
        self._stopped = True

    def _on_session_changes_heard(self, changes: Any) -> None:
        if changes.settings:
            self.check_now()

    def _on_refresh_done(self, changed: bool) -> None:
        self._asking = False
        if self._stopped:
            return
        if changed:
            self.settings_changed.emit(self._clinic.settings)
        if self._again:
            self.check_now()

    def _on_refresh_failed(self, exc: Exception) -> None:
        # The outage banner says a lost server; the next batch (one comes on reconnecting) asks again.
        self._asking = False
        log.warning("Checking the clinic settings for changes failed (%s)", type(exc).__name__)
