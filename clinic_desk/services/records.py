"""Load and snapshot rows for services: lookups that raise NotFound, and frozen copies."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy.orm import Session

from clinic_desk.db.models import Patient, PortalAccount
from clinic_desk.domain.chart import PatientChart
from clinic_desk.domain.errors import NotFound
from clinic_desk.domain.record_ids import is_storable_id as _storable


def get_patient(session: Session, patient_id: int) -> Patient:
    """The patient row, or NotFound in plain words."""
    # Beyond the id column's range a server refuses the lookup itself (a raw DataError).
    patient = session.get(Patient, patient_id) if _storable(patient_id) else None
    if patient is None:
        raise NotFound(f"No patient with id {patient_id} was found. They may have been merged.")
    return patient


def get_account(session: Session, patient_id: int) -> PortalAccount:
    """The patient's portal account row (every chart has one)."""
    account = session.get(PortalAccount, patient_id) if _storable(patient_id) else None
    if account is None:
        get_patient(session, patient_id)
        raise NotFound(f"Patient {patient_id} has no portal account record.")
    return account


def chart_of(patient: Patient, has_photo: bool) -> PatientChart:
    """A frozen copy of the chart for the UI."""
    return PatientChart(
        patient_id=patient.id,
        mrn=patient.mrn,
        first_name=patient.first_name,
        last_name=patient.last_name,
        preferred_name=patient.preferred_name,
        date_of_birth=patient.date_of_birth,
        sex=patient.sex,
        email=patient.email,
        phone=patient.phone,
        address_line1=patient.address_line1,
        address_line2=patient.address_line2,
        city=patient.city,
        state=patient.state,
        zip_code=patient.zip_code,
        status=patient.status,
        created_via=patient.created_via,
        has_photo=has_photo,
        version=patient.version,
        updated_at=patient.updated_at,
    )


CONTACT_FIELDS = (
    "email",
    "zip_code",
    "phone",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "preferred_name",
)


def contact_audit_fields(patient: Patient) -> dict[str, Any]:
    """The contact fields, for the audit log's before/after."""
    return {name: getattr(patient, name) for name in CONTACT_FIELDS}


def access_audit_fields(account: PortalAccount) -> dict[str, Any]:
    """The access switch and login state, for the audit log (never the hash)."""
    return {
        "access_enabled": account.access_enabled,
        "access_off_reason": account.access_off_reason,
        "staff_off_reason": account.staff_off_reason,
        "username": account.username,
        "must_change_password": account.must_change_password,
        "locked_until": account.locked_until,
        "failed_logins": account.failed_logins,
    }


def photo_audit_fields(image: bytes | None, media_type: str | None) -> dict[str, Any]:
    """A photo for the audit log's before/after: its size, type and a short hash, never the image."""
    if image is None:
        return {"photo": None}
    return {
        "photo_bytes": len(image),
        "media_type": media_type,
        "sha256": hashlib.sha256(image).hexdigest()[:16],
    }
