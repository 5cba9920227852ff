"""The mail worker's once-a-day hook: the day's portal status (the adoption chart's record).

The mail-worker may be the only thing running at night, so it records the day's status
itself; the window records it once after start.
"""

from __future__ import annotations

import logging
from datetime import date

from clinic_desk.services import roster_upkeep
from clinic_desk.services.database import ClinicDatabase

# The mail worker's one log, whichever of its files writes the line.
log = logging.getLogger("clinic_desk.services.delivery")


class DailyStatus:
    """Records today's portal status the first time a worker sees the day."""

    def __init__(self, clinic: ClinicDatabase, worker_id: str) -> None:
        self._clinic = clinic
        self._worker_id = worker_id
        self._status_day: date | None = None

    def record_once_a_day(self) -> None:
        """Record today's portal status unless this worker already did.

        A failure is logged and tried again next round: the outbox must keep going either way.
        """
        today = self._clinic.now().date()
        if self._status_day == today:
            return
        try:
            roster_upkeep.record_daily_status(self._clinic)
        except Exception as error:  # The class name only: database errors can quote patient data.
            log.warning(
                "mail worker %s: recording the day's status failed (%s)",
                self._worker_id,
                type(error).__name__,
            )
            return
        self._status_day = today
