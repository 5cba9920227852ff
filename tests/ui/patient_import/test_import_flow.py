"""The whole import by keyboard on a real SQLite clinic: preview, mapping, dry run, import, report."""

from __future__ import annotations

import csv
import os
import stat
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.patient_import.import_helpers import (
    TIMEOUT,
    Keys,
    charts_in,
    choose_file_by_keys,
    column_of,
    open_dialog,
    write_csv,
)

# "Legacy No" is no alias of the MRN: staff map it by hand.
HEADER = "Legacy No,Given Name,Family Name,DOB,E-mail,Zip"
ROWS = [
    "L-1,Rosa,Diaz,05/01/1970,rosa@example.com,02139",
    "L-2,Omar,Said,1988-09-09,omar@example.com,02140",
    "L-3,Ana,Ng,not a date,ana@example.com,02141",
]


@pytest.fixture
def window(make_window: Any, clinic: Any) -> Any:
    """Single-user mode (no staff accounts): any actor may import."""
    return make_window(clinic, persist=False, send_mail=False, daily_backup=False)


def _stored(dialog: Any, row: int, field: str) -> str:
    return dialog.preview_model.cell(row, column_of(dialog, field))


def test_the_whole_flow_by_keyboard(qtbot, clinic, window, tmp_path):
    path = write_csv(tmp_path / "from-ehr.csv", HEADER, ROWS)
    dialog = open_dialog(qtbot, window)
    keys = Keys(qtbot, dialog)

    # The file, read as the import would: no MRN column known yet, so every row says why not.
    preview = choose_file_by_keys(qtbot, keys, dialog, path)
    assert preview.format == "csv"
    assert dialog.mapping_panel.isVisible()
    assert dialog.mapping_panel.columns() == HEADER.split(",")
    assert dialog.mapping_panel.mapping()["Given Name"] == "first_name"  # an alias
    assert dialog.mapping_panel.mapping()["Legacy No"] == ""  # not known: skipped
    assert dialog.preview_model.rowCount() == 3
    assert all(dialog.preview_model.cell(row, 1).startswith("Rejected: ") for row in range(3))
    assert _stored(dialog, 0, "first_name") == "Rosa"
    assert not dialog.import_button.isEnabled()  # a dry run comes first

    # Tab to the first column's combo and pick MRN with the arrow key: the preview follows.
    keys.press(Qt.Key.Key_Tab)
    keys.press(Qt.Key.Key_Tab)
    assert keys.focused() is dialog.mapping_panel.combo("Legacy No")
    with qtbot.waitSignal(dialog.preview_shown, timeout=TIMEOUT):
        keys.press(Qt.Key.Key_Down)  # "(skip)" → "MRN"
    assert dialog.mapping_panel.mapping()["Legacy No"] == "mrn"
    assert _stored(dialog, 0, "mrn") == "L-1"
    assert _stored(dialog, 0, "date_of_birth") == "1970-05-01"  # a US date, as it will be stored
    assert dialog.preview_model.cell(0, 1) == "OK"
    assert dialog.preview_model.cell(1, 1) == "OK"
    assert dialog.preview_model.cell(2, 1).startswith("Rejected: Date of birth")  # in words, not colour only

    # Keep the mapping for next time.
    with qtbot.waitSignal(dialog.mapping_saved, timeout=TIMEOUT):
        keys.alt(Qt.Key.Key_M)
    assert "Mapping saved" in dialog.message_text()

    # The dry run: would create 2, reject the third row, nothing written.
    with qtbot.waitSignal(dialog.report_shown, timeout=TIMEOUT) as shown:
        keys.alt(Qt.Key.Key_C)
    report = shown.args[0]
    assert report.dry_run and len(report.created) == 2
    assert [n for n, _ in report.rejected] == [4]  # the file's line (the header is line 1)
    assert "Would create 2" in dialog.report_view.text()
    assert "Row 4: not imported — Date of birth" in dialog.report_view.text()
    assert charts_in(clinic) == 0
    assert dialog.import_button.isEnabled()

    # The import, with its progress, then the final report.
    with qtbot.waitSignal(dialog.import_finished, timeout=TIMEOUT) as finished:
        keys.alt(Qt.Key.Key_I)
    report = finished.args[0]
    assert not report.dry_run and not report.cancelled and len(report.created) == 2
    assert charts_in(clinic) == 2
    assert "Created 2" in dialog.report_view.text()
    assert dialog.progress_bar.isHidden()
    assert not dialog.import_button.isEnabled()  # done: importing again needs another check

    # Saved as CSV, owner-only, under a name saying what it holds.
    chooser = dialog.choose_report_file()
    assert chooser.selectedFiles()[0].endswith(f"import-report-{date.today().isoformat()}.csv")
    target = tmp_path / f"import-report-{date.today().isoformat()}.csv"
    with qtbot.waitSignal(dialog.report_saved, timeout=TIMEOUT):
        dialog.save_report(target)
    chooser.close()
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    with target.open(encoding="utf-8", newline="") as saved:
        rows = list(csv.reader(saved))
    assert rows[0] == ["outcome", "patient_id", "row", "message"]
    assert sorted(r[0] for r in rows[1:]) == ["created", "created", "rejected"]
    assert "readable by you only" in dialog.message_text()

    # The window's search finds the new charts at once (it asks the database as staff type).
    qtbot.keyClicks(window.search.field, "Diaz")
    qtbot.waitUntil(
        lambda: (
            window.search.results is not None
            and [row.full_name for row in window.search.results.found()] == ["Rosa Diaz"]
        ),
        timeout=TIMEOUT,
    )


