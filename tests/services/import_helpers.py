"""Small import files written for a test, and looks at what an import left behind."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select

from clinic_desk import Clinic
from clinic_desk.db.models import AuditEntry, Patient

HEADER = ("MRN", "First Name", "Last Name", "DOB", "Sex", "Email", "Phone", "Address", "City", "State", "Zip")


def write_csv(
    path: Path, rows: Iterable[Sequence[str]], header: Sequence[str] = HEADER, encoding: str = "utf-8"
) -> Path:
    """A CSV file with a header row."""
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def person(mrn: str, first: str = "Ana", last: str = "Lopez", **changes: str) -> list[str]:
    """One row in HEADER's order, with a ready chart's values unless changed."""
    values = {
        "MRN": mrn, "First Name": first, "Last Name": last, "DOB": "06/02/1984", "Sex": "F",
        "Email": f"{first.lower()}.{last.lower()}@example.com", "Phone": "617-555-0100",
        "Address": "1 Main St", "City": "Boston", "State": "MA", "Zip": "02139",
    }  # fmt: skip
    values.update(changes)
    return [values[column] for column in HEADER]


def fhir_patient(mrn: str, family: str = "Ng", given: str = "Ben", **extra: Any) -> dict[str, Any]:
    """A small FHIR R4 Patient with an MR identifier."""
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "identifier": [
            {"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]},
             "value": mrn}
        ],
        "name": [{"use": "official", "family": family, "given": [given]}],
        "birthDate": "1979-05-05",
        "gender": "male",
        "telecom": [{"system": "email", "value": f"{given.lower()}@example.com"}],
        "address": [
            {"use": "home", "line": ["5 Elm St"], "city": "Salem", "state": "MA", "postalCode": "01970"}
        ],
    }  # fmt: skip
    resource.update(extra)
    return resource


def write_ndjson(path: Path, resources: Iterable[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in resources), encoding="utf-8")
    return path


def write_bundle(path: Path, resources: Iterable[dict[str, Any]]) -> Path:
    entries = [{"fullUrl": f"urn:uuid:{n}", "resource": r} for n, r in enumerate(resources)]
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entries}, indent=1))
    return path


def chart_by_mrn(clinic: Clinic, mrn: str) -> Patient:
    with clinic.reading() as session:
        patient = session.scalars(select(Patient).where(Patient.mrn == mrn)).one()
        session.expunge(patient)
        return patient


def audit_actions(clinic: Clinic, patient_id: int | None = None) -> list[str]:
    with clinic.reading() as session:
        query = select(AuditEntry.action).order_by(AuditEntry.id)
        if patient_id is not None:
            query = query.where(AuditEntry.patient_id == patient_id)
        return list(session.scalars(query))
