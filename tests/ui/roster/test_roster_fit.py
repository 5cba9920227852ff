"""The roster's table fits a 1024x768 screen: no sideways scrolling; cut words are whole in tooltips."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from clinic_desk.ui.roster.roster_words import COLOR_COLUMN, COLUMNS, REASON_COLUMN


@pytest.mark.parametrize("width", [1024 - 40, 1366 - 40])  # what fit_to_screen leaves on those screens
def test_every_column_fits_the_window_without_scrolling_sideways(
    qtbot: Any, roster_clinic: Any, open_roster: Any, width: int
) -> None:
    roster = open_roster(roster_clinic)
    roster.resize(width, 700)
    qtbot.waitUntil(lambda: roster.width() == width)
    table, header = roster.table, roster.table.horizontalHeader()
    qtbot.waitUntil(lambda: header.length() <= table.viewport().width())
    assert not table.horizontalScrollBar().isVisible()
    assert table.horizontalScrollBar().maximum() == 0
    for column in range(len(COLUMNS)):
        assert header.sectionViewportPosition(column) + header.sectionSize(column) <= table.viewport().width()
    assert header.sectionSize(REASON_COLUMN) >= 150  # the main reason keeps room to be read


def test_cut_words_are_whole_in_the_tooltip(qtbot: Any, roster_clinic: Any, open_roster: Any) -> None:
    roster = open_roster(roster_clinic)
    model = roster.model
    for column in (0, COLOR_COLUMN, REASON_COLUMN):
        index = model.index(0, column)
        assert model.data(index, Qt.ItemDataRole.ToolTipRole) == model.data(index)
    assert roster.table.textElideMode() == Qt.TextElideMode.ElideRight
