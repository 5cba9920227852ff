"""What the dash needs about one patient, fetched in one go on a worker thread.

Nothing here touches a widget: :func:`load_patient` runs on the thread pool
and returns plain values (a QImage is safe to build off the GUI thread).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QImage

from clinic_desk.domain.chart import PatientChart
from clinic_desk.domain.status import PortalStatus

if TYPE_CHECKING:
    from clinic_desk import Clinic

RECENT_EMAILS = 5


@dataclass(frozen=True)
class EmailLine:
    """One outbox email as the dash lists it (never its body or link)."""

    kind: str
    to: str
    status: str
    queued_at: datetime | None
    failure_reason: str | None = None


@dataclass(frozen=True)
class PatientView:
    """Everything the dash shows for one patient, read at one moment."""

    patient_id: int
    chart: PatientChart
    status: PortalStatus
    photo: QImage | None
    emails: tuple[EmailLine, ...]
    stamp: Any
    today: date


def _email_line(message: Any) -> EmailLine:
    return EmailLine(
        kind=str(getattr(message, "kind", "")),
        to=str(getattr(message, "to", "")),
        status=str(getattr(message, "status", "")),
        queued_at=getattr(message, "queued_at", None),
        failure_reason=getattr(message, "failure_reason", None),
    )


def load_patient(clinic: Clinic, patient_id: int) -> PatientView:
    """Read chart, status, photo and recent emails of a patient (blocking; worker threads only)."""
    # The stamp is read first: a change made while we read shows up at the next poll.
    stamp = clinic.change_stamp(patient_id)
    chart = clinic.staff.chart(patient_id)
    status = clinic.status(patient_id)
    photo = None
    if chart.has_photo:
        data = clinic.staff.photo(patient_id)
        if data:
            image = QImage.fromData(data)
            photo = None if image.isNull() else image
    emails = tuple(_email_line(message) for message in clinic.mail.outbox(patient_id)[:RECENT_EMAILS])
    return PatientView(
        patient_id=patient_id,
        chart=chart,
        status=status,
        photo=photo,
        emails=emails,
        stamp=stamp,
        today=clinic.now().date(),
    )
