"""Keeps the roster in step with other workstations: the change feed, coalesced into one signal.

Any change may move a count or a row (a new chart, an invitation, a login at the portal), so
every batch counts; batches that come close together make one refresh.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from clinic_desk.services.clinic import Changes
from clinic_desk.ui.patient.patient_session import ChangeListener, start_change_listener

if TYPE_CHECKING:
    from clinic_desk import Clinic

#: Batches within this long of the first make one refresh (a busy clinic changes something every
#: second; a refresh re-reads the counts and up to ten pages).
COALESCE_MS = 1000


class RosterLiveUpdates(QObject):
    """Listens to the clinic's change feed on its own thread while started.

    Signals:
        changed(): something changed since the last time (at most once every COALESCE_MS).
    """

    changed = Signal()

    def __init__(self, clinic: Clinic, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rosterLiveUpdates")
        self._clinic = clinic
        self._listener: ChangeListener | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COALESCE_MS)
        self._timer.timeout.connect(self.changed)
        self.batches_seen = 0  # change batches heard (tests, the log)

    @property
    def listening(self) -> bool:
        """True between start() and stop()."""
        return self._listener is not None and self._listener.running

    def start(self) -> None:
        """Listen (a second call does nothing)."""
        if self.listening:
            return
        self._listener = start_change_listener(self._clinic.live.changes)
        self._listener.relay.changes_arrived.connect(
            self._on_feed_changes_arrived, Qt.ConnectionType.QueuedConnection
        )

    def stop(self) -> None:
        """Stop listening (the thread ends within about a second)."""
        self._timer.stop()
        if self._listener is not None:
            self._listener.stop()
            self._listener = None

    def _on_feed_changes_arrived(self, changes: Changes) -> None:
        if changes and self.listening:
            self.batches_seen += 1
            if not self._timer.isActive():
                self._timer.start()
