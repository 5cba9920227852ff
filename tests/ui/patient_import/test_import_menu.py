"""File ▸ Import patients…: managers and administrators only; front desk sees who may."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QMenu

from clinic_desk.domain.roles import Permission, refusal
from tests.ui.admin.staff_helpers import add_staff, make_signed_in_window


@pytest.fixture
def staff(clinic: Any) -> dict[str, Any]:
    return add_staff(clinic)


def test_front_desk_cannot_open_it_and_is_told_who_may(qtbot, clinic, staff, make_window):
    window = make_signed_in_window(make_window, clinic, staff["front_desk"])
    action = window.patient_import.action
    file_menu = window.menuBar().findChild(QMenu, "fileMenu")
    assert action in file_menu.actions()
    assert action.objectName() == "importPatientsAction"
    assert not action.isEnabled()
    assert action.toolTip() == refusal(Permission.IMPORT_PATIENTS)
    assert window.patient_import.open_dialog() is None
    assert window.patient_import.dialog is None
    assert window.statusBar().currentMessage() == refusal(Permission.IMPORT_PATIENTS)


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_managers_and_administrators_open_one_dialog(qtbot, clinic, staff, make_window, role):
    window = make_signed_in_window(make_window, clinic, staff[role])
    action = window.patient_import.action
    assert action.isEnabled()
    action.trigger()
    dialog = window.patient_import.dialog
    assert dialog is not None and dialog.objectName() == "importDialog"
    qtbot.waitExposed(dialog)
    assert dialog.accessibleName() == "Import patients"
    assert window.patient_import.open_dialog() is dialog  # one at a time
    dialog.close()
    qtbot.waitUntil(lambda: window.patient_import.dialog is None, timeout=5000)


def test_signing_out_to_front_desk_disables_it_again(qtbot, clinic, staff, make_window):
    window = make_signed_in_window(make_window, clinic, staff["manager"])
    assert window.patient_import.action.isEnabled()
    window.set_staff_member(staff["front_desk"])
    assert not window.patient_import.action.isEnabled()


def test_a_refusal_from_the_services_is_shown_in_words_and_nothing_is_imported(
    qtbot, clinic, staff, make_window, tmp_path
):
    window = make_signed_in_window(make_window, clinic, staff["manager"])
    path = tmp_path / "f.csv"
    path.write_text("MRN,First Name,Last Name,DOB\nA1,Ida,Holm,1950-01-01\n", encoding="utf-8")
    dialog = window.patient_import.open_dialog()
    with qtbot.waitSignal(dialog.preview_shown, timeout=20_000):
        dialog.open_file(path)
    # Meanwhile an administrator makes the manager front desk: the services refuse, the window says so.
    clinic.admin.set_staff_role("dkim", "front_desk", actor="alee")
    with qtbot.waitSignal(dialog.failed, timeout=20_000) as failed:
        dialog.check()
    assert failed.args[0] == "The check stopped: " + refusal(Permission.IMPORT_PATIENTS)
    assert dialog.message_text() == failed.args[0]
    assert not dialog.busy and dialog.check_button.isEnabled()
    assert sum(clinic.count_by_color().values()) == 0
