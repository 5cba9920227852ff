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


# Per file: (rows imported, rows imported without an optional value they brought, rows rejected).
# The UK and Stockholm Synthea files carry foreign states and postcodes, the OpenEMR and IHE
# samples 7-digit phones, a .invalid email and a marital status in the status column: those
# patients come in without that value (a warning says which). Rejected: no MRN (most HL7
# examples have no MR-typed identifier; two IHE rows and the minimal IHE file have none) or no
# name or birth date.
EXPECTED = {
    "bulk-ndjson/10-patients/Patient.000.ndjson": (13, 0, 0),
    "bulk-ndjson/100-patients/Patient.000.ndjson": (120, 0, 0),
    "hl7-fhir-r4-examples/Patient-animal.json": (0, 0, 1),
    "hl7-fhir-r4-examples/Patient-ch-example.json": (0, 0, 1),
    "hl7-fhir-r4-examples/Patient-dicom.json": (0, 0, 1),
    "hl7-fhir-r4-examples/Patient-example.json": (1, 1, 0),
    "hl7-fhir-r4-examples/Patient-f001.json": (0, 0, 1),
    "hl7-fhir-r4-examples/Patient-f201.json": (0, 0, 1),
    "hl7-fhir-r4-examples/Patient-genetics-example1.json": (0, 0, 1),
    "hl7-fhir-r4-examples/Patient-glossy.json": (1, 0, 0),
    "hl7-fhir-r4-examples/Patient-ihe-pcd.json": (0, 0, 1),
    "hl7-fhir-r4-examples/Patient-infant-fetal.json": (0, 0, 1),
    "hl7-fhir-r4-examples/Patient-infant-mom.json": (0, 0, 1),
    "hl7-fhir-r4-examples/Patient-infant-twin-1.json": (1, 0, 0),
    "hl7-fhir-r4-examples/Patient-infant-twin-2.json": (1, 0, 0),
    "hl7-fhir-r4-examples/Patient-mom.json": (0, 0, 1),
    "hl7-fhir-r4-examples/Patient-newborn.json": (0, 0, 1),
    "hl7-fhir-r4-examples/Patient-pat1.json": (0, 0, 1),
    "hl7-fhir-r4-examples/Patient-pat2.json": (0, 0, 1),
    "hl7-fhir-r4-examples/Patient-pat3.json": (1, 0, 0),
    "hl7-fhir-r4-examples/Patient-pat4.json": (1, 0, 0),
    "hl7-fhir-r4-examples/Patient-proband.json": (0, 0, 1),
    "hl7-fhir-r4-examples/Patient-xcda.json": (1, 0, 0),
    "hl7-fhir-r4-examples/Patient-xds.json": (1, 0, 0),
    "other-csv/hietesttool/patients_minimal.csv": (0, 0, 3),
    "other-csv/hietesttool/patients_sample.csv": (8, 7, 2),
    "other-csv/openemr-ehi-export/patient_data.csv": (2, 2, 0),
    "synthea-csv/mcode-fhir-reasoning-omop-ri-patients/patients.csv": (115, 0, 0),
    "synthea-csv/synthea-official-stockholm/patients.csv": (13, 13, 0),
    "synthea-csv/synthea-pandas-profiling-uk/patients.csv": (543, 543, 0),
    "synthea-fhir-r4/Corine538_Toy286_54359f98-a2ba-2c36-3546-2456a114ccac.json": (1, 0, 0),
    "synthea-fhir-r4/Emilia403_Uribe503_e6396d9c-e080-aadb-b0d1-3a1908cd57a5.json": (1, 0, 0),
    "synthea-fhir-r4/María_Teresa_Carrasquillo_221fe1ec-a258-4fc4-8cc8-b7c960a8a0a9.json": (1, 0, 0),
    "synthea-fhir-r4/Nina_Legros_6e4c37f3-964b-4e10-ab13-c208efc30e71.json": (1, 0, 0),
    "synthea-fhir-stu3-legacy/synthea.bundle.json": (1, 1, 0),
    "us-core/patient-child-example.json": (1, 0, 0),
    "us-core/patient-deceased-example.json": (1, 0, 0),
    "us-core/patient-example.json": (1, 0, 0),
    "us-core/patient-infant-example.json": (1, 0, 0),
}


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
    outcomes: dict[str, tuple[int, int, int]] = {}
    for file in FILES:
        report = clinic.staff.import_patients(file, actor=STAFF)
        imported = len(report.created) + len(report.updated) + len(report.unchanged)
        assert imported + len(report.rejected) == report.rows_read == _patients_in(file), file.name
        for number, reason in report.rejected:
            assert reason.startswith(f"Row {number}: ") and len(reason) > 20, (file.name, reason)
            assert "Traceback" not in reason and "Error" not in reason, (file.name, reason)
        for _number, words in report.warnings:
            assert " was not imported: it " in words or " was not imported: " in words, (file.name, words)
            assert "Traceback" not in words and "Error" not in words, (file.name, words)
        warned = len({number for number, _ in report.warnings})
        outcomes[file.relative_to(SAMPLES).as_posix()] = (imported, warned, len(report.rejected))
        created += len(report.created)
    assert outcomes == EXPECTED
    assert sum(clinic.count_by_color().values()) == created > 800