def test_the_saved_mapping_is_used_next_time_and_the_dry_run_counts_each_outcome(
    qtbot, clinic, window, tmp_path
):
    first = write_csv(tmp_path / "monday.csv", HEADER, ROWS[:2])
    dialog = open_dialog(qtbot, window)
    keys = Keys(qtbot, dialog)
    choose_file_by_keys(qtbot, keys, dialog, first)
    with qtbot.waitSignal(dialog.preview_shown, timeout=TIMEOUT):
        dialog.mapping_panel.choose("Legacy No", "mrn")
    with qtbot.waitSignal(dialog.mapping_saved, timeout=TIMEOUT):
        dialog.mapping_panel.save_button.click()
    with qtbot.waitSignal(dialog.report_shown, timeout=TIMEOUT):
        dialog.check()
    with qtbot.waitSignal(dialog.import_finished, timeout=TIMEOUT):
        dialog.start_import()
    keys.press(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.patient_import.dialog is None, timeout=TIMEOUT)

    # Tuesday's file: Rosa's email changed, Omar the same, a new patient, a bad row.
    second = write_csv(
        tmp_path / "tuesday.csv",
        HEADER,
        [
            "L-1,Rosa,Diaz,05/01/1970,rosa.diaz@example.com,02139",
            ROWS[1],
            "L-4,Lena,Berg,2001-02-03,lena@example.com,02142",
            ",Nobody,Known,2001-02-03,,",
        ],
    )
    dialog = open_dialog(qtbot, window)
    keys = Keys(qtbot, dialog)
    choose_file_by_keys(qtbot, keys, dialog, second)
    assert dialog.mapping_panel.mapping()["Legacy No"] == "mrn"  # the saved mapping
    assert dialog.mapping_panel.combo("Legacy No").currentText() == "MRN"
    with qtbot.waitSignal(dialog.report_shown, timeout=TIMEOUT) as shown:
        keys.alt(Qt.Key.Key_C)
    report = shown.args[0]
    assert (len(report.created), len(report.updated), len(report.unchanged)) == (1, 1, 1)
    assert [n for n, _ in report.rejected] == [5]
    assert "Would create 1, update 1, leave 1 unchanged, reject 1" in dialog.report_view.text()
    assert charts_in(clinic) == 2  # a dry run writes nothing


def test_changing_the_mapping_after_the_dry_run_asks_for_another(qtbot, clinic, window, tmp_path):
    path = write_csv(
        tmp_path / "file.csv", "MRN,First Name,Last Name,DOB,Nickname", ["7,Ida,Holm,1950-01-01,Iddy"]
    )
    dialog = open_dialog(qtbot, window)
    keys = Keys(qtbot, dialog)
    choose_file_by_keys(qtbot, keys, dialog, path)
    with qtbot.waitSignal(dialog.report_shown, timeout=TIMEOUT):
        keys.alt(Qt.Key.Key_C)
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.preview_shown, timeout=TIMEOUT):
        dialog.mapping_panel.choose("Nickname", "")
    assert "preferred_name" not in dialog.preview_model.fields
    assert not dialog.import_button.isEnabled()
    assert dialog.report_view.isHidden()


def test_two_columns_for_one_field_are_refused_in_words_until_one_is_skipped(qtbot, clinic, window, tmp_path):
    path = write_csv(tmp_path / "f.csv", "MRN,First Name,Last Name,DOB", ["A1,Ida,Holm,1950-01-01"])
    dialog = open_dialog(qtbot, window)
    keys = Keys(qtbot, dialog)
    choose_file_by_keys(qtbot, keys, dialog, path)
    with qtbot.waitSignal(dialog.failed, timeout=TIMEOUT) as failed:
        dialog.mapping_panel.choose("First Name", "last_name")
    assert "two columns are mapped to last_name" in failed.args[0]
    assert dialog.message_text() == failed.args[0]
    assert not dialog.check_button.isEnabled()
    with qtbot.waitSignal(dialog.preview_shown, timeout=TIMEOUT):
        dialog.mapping_panel.choose("First Name", "")
    assert dialog.message_text() == ""
    assert dialog.check_button.isEnabled()
    assert "first_name" not in dialog.preview_model.fields
