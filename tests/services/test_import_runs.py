"""How an import runs: cancel and resume, dry run, permissions, preview and the saved mapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_desk import Clinic, NotAllowed, ValidationError
from clinic_desk.domain.patient_import import report_rows
from clinic_desk.services import patient_import
from tests.services.helpers import STAFF
from tests.services.import_helpers import audit_actions, person, write_csv
from tests.services.staff_helpers import add_team, table_prints


def _people(count: int) -> list[list[str]]:
    return [person(f"R-{n}", "Ana", f"Lopez{chr(97 + n % 26)}{n}") for n in range(count)]


def test_cancel_keeps_whole_batches_and_a_rerun_finishes_without_duplicates(
    clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(patient_import, "BATCH_ROWS", 3)
    file = write_csv(tmp_path / "big.csv", _people(10))
    heard: list[tuple[int, int | None]] = []

    def stop_after_two_batches(done: int, total: int | None) -> bool:
        heard.append((done, total))
        return len(heard) < 2

    report = clinic.staff.import_patients(file, actor=STAFF, progress=stop_after_two_batches)
    assert report.cancelled and len(report.created) == 6
    assert heard == [(3, 10), (6, 10)]
    assert clinic.count_by_color()["gold"] == 6  # the kept counts include what was committed
    rest = clinic.staff.import_patients(file, actor=STAFF)
    assert (len(rest.created), len(rest.unchanged), rest.cancelled) == (4, 6, False)
    assert sum(clinic.count_by_color().values()) == 10
    assert audit_actions(clinic).count("import_patient") == 10


def test_a_repeated_mrn_in_one_file_updates_the_chart_it_made(clinic: Clinic, tmp_path: Path) -> None:
    file = write_csv(tmp_path / "twice.csv", [person("T-1"), person("T-1", City="Cambridge")])
    report = clinic.staff.import_patients(file, actor=STAFF)
    assert (len(report.created), report.updated) == (1, report.created)


def test_a_dry_run_writes_nothing_and_reports_the_same(clinic: Clinic, tmp_path: Path) -> None:
    clinic.staff.import_patients(write_csv(tmp_path / "1.csv", [person("Y-1")]), actor=STAFF)
    file = write_csv(tmp_path / "2.csv", [person("Y-1", City="Salem"), person("Y-2", "Bo"), person("")])
    before = table_prints(clinic, (*("audit_log", "patients", "portal_accounts"), "import_values"))
    dry = clinic.staff.import_patients(file, actor=STAFF, dry_run=True)
    assert table_prints(clinic, (*("audit_log", "patients", "portal_accounts"), "import_values")) == before
    assert (dry.dry_run, len(dry.created), len(dry.updated), len(dry.rejected)) == (True, 1, 1, 1)
    real = clinic.staff.import_patients(file, actor=STAFF)
    assert (len(real.created), real.updated, real.rejected) == (1, dry.updated, dry.rejected)
    assert report_rows(dry)[0] == ("outcome", "patient_id", "row", "message")
    assert [row[0] for row in report_rows(dry)[1:]] == ["would create", "updated", "rejected"]


def test_managers_and_admins_only(clinic: Clinic, tmp_path: Path) -> None:
    team = add_team(clinic)
    file = write_csv(tmp_path / "p.csv", [person("M-1")])
    before = table_prints(clinic)
    with pytest.raises(NotAllowed):
        clinic.staff.import_patients(file, actor=team.front_desk)
    with pytest.raises(NotAllowed):
        clinic.staff.import_patients(file, actor=team.front_desk, dry_run=True)
    with pytest.raises(NotAllowed):
        clinic.staff.save_import_mapping({"Kennung": "mrn"}, actor=team.front_desk)
    assert table_prints(clinic) == before
    assert len(clinic.staff.import_patients(file, actor=team.manager).created) == 1


def test_preview_shows_rows_as_stored_and_a_saved_mapping_is_used_next_time(
    clinic: Clinic, tmp_path: Path
) -> None:
    header = ("Kennung", "Given Name", "SURNAME", "BIRTHDATE", "Postal Code")
    file = write_csv(
        tmp_path / "p.csv",
        [("K-1", "ana", "Lopez", "2/3/1980", "2139"), ("K-2", "Bo", "Ek", "1980-02-03", "")],
        header,
    )
    preview = clinic.staff.preview_import(file)
    assert (preview.format, preview.columns) == ("csv", header)
    assert "Kennung" not in preview.mapping and preview.mapping["BIRTHDATE"] == "date_of_birth"
    assert all("MRN is missing" in (row.problem or "") for row in preview.rows)
    mapped = clinic.staff.preview_import(file, mapping={"Kennung": "mrn"}, rows=1)
    assert len(mapped.rows) == 1 and mapped.rows[0].problem is None  # imported, without its ZIP code
    assert "zip_code" not in mapped.rows[0].values
    assert mapped.rows[0].warnings == (
        "ZIP code '2139' was not imported: it is not a US ZIP code — ZIP codes have 5 digits; if it starts "
        "with 0, type it in full (02139).",
    )
    clinic.staff.save_import_mapping({"Kennung": "mrn"}, actor=STAFF)
    assert clinic.settings.csv_import_mapping == {"Kennung": "mrn"}
    row = clinic.staff.preview_import(file).rows[1]
    assert (row.problem, row.values["mrn"], row.values["date_of_birth"]) == (None, "K-2", "1980-02-03")
    with pytest.raises(ValidationError, match="not a field"):
        clinic.staff.save_import_mapping({"Kennung": "shoe_size"}, actor=STAFF)


def test_a_request_id_imports_once(clinic: Clinic, tmp_path: Path) -> None:
    file = write_csv(tmp_path / "r.csv", [person("Q-1")])
    first = clinic.staff.import_patients(file, actor=STAFF, request_id="import-1")
    again = clinic.staff.import_patients(file, actor=STAFF, request_id="import-1")
    assert again == first and audit_actions(clinic).count("import_patients") == 1


def test_a_batch_of_many_entries_seals_them_in_bulk_and_the_chain_holds(
    clinic: Clinic, tmp_path: Path
) -> None:
    clinic.staff.add_patient(first_name="Cy", last_name="Do", date_of_birth="1990-01-01", actor=STAFF)
    report = clinic.staff.import_patients(write_csv(tmp_path / "many.csv", _people(120)), actor=STAFF)
    assert len(report.created) == 120
    changed = [person(f"R-{n}", "Ana", f"Lopez{chr(97 + n % 26)}{n}", City="Salem") for n in range(60)]
    again = clinic.staff.import_patients(write_csv(tmp_path / "again.csv", changed), actor=STAFF)
    assert len(again.updated) == 60
    assert audit_actions(clinic).count("import_patient") == 120
    assert audit_actions(clinic).count("import_update") == 60
    check = clinic.verify_audit()
    assert check.ok, check
    clinic.staff.add_patient(first_name="Di", last_name="Ek", date_of_birth="1991-01-01", actor=STAFF)
    assert clinic.verify_audit().ok  # the chain goes on from the bulk-written end
