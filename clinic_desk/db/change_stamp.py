"""One cheap query whose answer changes whenever anything about a patient changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, func, select
from sqlalchemy.orm import Session

from clinic_desk.db.models import OutboxEmail, Patient, PatientPhoto, PortalAccount, PortalToken
from clinic_desk.domain.codes import EmailStatus
from clinic_desk.domain.errors import NotFound
from clinic_desk.domain.record_ids import is_storable_id


def stamp_columns(patient_id: BindParameter[int] | int) -> list[ColumnElement[Any]]:
    """Email progress, used links and the photo: the stamp's parts beyond the two row versions.

    The patient open reads the same columns in its one statement, so both stamps compare equal.
    """
    mine = OutboxEmail.patient_id == patient_id
    return [
        select(func.max(OutboxEmail.id)).where(mine).scalar_subquery(),
        select(func.count()).where(mine, OutboxEmail.status != EmailStatus.QUEUED).scalar_subquery(),
        select(func.sum(OutboxEmail.attempts)).where(mine).scalar_subquery(),
        select(func.count())
        .where(PortalToken.patient_id == patient_id, PortalToken.used_at.is_not(None))
        .scalar_subquery(),
        select(PatientPhoto.taken_at).where(PatientPhoto.patient_id == patient_id).scalar_subquery(),
    ]


def stamp_of(versions_and_parts: tuple[Any, ...], now: datetime) -> tuple[Any, ...]:
    """The stamp: chart and account versions, the ``stamp_columns`` values, and the minute.

    Time moves trouble spots too (links expire, locks end): the minute is part of the stamp.
    """
    return (*versions_and_parts, now.replace(second=0, microsecond=0))


def change_stamp(session: Session, patient_id: int, now: datetime) -> tuple[Any, ...]:
    """Chart and account versions, email progress, used links, the photo, and the minute."""
    if not is_storable_id(patient_id):
        raise NotFound(f"No patient with id {patient_id} was found.")
    row = session.execute(
        select(Patient.version, PortalAccount.version, *stamp_columns(patient_id))
        .join(PortalAccount, PortalAccount.patient_id == Patient.id)
        .where(Patient.id == patient_id)
    ).one_or_none()
    if row is None:
        raise NotFound(f"No patient with id {patient_id} was found.")
    return stamp_of(tuple(row), now)
