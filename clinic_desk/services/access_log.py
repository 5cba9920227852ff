"""Chart access events (opened, printed, exported): noted in memory, written in batches.

DESIGN.md section 5: opening a chart is recorded, but off the patient-open path, so
opening stays one round trip. ``note`` only appends to a list; ``flush`` writes every
pending event in one transaction (the window does it on a timer, on a worker, and at exit).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desk.db.models import StaffMember
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.text_rules import clean_actor
from clinic_desk.services import audit
from clinic_desk.services.audit_view import MAX_ID
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.database import ClinicDatabase

# The kinds of access, and the audit action each is recorded as.
ACCESS_ACTIONS: Final = {"opened": "chart_opened", "printed": "chart_printed", "exported": "chart_exported"}
# Beyond this many waiting events the oldest are written at the next flush anyway; never dropped.
BATCH_LIMIT: Final = 500


@dataclass(frozen=True)
class AccessEvent:
    """Someone looked at (printed, exported) a chart."""

    patient_id: int
    actor: str
    kind: str
    at: datetime


class AccessLog:
    """Pending access events of one desk (``clinic.access``); thread-safe."""

    def __init__(self, db: ClinicDatabase) -> None:
        self._db = db
        self._pending: list[AccessEvent] = []
        self._lock = threading.Lock()

    def note(self, patient_id: int, *, actor: str, kind: str = "opened") -> None:
        """Remember that ``actor`` opened (printed, exported) the chart; no database work."""
        if kind not in ACCESS_ACTIONS:
            raise ValidationError(f"Access kind: one of {', '.join(ACCESS_ACTIONS)}.", field="kind")
        if isinstance(patient_id, bool) or not isinstance(patient_id, int) or not 0 < patient_id <= MAX_ID:
            # Checked now: one bad event would otherwise fail every later flush of the batch.
            raise ValidationError(f"Patient id: a whole number from 1 to {MAX_ID}.", field="patient_id")
        event = AccessEvent(patient_id=patient_id, actor=clean_actor(actor), kind=kind, at=self._db.now())
        with self._lock:
            self._pending.append(event)

    def pending(self) -> int:
        """How many events wait to be written."""
        with self._lock:
            return len(self._pending)

    def flush(self) -> int:
        """Write the waiting events in one transaction; returns how many were written.

        On a failure they stay waiting for the next flush (nothing is lost, nothing doubled).
        """
        with self._lock:
            batch, self._pending = self._pending[:BATCH_LIMIT], self._pending[BATCH_LIMIT:]
        if not batch:
            return 0
        try:
            self._db.run(lambda session, ctx: _write(session, ctx, batch))
        except BaseException:
            with self._lock:
                self._pending[:0] = batch
            raise
        return len(batch)


def _write(session: Session, _ctx: ServiceContext, batch: list[AccessEvent]) -> None:
    usernames = _usernames(session, {event.actor for event in batch})
    for event in batch:
        audit.record(
            session,
            at=event.at,
            actor=usernames.get(event.actor.lower(), event.actor),
            action=ACCESS_ACTIONS[event.kind],
            patient_id=event.patient_id,
        )


def _usernames(session: Session, actors: set[str]) -> dict[str, str]:
    """Staff usernames as stored, by their lower-cased key (one query for the whole batch).

    ``note`` does no SQL, so an actor typed in another case is put right here, as the
    other staff actions record it. A name that is no staff member's is kept as given:
    the event happened, and a clinic without staff accounts names people freely.
    """
    keys = {actor.lower() for actor in actors}
    query = select(StaffMember.username_key, StaffMember.username).where(StaffMember.username_key.in_(keys))
    return {key: username for key, username in session.execute(query)}
