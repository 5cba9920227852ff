"""A FHIR file in the dialog: chosen with the file dialog, no column mapping, rows as they will be stored."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ui.patient_import.import_helpers import TIMEOUT, charts_in, column_of, open_dialog, samples_folder

SAMPLES = samples_folder()
pytestmark = pytest.mark.skipif(SAMPLES is None, reason="../shared/samples/import is not here (CI has it)")


@pytest.fixture
def window(make_window: Any, clinic: Any) -> Any:
    return make_window(clinic, persist=False, send_mail=False, daily_backup=False)


def test_a_bulk_export_is_chosen_previewed_and_imported(qtbot, clinic, window):
    assert SAMPLES is not None
    path = SAMPLES / "bulk-ndjson" / "10-patients" / "Patient.000.ndjson"
    dialog = open_dialog(qtbot, window)
    chooser = dialog.choose_file()
    assert chooser.objectName() == "importFileChooser"
    offered = " ".join(chooser.nameFilters())
    assert "*.csv" in offered and "*.ndjson" in offered and "*.json" in offered
    with qtbot.waitSignal(dialog.preview_shown, timeout=TIMEOUT) as shown:
        chooser.selectFile(str(path))
        chooser.accept()
    preview = shown.args[0]
    assert preview.format == "fhir-ndjson"
    assert dialog.mapping_panel.isHidden()  # FHIR has no columns to map
    assert dialog.preview_model.rowCount() == len(preview.rows) > 0
    assert "FHIR NDJSON" in dialog.file_info.text()
    first = preview.rows[0]
    if first.problem is None:
        assert dialog.preview_model.cell(0, column_of(dialog, "last_name")) == first.values["last_name"]
    with qtbot.waitSignal(dialog.report_shown, timeout=TIMEOUT) as checked:
        dialog.check()
    dry = checked.args[0]
    with qtbot.waitSignal(dialog.import_finished, timeout=TIMEOUT) as finished:
        dialog.start_import()
    report = finished.args[0]
    assert len(report.created) == len(dry.created)
    assert charts_in(clinic) == len(report.created)
    assert report.rows_read == 13  # one patient a line: each imported or rejected with a reason
    outcomes = len(report.created) + len(report.updated) + len(report.unchanged) + len(report.rejected)
    assert outcomes == report.rows_read
