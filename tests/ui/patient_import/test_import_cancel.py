"""Cancel in the middle of a bigger file: what was committed stays, a re-run carries on, no duplicates."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.patient_import.import_helpers import (
    Keys,
    charts_in,
    choose_file_by_keys,
    open_dialog,
    write_csv,
)

ROWS = 4000


@pytest.fixture
def window(make_window: Any, clinic: Any) -> Any:
    return make_window(clinic, persist=False, send_mail=False, daily_backup=False)


@pytest.fixture
def big_file(tmp_path: Any) -> Any:
    rows = [
        f"M{n:05d},Pat{n},Tester{n},1980-01-{1 + n % 28:02d},pat{n}@example.com,{10000 + n % 89999:05d}"
        for n in range(ROWS)
    ]
    return write_csv(tmp_path / "nightly.csv", "MRN,First Name,Last Name,DOB,Email,ZIP", rows)


def test_cancel_mid_way_keeps_a_consistent_clinic_and_the_re_run_completes(qtbot, clinic, window, big_file):
    dialog = open_dialog(qtbot, window)
    keys = Keys(qtbot, dialog)
    choose_file_by_keys(qtbot, keys, dialog, big_file)
    with qtbot.waitSignal(dialog.report_shown, timeout=60_000) as checked:
        keys.alt(Qt.Key.Key_C)
    assert len(checked.args[0].created) == ROWS

    seen: list[tuple[int, object]] = []

    def on_progress(done: int, total: object) -> None:
        seen.append((done, total))
        bar = dialog.progress_bar
        assert bar.isVisible() and (bar.value(), bar.maximum()) == (done, ROWS)
        assert dialog.status_label.text() == f"{done} of {ROWS} rows…"
        if done > 0 and dialog.cancel_button.isEnabled():
            keys.alt(Qt.Key.Key_N)  # Cancel, as soon as the first rows are in

    with qtbot.waitSignal(dialog.import_finished, timeout=60_000) as finished:
        keys.alt(Qt.Key.Key_I)  # a mnemonic clicks after the button's short press animation
        qtbot.waitUntil(lambda: dialog.busy, timeout=5000)
        assert dialog.cancel_button.isEnabled()
        assert not dialog.check_button.isEnabled() and not dialog.choose_button.isEnabled()
        dialog.run.progressed.connect(on_progress)
    report = finished.args[0]
    assert seen and seen[0][0] > 0, "the progress bar never moved"
    assert report.cancelled
    assert dialog.progress_bar.isHidden()
    stored = charts_in(clinic)
    assert stored == len(report.created)  # each chart the report names is in, nothing more
    assert 0 < stored < ROWS
    assert "importing the same file again carries on" in dialog.report_view.text()

    # Import again straight away: it carries on where it stopped, without duplicates.
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.import_finished, timeout=120_000) as again:
        keys.alt(Qt.Key.Key_I)
    rerun = again.args[0]
    assert not rerun.cancelled
    assert len(rerun.unchanged) == stored and len(rerun.created) == ROWS - stored
    assert charts_in(clinic) == ROWS


def test_closing_while_importing_stops_first_then_closes(qtbot, clinic, window, big_file):
    dialog = open_dialog(qtbot, window)
    keys = Keys(qtbot, dialog)
    choose_file_by_keys(qtbot, keys, dialog, big_file)
    with qtbot.waitSignal(dialog.report_shown, timeout=60_000):
        dialog.check()
    with qtbot.waitSignal(dialog.import_finished, timeout=60_000) as finished:
        dialog.start_import()
        keys.press(Qt.Key.Key_Escape)  # asks the run to stop; the window waits for it, the GUI does not
        assert dialog.isVisible() and dialog.run.cancel_requested
    assert finished.args[0].cancelled
    qtbot.waitUntil(lambda: window.patient_import.dialog is None, timeout=10_000)  # closed once stopped
    assert charts_in(clinic) < ROWS
