"""The dialog's "Empty cells clear what the chart has" choice reaches the dry run and the import."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.services.helpers import STAFF
from tests.services.import_helpers import chart_by_mrn
from tests.ui.patient_import.import_helpers import TIMEOUT, Keys, choose_file_by_keys, open_dialog, write_csv

HEADER = "MRN,First Name,Last Name,DOB,Phone"


@pytest.fixture
def window(make_window: Any, clinic: Any) -> Any:
    """Single-user mode (no staff accounts): any actor may import."""
    return make_window(clinic, persist=False, send_mail=False, daily_backup=False)


def test_an_empty_phone_clears_only_when_staff_tick_the_box(qtbot, clinic, window, tmp_path):
    first = write_csv(tmp_path / "first.csv", HEADER, ["P-1,Rosa,Diaz,05/01/1970,617-555-0100"])
    clinic.staff.import_patients(first, actor=STAFF)
    path = write_csv(tmp_path / "empty.csv", HEADER, ["P-1,Rosa,Diaz,05/01/1970,"])
    dialog = open_dialog(qtbot, window)
    keys = Keys(qtbot, dialog)
    choose_file_by_keys(qtbot, keys, dialog, path)
    box = dialog.clear_empty_box
    assert box.objectName() == "importClearEmpty" and not box.isChecked()  # off by default

    with qtbot.waitSignal(dialog.report_shown, timeout=TIMEOUT) as shown:
        keys.alt(Qt.Key.Key_C)
    assert shown.args[0].updated == [] and len(shown.args[0].unchanged) == 1

    keys.alt(Qt.Key.Key_E)  # the mnemonic ticks the box (an animated click)
    qtbot.waitUntil(box.isChecked, timeout=TIMEOUT)
    assert not dialog.import_button.isEnabled()  # the check said nothing about this choice
    with qtbot.waitSignal(dialog.report_shown, timeout=TIMEOUT) as shown:
        keys.alt(Qt.Key.Key_C)
    assert shown.args[0].dry_run and len(shown.args[0].updated) == 1
    assert chart_by_mrn(clinic, "P-1").phone == "(617) 555-0100"  # a dry run writes nothing

    with qtbot.waitSignal(dialog.import_finished, timeout=TIMEOUT) as finished:
        keys.alt(Qt.Key.Key_I)
    assert not finished.args[0].dry_run and len(finished.args[0].updated) == 1
    assert chart_by_mrn(clinic, "P-1").phone is None
