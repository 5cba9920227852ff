"""Keyboard only: Tab reaches every control in screen order; each has a name a screen reader says."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from tests.ui.patient_import.import_helpers import Keys, choose_file_by_keys, open_dialog, write_csv


@pytest.fixture
def window(make_window: Any, clinic: Any) -> Any:
    return make_window(clinic, persist=False, send_mail=False, daily_backup=False)


def test_tab_walks_file_columns_preview_and_buttons_and_each_is_named(qtbot, clinic, window, tmp_path):
    path = write_csv(tmp_path / "f.csv", "MRN,First Name,Last Name,DOB", ["A1,Ida,Holm,1950-01-01"])
    dialog = open_dialog(qtbot, window)
    keys = Keys(qtbot, dialog)
    choose_file_by_keys(qtbot, keys, dialog, path)
    with qtbot.waitSignal(dialog.report_shown, timeout=20_000):
        keys.alt(Qt.Key.Key_C)
    dialog.path_field.setFocus()
    visited: list[str] = []
    for _ in range(20):
        visited.append(keys.focused().objectName())
        keys.press(Qt.Key.Key_Tab)
        if keys.focused() is dialog.path_field:
            break
    combos = [f"importMappingCombo{n}" for n in range(4)]
    assert visited == [
        "importFilePath",
        "importChooseButton",
        *combos,
        "importSaveMappingButton",
        "importPreview",
        "importClearEmpty",
        "importCheckButton",
        "importStartButton",
        "importSaveReportButton",
        "importCloseButton",
    ]  # the report's list is hidden (nothing rejected) and Cancel is off: Tab skips them
    for widget in [dialog, *dialog.findChildren(QWidget)]:
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisibleTo(dialog):
            assert widget.objectName(), widget
            assert widget.accessibleName(), widget.objectName()
    assert dialog.mapping_panel.combo("DOB").accessibleName() == "Field for column DOB"
