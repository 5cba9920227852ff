"""clinic.staff.import_patients on every database: formats, matching, re-import (DESIGN.md section 6)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from clinic_desk import Clinic
from clinic_desk.db.models import AuditEntry, PortalToken
from tests.conftest import FakeClock
from tests.services.helpers import STAFF, add_invited_patient
from tests.services.import_helpers import (
    HEADER,
    audit_actions,
    chart_by_mrn,
    fhir_patient,
    person,
    write_bundle,
    write_csv,
    write_ndjson,
)


def test_a_csv_creates_charts_as_staff_would(clinic: Clinic, tmp_path: Path) -> None:
    file = write_csv(tmp_path / "ehr.csv", [person("A-1"), person("A-2", "Bo", "Ek", Email="", Zip="")])
    report = clinic.staff.import_patients(file, actor=STAFF)
    assert (len(report.created), report.updated, report.rejected, report.rows_read) == (2, [], [], 2)
    ana = chart_by_mrn(clinic, "A-1")
    assert (ana.first_name, ana.date_of_birth.isoformat(), ana.sex, ana.phone) == (
        "Ana", "1984-06-02", "female", "(617) 555-0100",
    )  # fmt: skip
    assert (ana.zip_code, ana.state, ana.created_via, ana.preferred_language) == (
        "02139",
        "MA",
        "import",
        "en",
    )
    # Access starts on only with email and ZIP code, as for a chart staff add.
    assert clinic.status(report.created[0]).color == "gold"
    assert clinic.status(report.created[1]).color == "red"
    assert clinic.count_by_color() == {"red": 1, "gold": 1, "blue": 0}
    assert audit_actions(clinic) == ["import_patient", "import_patient", "import_patients"]
    # The other system's MRNs are found as typed (Bo Ek by "A-2"; "A" alone finds only Ana).
    assert report.created[1] in [p.patient_id for p in clinic.staff.find_patients("A-2")]


def test_windows_1252_and_a_bom_and_two_digit_years(clinic: Clinic, tmp_path: Path) -> None:
    latin = write_csv(
        tmp_path / "latin.csv",
        [person("W-1", "José", "Müller", DOB="3/4/85", Email="jm@example.com")],
        encoding="cp1252",
    )
    bom = write_csv(
        tmp_path / "bom.csv",
        [person("W-2", "Zoë", "Brontë", DOB="1/2/03", Email="zb@example.com")],
        encoding="utf-8-sig",
    )
    assert clinic.staff.preview_import(latin).encoding == "cp1252"
    assert clinic.staff.preview_import(bom).encoding == "utf-8-sig"
    clinic.staff.import_patients(latin, actor=STAFF)
    clinic.staff.import_patients(bom, actor=STAFF)
    jose, zoe = chart_by_mrn(clinic, "W-1"), chart_by_mrn(clinic, "W-2")
    assert (jose.first_name, jose.last_name, jose.date_of_birth.isoformat()) == (
        "José",
        "Müller",
        "1985-03-04",
    )
    assert (zoe.first_name, zoe.date_of_birth.isoformat()) == ("Zoë", "2003-01-02")


def test_re_import_changes_nothing_and_makes_no_duplicates(
    clinic: Clinic, clock: FakeClock, tmp_path: Path
) -> None:
    file = write_csv(tmp_path / "nightly.csv", [person("N-1"), person("N-2", "Bo", "Ek")])
    first = clinic.staff.import_patients(file, actor=STAFF)
    before = chart_by_mrn(clinic, "N-1")
    clock.advance(days=1)
    again = clinic.staff.import_patients(file, actor=STAFF)
    assert (again.created, again.updated, sorted(again.unchanged)) == ([], [], sorted(first.created))
    after = chart_by_mrn(clinic, "N-1")
    assert (after.updated_at, after.version) == (before.updated_at, before.version)
    assert audit_actions(clinic, before.id) == ["import_patient"]
    assert audit_actions(clinic).count("import_patients") == 2


def test_staff_corrections_survive_and_other_system_changes_apply(clinic: Clinic, tmp_path: Path) -> None:
    clinic.staff.import_patients(write_csv(tmp_path / "1.csv", [person("S-1")]), actor=STAFF)
    pid = chart_by_mrn(clinic, "S-1").id
    clinic.staff.update_contact(pid, phone="(617) 555-0199", actor=STAFF)  # the patient told the desk
    report = clinic.staff.import_patients(write_csv(tmp_path / "2.csv", [person("S-1")]), actor=STAFF)
    assert report.unchanged == [pid]
    assert chart_by_mrn(clinic, "S-1").phone == "(617) 555-0199"
    # The other system changes the city: that applies, the staff's phone stays.
    report = clinic.staff.import_patients(
        write_csv(tmp_path / "3.csv", [person("S-1", City="Cambridge")]), actor=STAFF
    )
    assert report.updated == [pid]
    chart = chart_by_mrn(clinic, "S-1")
    assert (chart.city, chart.phone) == ("Cambridge", "(617) 555-0199")
    assert audit_actions(clinic, pid)[-1] == "import_update"


def test_empty_in_the_file_never_erases(clinic: Clinic, tmp_path: Path) -> None:
    clinic.staff.import_patients(write_csv(tmp_path / "1.csv", [person("E-1")]), actor=STAFF)
    report = clinic.staff.import_patients(
        write_csv(tmp_path / "2.csv", [person("E-1", Email="", Phone="", Zip="")]), actor=STAFF
    )
    assert report.unchanged and not report.updated
    chart = chart_by_mrn(clinic, "E-1")
    assert (chart.email, chart.phone, chart.zip_code) == ("ana.lopez@example.com", "(617) 555-0100", "02139")


def test_an_email_change_kills_the_links(clinic: Clinic, tmp_path: Path) -> None:
    pid = add_invited_patient(clinic, "Ana", "Lopez")
    mrn = clinic.staff.chart(pid).mrn
    report = clinic.staff.import_patients(
        write_csv(tmp_path / "x.csv", [person(mrn, DOB="1984-06-02", Email="ana.new@example.com")]),
        actor=STAFF,
    )
    assert report.updated == [pid]
    with clinic.reading() as session:
        tokens = session.scalars(select(PortalToken).where(PortalToken.patient_id == pid)).all()
    assert tokens and all(token.revoked_at is not None for token in tokens)
    assert clinic.staff.chart(pid).email == "ana.new@example.com"


def test_deceased_turns_access_off_and_is_never_left(clinic: Clinic, tmp_path: Path) -> None:
    clinic.staff.import_patients(write_csv(tmp_path / "1.csv", [person("D-1")]), actor=STAFF)
    pid = chart_by_mrn(clinic, "D-1").id
    header = (*HEADER, "DEATHDATE")
    dead = write_csv(tmp_path / "2.csv", [[*person("D-1"), "2026-01-02"]], header=header)
    assert clinic.staff.import_patients(dead, actor=STAFF).updated == [pid]
    assert clinic.status(pid).color == "red"
    assert chart_by_mrn(clinic, "D-1").status == "deceased"
    alive = write_csv(tmp_path / "3.csv", [[*person("D-1"), "active"]], header=(*header[:-1], "Status"))
    clinic.staff.import_patients(alive, actor=STAFF)
    assert chart_by_mrn(clinic, "D-1").status == "deceased"


def test_a_possible_duplicate_is_imported_and_flagged(clinic: Clinic, tmp_path: Path) -> None:
    clinic.staff.import_patients(write_csv(tmp_path / "1.csv", [person("P-1")]), actor=STAFF)
    report = clinic.staff.import_patients(write_csv(tmp_path / "2.csv", [person("P-2")]), actor=STAFF)
    assert len(report.created) == 1
    assert report.flagged == [
        (report.created[0], "Possible duplicate of the chart with MRN P-1: same name and date of birth.")
    ]


def test_every_bad_row_gets_its_row_number_and_a_plain_reason(clinic: Clinic, tmp_path: Path) -> None:
    rows = [
        person(""),
        person("B-2", DOB="02/30/1980"),
        person("B-3", DOB="01/01/2999"),
        person("B-4", **{"Last Name": ""}),
        person("B" * 65),
        person("B-6", DOB=""),
        person("B-7", **{"First Name": "1234"}),
    ]
    report = clinic.staff.import_patients(write_csv(tmp_path / "bad.csv", rows), actor=STAFF)
    assert report.created == [] and [n for n, _ in report.rejected] == list(range(2, 9))
    reasons = dict(report.rejected)
    for row, words in {
        2: "MRN is missing", 3: "Date of birth", 4: "in the future", 5: "Last name is required",
        6: "MRN: at most 64", 7: "Date of birth is missing", 8: "First name",
    }.items():  # fmt: skip
        assert reasons[row].startswith(f"Row {row}: ") and words in reasons[row], reasons[row]


def test_a_bad_optional_value_is_left_out_and_the_patient_imported(clinic: Clinic, tmp_path: Path) -> None:
    clinic.staff.import_patients(write_csv(tmp_path / "1.csv", [person("O-1")]), actor=STAFF)
    rows = [
        person("O-1", Phone="555-0100", Zip="LA4", City="Salem"),  # a chart already there
        person("O-2", "Bo", "Ek", Email="bo@y.invalid", State="Narnia", Sex="Q"),
        person("O-3", "Cy", "Do", Zip="141 34"),
    ]
    report = clinic.staff.import_patients(write_csv(tmp_path / "2.csv", rows), actor=STAFF)
    assert (len(report.created), len(report.updated), report.rejected) == (2, 1, [])
    assert [(row, words.split(" was not imported: ")[0]) for row, words in report.warnings] == [
        (2, "Phone '555-0100'"), (2, "ZIP code 'LA4'"), (3, "Sex 'Q'"), (3, "Email 'bo@y.invalid'"),
        (3, "State 'Narnia'"), (4, "ZIP code '141 34'"),
    ]  # fmt: skip
    # The chart keeps what it had for the value left out; the rest of the row applies.
    kept = chart_by_mrn(clinic, "O-1")
    assert (kept.phone, kept.zip_code, kept.city) == ("(617) 555-0100", "02139", "Salem")
    bo = chart_by_mrn(clinic, "O-2")
    assert (bo.email, bo.state, bo.sex, bo.phone) == (None, None, None, "(617) 555-0100")
    # No US ZIP code: the portal cannot be turned on, and the chart says so.
    cy = chart_by_mrn(clinic, "O-3")
    assert cy.zip_code is None and clinic.status(cy.id).color == "red"
    assert "missing_zip" in clinic.status(cy.id).reason_codes
    assert report.summary() == "Created 2, updated 1, 0 unchanged, 0 rejected; 6 values not imported."


def test_contact_details_and_status_changed_together_make_one_audit_entry(
    clinic: Clinic, tmp_path: Path
) -> None:
    clinic.staff.import_patients(write_csv(tmp_path / "1.csv", [person("U-1")]), actor=STAFF)
    pid = chart_by_mrn(clinic, "U-1").id
    header = (*HEADER, "Status")
    both = write_csv(tmp_path / "2.csv", [[*person("U-1", City="Salem"), "inactive"]], header=header)
    assert clinic.staff.import_patients(both, actor=STAFF).updated == [pid]
    assert audit_actions(clinic, pid) == ["import_patient", "import_update"]
    with clinic.reading() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.patient_id == pid).order_by(AuditEntry.id.desc())
        ).first()
        assert entry is not None
        before, after = json.loads(entry.before or "{}"), json.loads(entry.after or "{}")
    assert (before["city"], before["status"], before["access_enabled"]) == ("Boston", "active", True)
    assert (after["city"], after["status"], after["access_enabled"]) == ("Salem", "inactive", False)
    # A status alone is one entry too, with the same action.
    again = write_csv(tmp_path / "3.csv", [[*person("U-1", City="Salem"), "active"]], header=header)
    clinic.staff.import_patients(again, actor=STAFF)
    assert audit_actions(clinic, pid) == ["import_patient", "import_update", "import_update"]


def test_fhir_ndjson_and_bundle(clinic: Clinic, tmp_path: Path) -> None:
    ndjson = write_ndjson(
        tmp_path / "Patient.000.ndjson",
        [fhir_patient("F-1"), {"resourceType": "Observation"}, fhir_patient("F-2", "Ek", "Bo", active=False)],
    )
    report = clinic.staff.import_patients(ndjson, actor=STAFF, format="fhir")
    assert (len(report.created), report.rows_read) == (2, 2)
    assert chart_by_mrn(clinic, "F-2").status == "inactive"
    spoken = {"communication": [{"language": {"coding": [{"code": "es-MX"}]}, "preferred": True}]}
    bundle = write_bundle(tmp_path / "b.json", [{"resourceType": "Encounter"}, fhir_patient("F-1", **spoken)])
    report = clinic.staff.import_patients(bundle, actor=STAFF)
    assert report.updated == [chart_by_mrn(clinic, "F-1").id]
    assert chart_by_mrn(clinic, "F-1").preferred_language == "es-MX"


def test_the_desk_numbering_skips_imported_mrns(clinic: Clinic, tmp_path: Path) -> None:
    clinic.staff.import_patients(
        write_csv(tmp_path / "n.csv", [person("100001"), person("100002", "Bo")]), actor=STAFF
    )
    pid = clinic.staff.add_patient(first_name="Cy", last_name="Do", date_of_birth="1990-01-01", actor=STAFF)
    assert clinic.staff.chart(pid).mrn == "100003"
