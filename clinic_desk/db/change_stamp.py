"""One cheap query whose answer changes whenever anything about a patient changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic_desk.db.models import OutboxEmail, Patient, PatientPhoto, PortalAccount, PortalToken
from clinic_desk.domain.codes import EmailStatus
from clinic_desk.domain.errors import NotFound


def change_stamp(session: Session, patient_id: int, now: datetime) -> tuple[Any, ...]:
    """Chart and account versions, email progress, used links, the photo, and the minute.

    Time moves trouble spots too (links expire, locks end): the minute is part of the stamp.
    """
    mine = OutboxEmail.patient_id == patient_id
    row = session.execute(
        select(
            Patient.version,
            PortalAccount.version,
            select(func.max(OutboxEmail.id)).where(mine).scalar_subquery(),
            select(func.count()).where(mine, OutboxEmail.status != EmailStatus.QUEUED).scalar_subquery(),
            select(func.sum(OutboxEmail.attempts)).where(mine).scalar_subquery(),
            select(func.count())
            .where(PortalToken.patient_id == patient_id, PortalToken.used_at.is_not(None))
            .scalar_subquery(),
            select(PatientPhoto.taken_at).where(PatientPhoto.patient_id == patient_id).scalar_subquery(),
        )
        .join(PortalAccount, PortalAccount.patient_id == Patient.id)
        .where(Patient.id == patient_id)
    ).one_or_none()
    if row is None:
        raise NotFound(f"No patient with id {patient_id} was found.")
    return (*row, now.replace(second=0, microsecond=0))
