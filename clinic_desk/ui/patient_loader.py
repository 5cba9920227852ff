"""What the dash needs about one patient, fetched in one go on a worker thread.

Nothing here touches a widget: :func:`load_patient` runs on the thread pool
and returns plain values (a QImage is safe to build off the GUI thread).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QImage

from clinic_desk.domain.chart import PatientChart
from clinic_desk.domain.status import PortalStatus
from clinic_desk.ui.wizard.loader import WizardData, wizard_data_of

if TYPE_CHECKING:
    from clinic_desk import Clinic


@dataclass(frozen=True)
class PatientView:
    """Everything the dash shows for one patient, read at one moment."""

    patient_id: int
    chart: PatientChart
    status: PortalStatus
    photo: QImage | None
    emails: tuple[Any, ...]  # EmailTimelineEntry, newest first
    wizard: WizardData
    stamp: Any
    today: date


def load_patient(clinic: Clinic, patient_id: int) -> PatientView:
    """Read chart, status, plan, photo and recent emails in one transaction (blocking: workers only)."""
    snapshot = clinic.patient_snapshot(patient_id)
    photo = None
    if snapshot.photo:
        image = QImage.fromData(snapshot.photo)
        photo = None if image.isNull() else image
    return PatientView(
        patient_id=patient_id,
        chart=snapshot.chart,
        status=snapshot.status,
        photo=photo,
        emails=snapshot.emails,
        wizard=wizard_data_of(snapshot),
        stamp=snapshot.stamp,
        today=snapshot.today,
    )
