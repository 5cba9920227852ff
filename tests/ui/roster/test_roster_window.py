"""The portal roster window: counts, count and text filters, sorting, paging, keyboard, opening a patient."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QWidget

from clinic_desk.domain import codes
from clinic_desk.domain.roster import RosterFilter
from clinic_desk.ui.roster.roster_model import PAGE_SIZE
from clinic_desk.ui.roster.roster_words import COLOR_WORDS, COLUMNS, REASON_WORDS, TROUBLE_WORDS
from tests.ui.roster.conftest import CHARTS, all_rows, load_all, wait_rows


def shown_ids(roster: Any) -> list[int]:
    return [row.patient_id for row in roster.model.rows()]


def test_the_menu_entry_opens_one_roster_with_names_for_everything(
    qtbot: Any, roster_clinic: Any, open_roster: Any
) -> None:
    roster = open_roster(roster_clinic)
    window = roster.host
    action = window.roster_tools.action
    assert action.shortcut().toString() == "Ctrl+Shift+R"
    assert action in window.menuBar().findChild(QMenu, "patientMenu").actions()
    action.trigger()
    assert window.roster_tools.roster is roster  # one roster at a time: the same one comes up
    assert roster.objectName() == "portalRoster"
    assert roster.accessibleName() and roster.accessibleDescription()
    for widget in [roster.bar.field, roster.bar.sort_box, roster.table, *roster.counts.buttons.values()]:
        assert widget.objectName() and widget.accessibleName(), widget
    for name in ("rosterExport", "rosterPrint", "rosterInvite", "rosterAdoptionArea", "rosterStatus"):
        widget = roster.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.accessibleName() or name == "rosterAdoptionArea", name


def test_counts_shown_equal_the_clinics_counts(qtbot: Any, roster_clinic: Any, open_roster: Any) -> None:
    roster = open_roster(roster_clinic)
    counts = roster_clinic.roster_counts("")
    assert counts.total == CHARTS
    buttons = roster.counts.buttons
    for color in codes.COLORS:
        assert buttons[color].count == counts.by_color.get(color, 0)
        assert buttons[color].text().startswith(COLOR_WORDS[color])
        assert not buttons[color].icon().isNull()  # the glyph says the colour without colour
    for reason, words in REASON_WORDS.items():
        assert buttons[reason].count == counts.by_reason.get(reason, 0)
        assert words in buttons[reason].accessibleName()
    for trouble, words in TROUBLE_WORDS.items():
        assert buttons[trouble].count == counts.by_trouble.get(trouble, 0)
        assert words in buttons[trouble].text()
    assert buttons["red"].count == buttons[codes.MISSING_EMAIL].count > 0
    assert f"{CHARTS:,} patients" in roster.counts.total_label.text()


def test_clicking_a_count_filters_and_clicking_again_shows_all(
    qtbot: Any, roster_clinic: Any, open_roster: Any
) -> None:
    roster = open_roster(roster_clinic)
    gold = roster.counts.buttons["gold"]
    qtbot.mouseClick(gold, Qt.MouseButton.LeftButton)
    assert roster.current_filter() == RosterFilter(color="gold")
    load_all(qtbot, roster)
    rows = roster.model.rows()
    assert len(rows) == gold.count > 0
    assert {row.color for row in rows} == {"gold"}
    assert gold.isChecked()

    qtbot.mouseClick(gold, Qt.MouseButton.LeftButton)  # again: everyone
    assert roster.current_filter() == RosterFilter()
    wait_rows(qtbot, roster, PAGE_SIZE)

    missing = roster.counts.buttons[codes.MISSING_EMAIL]
    missing.setFocus()
    qtbot.keyClick(missing, Qt.Key.Key_Return)  # Enter on a count chooses it too
    assert roster.current_filter() == RosterFilter(reason=codes.MISSING_EMAIL)
    load_all(qtbot, roster)
    assert {row.color for row in roster.model.rows()} == {"red"}
    assert roster.model.rowCount() == missing.count
    qtbot.mouseClick(roster.counts.show_all_button, Qt.MouseButton.LeftButton)
    assert roster.current_filter() == RosterFilter()
    assert not missing.isChecked()


def test_typing_filters_rows_and_counts_and_esc_clears(
    qtbot: Any, roster_clinic: Any, open_roster: Any
) -> None:
    roster = open_roster(roster_clinic)
    target = all_rows(roster_clinic)[5]
    qtbot.keyClicks(roster.bar.field, target.mrn)
    wait_rows(qtbot, roster, 1)
    assert shown_ids(roster) == [target.patient_id]
    qtbot.waitUntil(lambda: roster.counts.total_label.text() == "1 patient")
    assert roster.counts.buttons[target.color].count == 1
    assert roster.current_filter().text == target.mrn

    qtbot.keyClick(roster.bar.field, Qt.Key.Key_Escape)
    assert roster.bar.field.text() == ""
    wait_rows(qtbot, roster, PAGE_SIZE)
    qtbot.waitUntil(lambda: roster.counts.total_label.text() == f"{CHARTS:,} patients")


@pytest.mark.parametrize("column", [i for i, spec in enumerate(COLUMNS) if spec.sort])
def test_clicking_a_sortable_header_sorts_both_ways(
    qtbot: Any, roster_clinic: Any, open_roster: Any, column: int
) -> None:
    roster = open_roster(roster_clinic)
    sort = COLUMNS[column].sort
    header = roster.table.horizontalHeader()
    for descending in (
        (False, True) if column else (True, False)
    ):  # Name starts ascending: first click turns it
        header.sectionClicked.emit(column)
        assert roster.current_sort() == (sort, descending)
        assert header.sortIndicatorSection() == column
        wait_rows(qtbot, roster, PAGE_SIZE)
        expected = all_rows(roster_clinic, sort=sort, descending=descending)
        assert shown_ids(roster) == [row.patient_id for row in expected[:PAGE_SIZE]]
        assert roster.bar.sort_box.currentData() == (sort, descending)


def test_unsortable_headers_keep_the_sort(qtbot: Any, roster_clinic: Any, open_roster: Any) -> None:
    roster = open_roster(roster_clinic)
    roster.set_sort("mrn", True)
    wait_rows(qtbot, roster, PAGE_SIZE)
    before = shown_ids(roster)
    roster.table.horizontalHeader().sectionClicked.emit(4)  # main reason: not sortable
    assert roster.current_sort() == ("mrn", True)
    assert roster.table.horizontalHeader().sortIndicatorSection() == 1
    wait_rows(qtbot, roster, PAGE_SIZE)
    assert shown_ids(roster) == before


def test_pages_come_in_as_the_table_scrolls(qtbot: Any, roster_clinic: Any, open_roster: Any) -> None:
    roster = open_roster(roster_clinic)
    assert roster.model.rowCount() == PAGE_SIZE
    assert roster.model.has_more
    load_all(qtbot, roster)
    assert roster.model.rowCount() == CHARTS
    assert not roster.model.canFetchMore(roster.table.rootIndex())
    assert shown_ids(roster) == [row.patient_id for row in all_rows(roster_clinic)]
    assert len(set(shown_ids(roster))) == CHARTS


def test_a_page_for_an_older_filter_is_dropped(qtbot: Any, roster_clinic: Any, open_roster: Any) -> None:
    roster = open_roster(roster_clinic)
    roster.counts.choose("red")
    roster.counts.choose("blue")  # before red's page could arrive
    wait_rows(qtbot, roster)
    assert {row.color for row in roster.model.rows()} == {"blue"}


def test_keyboard_moves_and_enter_opens_the_dash(qtbot: Any, roster_clinic: Any, open_roster: Any) -> None:
    roster = open_roster(roster_clinic)
    table = roster.table
    table.setFocus()
    table.setCurrentIndex(roster.model.index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.currentIndex().row() == 2
    qtbot.keyClick(table, Qt.Key.Key_PageDown)
    assert table.currentIndex().row() > 2
    qtbot.keyClick(table, Qt.Key.Key_PageUp)
    qtbot.keyClick(table, Qt.Key.Key_Up)
    row = table.currentIndex().row()
    target = roster.model.row_at(row)
    assert target is not None
    window = roster.host
    with qtbot.waitSignal(window.patient_opened, timeout=10_000) as opened:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened.args == [target.patient_id]
    assert window.session.patient_id == target.patient_id


def test_double_click_opens_the_dash(qtbot: Any, roster_clinic: Any, open_roster: Any) -> None:
    roster = open_roster(roster_clinic)
    index = roster.model.index(3, 1)
    target = roster.model.row_at(3)
    rect = roster.table.visualRect(index)
    with qtbot.waitSignal(roster.host.patient_opened, timeout=10_000) as opened:
        qtbot.mouseClick(roster.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(roster.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [target.patient_id]


def test_rows_say_colour_in_words_and_glyph(qtbot: Any, roster_clinic: Any, open_roster: Any) -> None:
    roster = open_roster(roster_clinic)
    model = roster.model
    for row_number in range(6):
        row = model.row_at(row_number)
        index = model.index(row_number, 3)
        assert model.data(index) == COLOR_WORDS[row.color]
        assert model.data(index, Qt.ItemDataRole.DecorationRole) is not None
        assert model.data(model.index(row_number, 1)) == row.mrn
        assert model.data(model.index(row_number, 4)) == row.main_reason_words
        assert row.mrn in model.data(model.index(row_number, 0), Qt.ItemDataRole.AccessibleTextRole)


def test_the_adoption_chart_shows_todays_record(qtbot: Any, roster_clinic: Any, open_roster: Any) -> None:
    roster = open_roster(roster_clinic)
    chart = roster.adoption_area.chart
    qtbot.waitUntil(lambda: chart.adoption is not None, timeout=10_000)
    assert chart.adoption == roster_clinic.adoption(12)
    month = chart.adoption.months[-1]  # opening the roster recorded today's colours
    counts = roster_clinic.roster_counts("").by_color
    assert (month.red, month.gold, month.blue) == (counts["red"], counts["gold"], counts["blue"])
    assert not roster_clinic.record_daily_status()  # once a day
    assert roster.splitter.indexOf(roster.adoption_area) == 1


def test_the_adoption_chart_toggles_and_a_small_screen_starts_without_it(
    qtbot: Any, roster_clinic: Any, open_roster: Any
) -> None:
    from clinic_desk.ui.roster.roster_tools import CHART_ROOM

    roster = open_roster(roster_clinic)
    free = roster.screen().availableGeometry()
    assert roster.height() <= free.height()
    assert roster.minimumSizeHint().width() <= 1024 - 40  # the smallest screen the desk serves
    toggle, area = roster.adoption_area.toggle, roster.adoption_area
    assert toggle.isChecked() == (free.height() >= CHART_ROOM) == area.isVisible()
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert area.isVisible() == toggle.isChecked()
    toggle.setFocus()
    qtbot.keyClick(toggle, Qt.Key.Key_Space)
    assert area.isVisible() == toggle.isChecked()
