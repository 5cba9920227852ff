"""Every public sample file in ../shared/samples/import (HL7, US Core, Synthea, SMART bulk data,
OpenEMR, an IHE tool): each is read, each patient is imported or rejected with a plain reason,
and none crashes the import. The files are used where they are, never copied in."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from clinic_desk import Clinic
from tests.services.helpers import STAFF
from tests.services.import_helpers import chart_by_mrn

# Next to the project (CI's layout); a checkout elsewhere (a git worktree) names them instead.
SAMPLES = Path(
    os.environ.get("CLINIC_DESK_IMPORT_SAMPLES")
    or Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "import"
)
FILES = (
    sorted(p for p in SAMPLES.rglob("*") if p.suffix in (".csv", ".json", ".ndjson"))
    if SAMPLES.is_dir()
    else []
)

pytestmark = pytest.mark.skipif(
    not FILES, reason=f"the shared import samples are not at {SAMPLES} (set CLINIC_DESK_IMPORT_SAMPLES)"
)


def _patients_in(file: Path) -> int:
    """How many patients the file holds, counted without the importer."""
    if file.suffix == ".csv":
        return len(file.read_text(encoding="utf-8").splitlines()) - 1
    if file.suffix == ".ndjson":
        return sum(1 for line in file.read_text(encoding="utf-8").splitlines() if line.strip())
    document = json.loads(file.read_text(encoding="utf-8"))
    if document["resourceType"] == "Patient":
        return 1
    return sum(1 for entry in document["entry"] if entry["resource"]["resourceType"] == "Patient")


def test_every_sample_is_read_and_every_patient_imported_or_rejected_plainly(clinic: Clinic) -> None:
    created = 0
    for file in FILES:
        report = clinic.staff.import_patients(file, actor=STAFF)
        outcomes = len(report.created) + len(report.updated) + len(report.unchanged) + len(report.rejected)
        assert outcomes == report.rows_read == _patients_in(file), file.name
        for number, reason in report.rejected:
            assert reason.startswith(f"Row {number}: ") and len(reason) > 20, (file.name, reason)
            assert "Traceback" not in reason and "Error" not in reason, (file.name, reason)
        created += len(report.created)
    assert sum(clinic.count_by_color().values()) == created > 200


def test_what_the_official_examples_bring(clinic: Clinic) -> None:
    def one(name: str) -> str:
        report = clinic.staff.import_patients(SAMPLES / name, actor=STAFF)
        return report.rejected[0][1] if report.rejected else "imported"

    assert one("hl7-fhir-r4-examples/Patient-pat3.json") == "imported"  # deceasedDateTime
    assert chart_by_mrn(clinic, "123457").status == "deceased"
    assert one("us-core/patient-example.json") == "imported"  # no gender; email; Spanish; an old address
    amy = chart_by_mrn(clinic, "1032702")
    assert (amy.sex, amy.email, amy.zip_code, amy.preferred_language) == (
        None,
        "amy.shaw@example.com",
        "74048",
        "es",
    )
    assert "MRN is missing" in one("hl7-fhir-r4-examples/Patient-f001.json")  # only untyped BSN ids
    assert "ZIP code: 'XXXXX'" in one("synthea-fhir-stu3-legacy/synthea.bundle.json")
    assert "First name is required" in one("hl7-fhir-r4-examples/Patient-newborn.json") or "MRN" in one(
        "hl7-fhir-r4-examples/Patient-newborn.json"
    )
    report = clinic.staff.import_patients(
        SAMPLES / "synthea-csv/mcode-fhir-reasoning-omop-ri-patients/patients.csv", actor=STAFF
    )
    assert len(report.created) == 115
    # The Synthea bundle of a patient in that CSV matches the chart by its MR identifier (the Synthea id).
    emilia = SAMPLES / "synthea-fhir-r4/Emilia403_Uribe503_e6396d9c-e080-aadb-b0d1-3a1908cd57a5.json"
    again = clinic.staff.import_patients(emilia, actor=STAFF)
    assert again.created == [] and len(again.updated + again.unchanged) == 1
