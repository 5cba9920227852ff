"""The report's words and its CSV file: plain reasons, bounded lists, owner-only, spreadsheet-safe."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from clinic_desk.domain.patient_import import ImportReport, PreviewRow
from clinic_desk.ui.patient_import.import_words import (
    LISTED,
    detail_lines,
    reason_words,
    report_file_name,
    summary_words,
)
from clinic_desk.ui.patient_import.preview_model import PreviewModel


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


def test_values_left_out_are_listed_with_their_rows():
    report = ImportReport(created=[1], warnings=[(3, "Phone '555-0100' was not imported: it is not a US …")])
    assert detail_lines(report) == ["Row 3: Phone '555-0100' was not imported: it is not a US …"]
    assert summary_words(report).startswith(
        "Created 1, updated 0, 0 unchanged, 0 rejected; 1 value not imported."
    )


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


def test_the_preview_says_which_value_a_row_comes_in_without(qtbot):
    model = PreviewModel()
    phone = "Phone '555-0100' was not imported: it is not a US phone number."
    rows = [
        PreviewRow(2, {"mrn": "1"}),
        PreviewRow(3, {"mrn": "2"}, warnings=(phone,)),
        PreviewRow(4, {}, "Row 4: MRN is missing."),
    ]
    model.set_preview(rows, ["mrn"])
    assert [model.cell(row, 1) for row in range(3)] == ["OK", f"OK, but {phone}", "Rejected: MRN is missing."]
    spoken = model.data(model.index(1, 1), Qt.ItemDataRole.AccessibleTextRole)
    assert spoken == f"Row 3: OK, but {phone}"
