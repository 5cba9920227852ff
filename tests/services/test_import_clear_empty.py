"""Empty cells clear a chart's optional fields when staff choose so (issue 16), on every database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from clinic_desk import Clinic
from clinic_desk.db.models import PortalToken
from clinic_desk.domain.patient_import import ImportReport
from tests.services.helpers import STAFF, add_invited_patient, register_online
from tests.services.import_helpers import (
    HEADER,
    audit_actions,
    chart_by_mrn,
    fhir_patient,
    person,
    write_csv,
    write_ndjson,
)


def _import(
    clinic: Clinic, path: Path, rows: list[list[str]], header: tuple[str, ...] = HEADER
) -> ImportReport:
    return clinic.staff.import_patients(write_csv(path, rows, header), actor=STAFF, clear_empty=True)


def test_an_empty_phone_clears_the_chart_and_required_fields_stay(clinic: Clinic, tmp_path: Path) -> None:
    clinic.staff.import_patients(write_csv(tmp_path / "1.csv", [person("C-1")]), actor=STAFF)
    pid = chart_by_mrn(clinic, "C-1").id
    # Empty names or date of birth still reject the row: they are never cleared.
    report = clinic.staff.import_patients(
        write_csv(tmp_path / "2.csv", [person("C-1", Phone="", Address="", Sex=""), person("C-1", DOB="")]),
        actor=STAFF,
        clear_empty=True,
    )
    assert report.updated == [pid] and len(report.rejected) == 1
    chart = chart_by_mrn(clinic, "C-1")
    assert (chart.phone, chart.address_line1, chart.sex) == (None, None, None)
    assert (chart.first_name, chart.last_name, chart.date_of_birth.isoformat()) == (
        "Ana",
        "Lopez",
        "1984-06-02",
    )
    assert (chart.email, chart.zip_code, chart.status, chart.preferred_language) == (
        "ana.lopez@example.com", "02139", "active", "en",
    )  # fmt: skip
    assert audit_actions(clinic, pid)[-1] == "import_update"


def test_by_default_an_empty_cell_leaves_the_chart(clinic: Clinic, tmp_path: Path) -> None:
    clinic.staff.import_patients(write_csv(tmp_path / "1.csv", [person("K-1")]), actor=STAFF)
    report = clinic.staff.import_patients(
        write_csv(tmp_path / "2.csv", [person("K-1", Phone="")]), actor=STAFF
    )
    assert report.unchanged and not report.updated
    assert chart_by_mrn(clinic, "K-1").phone == "(617) 555-0100"


def test_a_column_not_in_the_file_clears_nothing(clinic: Clinic, tmp_path: Path) -> None:
    clinic.staff.import_patients(write_csv(tmp_path / "1.csv", [person("U-1")]), actor=STAFF)
    header = ("MRN", "First Name", "Last Name", "DOB", "City")
    report = _import(clinic, tmp_path / "2.csv", [["U-1", "Ana", "Lopez", "06/02/1984", ""]], header)
    chart = chart_by_mrn(clinic, "U-1")
    assert (chart.city, chart.phone, chart.address_line1) == (None, "(617) 555-0100", "1 Main St")
    assert report.updated == [chart.id]


def test_clearing_the_email_kills_the_live_link(clinic: Clinic, tmp_path: Path) -> None:
    pid = register_online(clinic)  # access off, its confirmation link live
    mrn = clinic.staff.chart(pid).mrn
    row = ["Maria", "Garcia", "1990-01-15"]
    _import(clinic, tmp_path / "x.csv", [[mrn, *row, "", "", "", "", "", "", "60614"]])
    assert clinic.staff.chart(pid).email is None
    with clinic.reading() as session:
        tokens = session.scalars(select(PortalToken).where(PortalToken.patient_id == pid)).all()
    assert tokens and all(token.revoked_at is not None for token in tokens)


def test_the_portal_keeps_its_email_while_access_is_on(clinic: Clinic, tmp_path: Path) -> None:
    pid = add_invited_patient(clinic, "Ana", "Lopez")
    mrn = clinic.staff.chart(pid).mrn
    report = _import(clinic, tmp_path / "x.csv", [person(mrn, DOB="1984-06-02", Email="", Phone="")])
    chart = clinic.staff.chart(pid)
    assert chart.email and chart.phone is None  # the rest of the row is applied
    ((number, message),) = report.warnings
    assert number == 2 and message.startswith("Email was not cleared: The portal needs an email")
    with clinic.reading() as session:
        tokens = session.scalars(select(PortalToken).where(PortalToken.patient_id == pid)).all()
    assert any(token.revoked_at is None for token in tokens)


def test_a_phone_staff_type_after_a_clear_survives_the_same_import(clinic: Clinic, tmp_path: Path) -> None:
    clinic.staff.import_patients(write_csv(tmp_path / "1.csv", [person("R-1")]), actor=STAFF)
    pid = chart_by_mrn(clinic, "R-1").id
    _import(clinic, tmp_path / "2.csv", [person("R-1", Phone="")])
    assert chart_by_mrn(clinic, "R-1").phone is None
    clinic.staff.update_contact(pid, phone="(617) 555-0199", actor=STAFF)  # the patient told the desk
    report = _import(clinic, tmp_path / "3.csv", [person("R-1", Phone="")])
    assert report.unchanged == [pid]
    assert chart_by_mrn(clinic, "R-1").phone == "(617) 555-0199"


def test_a_fhir_patient_without_a_phone_clears_it(clinic: Clinic, tmp_path: Path) -> None:
    phone = {"system": "phone", "value": "617-555-0100"}
    email = {"system": "email", "value": "ben@example.com"}
    clinic.staff.import_patients(
        write_ndjson(tmp_path / "1.ndjson", [fhir_patient("F-1", telecom=[email, phone])]), actor=STAFF
    )
    assert chart_by_mrn(clinic, "F-1").phone == "(617) 555-0100"
    again = write_ndjson(tmp_path / "2.ndjson", [fhir_patient("F-1", telecom=[email])])
    clinic.staff.import_patients(again, actor=STAFF)
    assert chart_by_mrn(clinic, "F-1").phone == "(617) 555-0100"  # by default an absent element keeps it
    clinic.staff.import_patients(again, actor=STAFF, clear_empty=True)
    chart = chart_by_mrn(clinic, "F-1")
    assert (chart.phone, chart.email, chart.city) == (None, "ben@example.com", "Salem")