def test_foreign_addresses_and_short_phones_come_in_without_them(clinic: Clinic) -> None:
    uk = clinic.staff.import_patients(
        SAMPLES / "synthea-csv/synthea-pandas-profiling-uk/patients.csv", actor=STAFF
    )
    assert (len(uk.created), uk.rejected) == (543, [])
    assert uk.warnings[:2] == [
        (2, "State 'UnitedKingdom' was not imported: it is not a US state or territory — use the 2-letter "
            "code, like NY or CA."),
        (2, "ZIP code 'LA4' was not imported: it is not a US ZIP code — use 5 digits (12345) or ZIP+4 "
            "(12345-6789)."),
    ]  # fmt: skip
    # No US ZIP code: the portal cannot reach them, so the charts stay red, saying why.
    first = clinic.status(uk.created[0])
    assert first.color == "red" and "missing_zip" in first.reason_codes
    emr = clinic.staff.import_patients(SAMPLES / "other-csv/openemr-ehi-export/patient_data.csv", actor=STAFF)
    assert (len(emr.created), emr.rejected) == (2, [])
    amira = chart_by_mrn(clinic, "DEMO-1001")
    assert (amira.email, amira.phone, amira.status, amira.zip_code) == (None, None, "active", "02110")
    words = [w for _, w in emr.warnings]
    assert words[0].startswith("Email 'amira.rahman@example.invalid' was not imported: it is not a valid")
    assert any(w.startswith("Status 'married' was not imported: it is not a patient status") for w in words)


def test_the_ihe_sample_reads_its_mrn_column_not_its_patient_id(clinic: Clinic) -> None:
    sample = SAMPLES / "other-csv/hietesttool/patients_sample.csv"
    assert clinic.staff.preview_import(sample).mapping["mrn"] == "mrn"
    report = clinic.staff.import_patients(sample, actor=STAFF)
    assert [n for n, _ in report.rejected] == [9, 11]  # rows with an empty mrn (their patient_id too)
    jose = chart_by_mrn(clinic, "MRN10001")
    assert (jose.first_name, jose.phone, jose.zip_code) == ("José", None, "62701")
    assert report.warnings[0] == (
        2,
        "Phone '555-0100' was not imported: it is not a US phone number — type 10 digits with the area "
        "code, like (555) 123-4567, and an extension as x123.",
    )


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
    stu3 = clinic.staff.import_patients(SAMPLES / "synthea-fhir-stu3-legacy/synthea.bundle.json", actor=STAFF)
    assert len(stu3.created) == 1 and "ZIP code 'XXXXX' was not imported" in stu3.warnings[0][1]
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
