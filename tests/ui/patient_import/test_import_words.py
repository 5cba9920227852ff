"""The report's words and its CSV file: plain reasons, bounded lists, owner-only, spreadsheet-safe."""

from __future__ import annotations

import csv
import os
import stat
from datetime import date

import pytest

from clinic_desk.domain.patient_import import ImportReport
from clinic_desk.ui.patient_import.import_words import (
    LISTED,
    detail_lines,
    reason_words,
    report_file_name,
    summary_words,
)
from clinic_desk.ui.patient_import.report_file import save_report_csv


def test_file_names_say_what_the_report_holds():
    day = date(2026, 11, 27)
    assert report_file_name(ImportReport(), day) == "import-report-2026-11-27.csv"
    assert report_file_name(ImportReport(dry_run=True), day) == "import-dry-run-report-2026-11-27.csv"


def test_a_reason_is_said_once_beside_its_row_number():
    assert reason_words(4, "Row 4: MRN is missing.") == "MRN is missing."
    assert reason_words(4, "Row 40: MRN is missing.") == "Row 40: MRN is missing."  # another row's: kept


def test_long_lists_are_cut_and_say_the_rest_is_in_the_saved_report():
    report = ImportReport(rejected=[(n, f"Row {n}: MRN is missing.") for n in range(2, LISTED + 52)])
    lines = detail_lines(report)
    assert len(lines) == LISTED + 1
    assert lines[0] == "Row 2: not imported — MRN is missing."
    assert lines[-1] == "… and 50 more rejected rows (all in the saved report)."


@pytest.mark.parametrize(
    ("report", "words"),
    [
        (ImportReport(dry_run=True), "Nothing has been saved yet"),
        (ImportReport(dry_run=True, cancelled=True), "The check stopped: nothing was saved."),
        (ImportReport(cancelled=True), "importing the same file again carries on without duplicates"),
    ],
)
def test_the_summary_says_what_it_means_now(report, words):
    assert words in summary_words(report)
    assert summary_words(report).startswith(report.summary())


def test_the_saved_report_is_owner_only_whole_and_safe_in_a_spreadsheet(tmp_path):
    report = ImportReport(created=[1, 2], rejected=[(5, "Row 5: =HYPERLINK(1) is not a date.")])
    target = tmp_path / "import-report.csv"
    assert save_report_csv(report, target) == 3
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert not list(tmp_path.glob("*.part"))
    with target.open(encoding="utf-8", newline="") as saved:
        rows = list(csv.reader(saved))
    assert rows[-1] == ["rejected", "", "5", "Row 5: =HYPERLINK(1) is not a date."]  # starts with "Row": safe
    report.rejected = [(6, "=HYPERLINK(1)")]
    again = tmp_path / "again.csv"
    save_report_csv(report, again)
    with again.open(encoding="utf-8", newline="") as saved:
        assert list(csv.reader(saved))[-1][3] == "'=HYPERLINK(1)"


def test_a_save_that_fails_leaves_no_file_behind(tmp_path):
    target = tmp_path / "no-folder" / "r.csv"
    with pytest.raises(OSError):
        save_report_csv(ImportReport(created=[1]), target)
    assert not target.exists()
