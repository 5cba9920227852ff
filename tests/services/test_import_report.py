"""The one writer of an import's report file (the command line and the dialog share it):
owner-only, whole or not at all, every cell safe in a spreadsheet. No database involved."""

from __future__ import annotations

import csv
import os
import stat

import pytest

from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.patient_import import ImportReport
from clinic_desk.services.import_report import save_import_report


def test_the_saved_report_is_owner_only_whole_and_safe_in_a_spreadsheet(tmp_path) -> None:
    report = ImportReport(created=[1, 2], rejected=[(5, "Row 5: =HYPERLINK(1) is not a date.")])
    target = tmp_path / "import-report.csv"
    assert save_import_report(report, target) == 3
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert not list(tmp_path.glob("*.part"))
    with target.open(encoding="utf-8", newline="") as saved:
        rows = list(csv.reader(saved))
    assert rows[-1] == ["rejected", "", "5", "Row 5: =HYPERLINK(1) is not a date."]  # starts with "Row": safe
    report.rejected = [(6, "=HYPERLINK(1)")]
    again = tmp_path / "again.csv"
    save_import_report(report, again)
    with again.open(encoding="utf-8", newline="") as saved:
        assert list(csv.reader(saved))[-1][3] == "'=HYPERLINK(1)"


def test_a_save_that_fails_leaves_no_file_behind(tmp_path) -> None:
    target = tmp_path / "no-folder" / "r.csv"
    with pytest.raises(ValidationError, match="cannot be saved there"):
        save_import_report(ImportReport(created=[1]), target)
    assert not target.exists()


def test_an_existing_report_is_replaced_whole_and_stays_owner_only(tmp_path) -> None:
    target = tmp_path / "r.csv"
    target.write_text("old,stuff\n" * 100)
    target.chmod(0o644)
    report = ImportReport(dry_run=True, created=[1], warnings=[(4, "+Phone '555' was not imported: …")])
    assert save_import_report(report, target) == 2
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    with target.open(encoding="utf-8", newline="") as saved:
        assert list(csv.reader(saved)) == [
            ["outcome", "patient_id", "row", "message"], ["would create", "1", "", ""],
            ["warning", "", "4", "'+Phone '555' was not imported: …"],
        ]  # fmt: skip
