"""Charts worth comparing when a patient cannot create their own portal account."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from clinic_desk.db.models import Patient, PortalAccount
from clinic_desk.domain.email_idn import ascii_email
from clinic_desk.domain.match_check import CandidateChart
from clinic_desk.domain.search_keys import name_key

CANDIDATE_LIMIT = 20


def match_candidates(
    session: Session,
    *,
    email: str | None,
    last_name: str | None,
    date_of_birth: date | None,
    patient_id: int | None = None,
) -> list[CandidateChart]:
    """Charts with the same email, or the same last name and date of birth, plus the open chart."""
    conditions = []
    if email and email.strip():
        conditions.append(Patient.email_key == ascii_email(email.strip().lower()))
    if last_name and last_name.strip() and date_of_birth is not None:
        same_name = Patient.last_key == name_key(last_name)
        conditions.append(same_name & (Patient.date_of_birth == date_of_birth))
    if date_of_birth is not None and email and email.strip():
        conditions.append(
            (Patient.date_of_birth == date_of_birth)
            & (Patient.email_key == ascii_email(email.strip().lower()))
        )
    if patient_id is not None:
        conditions.append(Patient.id == patient_id)
    if not conditions:
        return []
    rows = session.execute(
        select(Patient, PortalAccount)
        .join(PortalAccount, PortalAccount.patient_id == Patient.id)
        .where(or_(*conditions))
        .order_by(Patient.id)
        .limit(CANDIDATE_LIMIT)
    ).all()
    return [_candidate(patient, account) for patient, account in rows]


def claim_candidates(
    session: Session, *, email_key: str, last_key: str, date_of_birth: date
) -> list[CandidateChart]:
    """Every chart with this email, last name and date of birth (the ZIP code is compared by the caller).

    Unlike :func:`match_candidates` there is no limit: a claim must see every exact match.
    """
    rows = session.execute(
        select(Patient, PortalAccount)
        .join(PortalAccount, PortalAccount.patient_id == Patient.id)
        .where(
            Patient.email_key == email_key,
            Patient.last_key == last_key,
            Patient.date_of_birth == date_of_birth,
        )
        .order_by(Patient.id)
    ).all()
    return [_candidate(patient, account) for patient, account in rows]


def _candidate(patient: Patient, account: PortalAccount) -> CandidateChart:
    return CandidateChart(
        patient_id=patient.id,
        name=patient.full_name,
        email=patient.email,
        last_name=patient.last_name,
        date_of_birth=patient.date_of_birth,
        zip_code=patient.zip_code,
        access_enabled=account.access_enabled,
        has_username=account.username is not None,
        patient_status=patient.status,
        mrn=patient.mrn,
    )
