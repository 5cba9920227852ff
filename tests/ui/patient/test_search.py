"""The patient search box driven by keys alone, against a real SQLite clinic with 25 Nguyens.

Enter opens only a highlighted row; the only match and an MRN typed in full open at
once; the status line says what Enter will do and when the list is cut short.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleEvent, QColor
from PySide6.QtWidgets import QMainWindow, QVBoxLayout, QWidget

from clinic_desk import Clinic
from clinic_desk.ui.colors import ACCENT
from clinic_desk.ui.patient.search import ASK_LIMIT, RESULT_LIMIT, PatientSearchBox
from clinic_desk.ui.style import STYLESHEET

# Twelve first names start with "Th": "Nguyen Th" lists 12 patients, "Nguyen" all 25.
TH_NAMES = ["Thach", "Thai", "Tham", "Than", "Thang", "Thanh", "Thao", "Theo", "Thi", "Thinh", "Thu", "Thuy"]
OTHER_NAMES = [
    "Anh",
    "Bao",
    "Chi",
    "Duc",
    "Hoa",
    "Khanh",
    "Lan",
    "Minh",
    "Ngoc",
    "Phuong",
    "Quang",
    "Vy",
    "Yen",
]
NEVER_OPENED = 300  # ms a test waits to be sure Enter opened nothing


@pytest.fixture(scope="module")
def nguyen_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A clinic file with 25 Nguyens and Ruth Baker, whose phone starts with Anh Nguyen's MRN."""
    path = tmp_path_factory.mktemp("search") / "nguyens.db"
    clinic = Clinic.open(f"sqlite:///{path}")
    try:
        ids = {}
        for number, first in enumerate(OTHER_NAMES + TH_NAMES):
            ids[first] = clinic.staff.add_patient(
                first_name=first,
                last_name="Nguyen",
                date_of_birth=date(1950 + number, 1 + number % 12, 1 + number),
                email=None,
                zip_code="02139",
                actor="frontdesk",
            )
        anh_mrn = clinic.staff.chart(ids["Anh"]).mrn
        ids["Ruth"] = clinic.staff.add_patient(
            first_name="Ruth",
            last_name="Baker",
            date_of_birth=date(1961, 5, 5),
            email=None,
            zip_code="02139",
            phone=f"{anh_mrn}4444",
            actor="frontdesk",
        )
    finally:
        clinic.close()
    return path, {"ids": ids, "anh_mrn": anh_mrn}


@pytest.fixture
def nguyens(nguyen_template: tuple[Path, dict[str, Any]], tmp_path: Path) -> Any:
    """This test's own copy of the clinic: ``(clinic, facts)``."""
    source, facts = nguyen_template
    target = tmp_path / "nguyens.db"
    shutil.copyfile(source, target)
    clinic = Clinic.open(f"sqlite:///{target}")
    yield clinic, facts
    clinic.close()


@pytest.fixture
def box(qtbot: Any, nguyens: Any) -> Iterator[PatientSearchBox]:
    """A search box in a shown window, asking the clinic as main_window.py does (one more than shown)."""
    clinic, _facts = nguyens
    host = QMainWindow()
    host.setObjectName("searchHost")
    host.resize(900, 640)
    centre = QWidget(host)
    layout = QVBoxLayout(centre)
    search = PatientSearchBox(
        lambda text: clinic.staff.find_patients(text, limit=ASK_LIMIT), clinic.staff.resolve_patient, centre
    )
    layout.addWidget(search)
    layout.addStretch(1)
    host.setCentralWidget(centre)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    search.field.setFocus()
    yield search  # the fixture's frame keeps the window alive until the test ends


def type_and_wait(qtbot: Any, box: PatientSearchBox, text: str) -> Any:
    """Type ``text`` and wait for its results list; returns the list."""
    qtbot.keyClicks(box.field, text)
    qtbot.waitUntil(lambda: box.results_visible() and box.results.patient_rows() > 0)
    return box.results


def assert_enter_opens_nothing(qtbot: Any, box: PatientSearchBox) -> None:
    """Press Enter and check no patient opens (the list stays, the text stays)."""
    text = box.field.text()
    with qtbot.assertNotEmitted(box.patient_chosen, wait=NEVER_OPENED):
        qtbot.keyClick(box.field, Qt.Key.Key_Return)
    assert box.results_visible()
    assert box.field.text() == text


def test_enter_on_an_ambiguous_list_opens_nothing_and_says_to_pick(qtbot, box):
    results = type_and_wait(qtbot, box, "Nguyen Th")
    assert results.patient_rows() == 12
    assert results.highlighted_row() == -1
    assert not results.selectedItems()
    assert results.status_text() == "12 patients — use ↓ to pick one"
    assert "12 patients" in results.accessibleDescription()
    assert_enter_opens_nothing(qtbot, box)


def test_enter_typed_before_the_results_arrive_opens_nothing_when_ambiguous(qtbot, box):
    qtbot.keyClicks(box.field, "Nguyen Th")
    with qtbot.assertNotEmitted(box.patient_chosen, wait=NEVER_OPENED):
        qtbot.keyClick(box.field, Qt.Key.Key_Return)  # the search has not even started
        qtbot.waitUntil(lambda: box.results_visible() and box.results.patient_rows() == 12)
    assert box.results.status_text() == "12 patients — use ↓ to pick one"


def test_down_then_enter_opens_the_first_row(qtbot, box, nguyens):
    _clinic, facts = nguyens
    results = type_and_wait(qtbot, box, "Nguyen Th")
    qtbot.keyClick(box.field, Qt.Key.Key_Down)
    assert results.highlighted_row() == 0
    assert results.item(0).isSelected()
    assert results.status_text().startswith("12 patients — Enter opens Thach Nguyen, MRN ")
    with qtbot.waitSignal(box.patient_chosen) as blocker:
        qtbot.keyClick(box.field, Qt.Key.Key_Return)
    assert blocker.args == [facts["ids"]["Thach"]]
    assert not box.results_visible()
    assert box.field.text() == ""


def test_enter_on_the_only_match_opens_it(qtbot, box, nguyens):
    _clinic, facts = nguyens
    results = type_and_wait(qtbot, box, "Baker")
    assert results.highlighted_row() == 0  # highlighted: the highlight shows what Enter opens
    assert results.status_text().startswith("1 patient — Enter opens Ruth Baker, MRN ")
    with qtbot.waitSignal(box.patient_chosen) as blocker:
        qtbot.keyClick(box.field, Qt.Key.Key_Return)
    assert blocker.args == [facts["ids"]["Ruth"]]


def test_enter_typed_at_once_on_the_only_match_opens_it(qtbot, box, nguyens):
    _clinic, facts = nguyens
    with qtbot.waitSignal(box.patient_chosen) as blocker:
        qtbot.keyClicks(box.field, "Baker")
        qtbot.keyClick(box.field, Qt.Key.Key_Return)
    assert blocker.args == [facts["ids"]["Ruth"]]


def test_enter_on_an_mrn_typed_in_full_opens_that_chart_among_others(qtbot, box, nguyens):
    _clinic, facts = nguyens
    results = type_and_wait(qtbot, box, facts["anh_mrn"])
    assert results.patient_rows() == 2  # Anh Nguyen by MRN, Ruth Baker by phone
    assert results.patient_id_at(results.highlighted_row()) == facts["ids"]["Anh"]
    with qtbot.waitSignal(box.patient_chosen) as blocker:
        qtbot.keyClick(box.field, Qt.Key.Key_Return)
    assert blocker.args == [facts["ids"]["Anh"]]


def test_a_list_cut_at_the_limit_says_so(qtbot, box):
    results = type_and_wait(qtbot, box, "Nguyen")
    assert results.patient_rows() == RESULT_LIMIT
    assert results.has_more()
    assert results.status_text() == (
        "Showing the first 20 — type more of the name or the date of birth\nUse ↓ to pick one"
    )
    assert results.status_line.isVisible()
    assert "Showing the first 20" in results.accessibleDescription()
    assert_enter_opens_nothing(qtbot, box)


def test_a_list_that_is_not_cut_does_not_say_there_are_more(qtbot, box):
    results = type_and_wait(qtbot, box, "Nguyen Th")
    assert not results.has_more()
    assert "Showing the first" not in results.status_text()


def test_escape_closes_the_list_and_keeps_the_text(qtbot, box):
    results = type_and_wait(qtbot, box, "Nguyen Th")
    qtbot.keyClick(box.field, Qt.Key.Key_Down)
    qtbot.keyClick(box.field, Qt.Key.Key_Escape)
    assert not box.results_visible()
    assert box.field.text() == "Nguyen Th"
    # Enter with the list closed shows the choice again rather than opening a hidden row.
    assert_enter_opens_nothing(qtbot, box)
    assert results.highlighted_row() == 0
    qtbot.keyClick(box.field, Qt.Key.Key_Escape)
    qtbot.keyClick(box.field, Qt.Key.Key_Down)  # Down opens it again and moves on
    assert box.results_visible()
    assert results.highlighted_row() == 1


def test_arrows_stop_at_the_ends_and_home_end_jump(qtbot, box):
    results = type_and_wait(qtbot, box, "Nguyen Th")
    last = results.patient_rows() - 1
    qtbot.keyClick(box.field, Qt.Key.Key_Up)  # nothing highlighted: Up picks nothing
    assert results.highlighted_row() == -1
    qtbot.keyClick(box.field, Qt.Key.Key_Down)
    qtbot.keyClick(box.field, Qt.Key.Key_Up)  # the first row stays
    assert results.highlighted_row() == 0
    qtbot.keyClick(box.field, Qt.Key.Key_End)
    assert results.highlighted_row() == last
    assert results.item(last).isSelected()
    assert results.status_text().startswith("12 patients — Enter opens Thuy Nguyen")
    qtbot.keyClick(box.field, Qt.Key.Key_Down)  # the last row stays
    assert results.highlighted_row() == last
    qtbot.keyClick(box.field, Qt.Key.Key_Home)
    assert results.highlighted_row() == 0
    qtbot.keyClick(box.field, Qt.Key.Key_PageDown)
    assert results.highlighted_row() == 7
    qtbot.keyClick(box.field, Qt.Key.Key_PageDown)
    assert results.highlighted_row() == last
    qtbot.keyClick(box.field, Qt.Key.Key_PageUp)
    assert results.highlighted_row() == last - 7


def test_home_and_end_edit_the_text_while_no_row_is_highlighted(qtbot, box):
    results = type_and_wait(qtbot, box, "Nguyen Th")
    qtbot.keyClick(box.field, Qt.Key.Key_Home)
    assert box.field.cursorPosition() == 0
    assert results.highlighted_row() == -1
    qtbot.keyClick(box.field, Qt.Key.Key_End)
    assert box.field.cursorPosition() == len("Nguyen Th")


def test_the_highlighted_row_is_painted_in_the_accent_colour(qtbot, box):
    box.window().setStyleSheet(STYLESHEET)  # the app's stylesheet, on this window only
    results = type_and_wait(qtbot, box, "Nguyen Th")
    qtbot.keyClick(box.field, Qt.Key.Key_Down)
    qtbot.keyClick(box.field, Qt.Key.Key_Down)
    row = results.visualItemRect(results.item(1))
    painted = results.viewport().grab().toImage().pixelColor(row.left() + 4, row.center().y())
    assert painted == QColor(ACCENT)
    first = results.visualItemRect(results.item(0))
    assert results.viewport().grab().toImage().pixelColor(first.left() + 4, first.center().y()) != QColor(
        ACCENT
    )


def test_typing_more_starts_again_with_nothing_highlighted(qtbot, box):
    results = type_and_wait(qtbot, box, "Nguyen")
    qtbot.keyClick(box.field, Qt.Key.Key_Down)
    assert results.highlighted_row() == 0
    qtbot.keyClicks(box.field, " Th")
    # Enter before the new results: the old list's highlight is not what was asked for.
    with qtbot.assertNotEmitted(box.patient_chosen, wait=NEVER_OPENED):
        qtbot.keyClick(box.field, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: results.patient_rows() == 12)
    assert results.highlighted_row() == -1
    assert_enter_opens_nothing(qtbot, box)


def test_in_the_window_enter_on_an_ambiguous_list_opens_no_patient(qtbot, nguyens, make_window):
    clinic, facts = nguyens
    window = make_window(clinic)
    window.focus_search()
    field = window.search.field
    qtbot.keyClicks(field, "Nguyen Th")
    qtbot.waitUntil(lambda: window.search.results_visible() and window.search.results.patient_rows() == 12)
    with qtbot.assertNotEmitted(window.patient_opened, wait=NEVER_OPENED):
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert not window.dash.showing_patient
    qtbot.keyClick(field, Qt.Key.Key_Down)
    qtbot.keyClick(field, Qt.Key.Key_Down)
    with qtbot.waitSignal(window.patient_opened) as blocker:
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert blocker.args == [facts["ids"]["Thai"]]


def test_a_search_that_fails_says_why_and_offers_no_choice(qtbot, nguyens):
    from clinic_desk import DatabaseUnavailable

    clinic, _facts = nguyens

    def failing_search(text: str) -> list[Any]:
        raise DatabaseUnavailable("The clinic database cannot be reached. Nothing was saved.")

    host = QWidget()
    host.resize(700, 400)
    search = PatientSearchBox(failing_search, clinic.staff.resolve_patient, host)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    qtbot.keyClicks(search.field, "Nguyen")
    qtbot.waitUntil(search.results_visible)
    results = search.results
    assert results.patient_rows() == 0
    assert "cannot be reached" in results.item(0).text()
    assert results.status_text() == ""
    assert not results.status_line.isVisible()
    qtbot.keyClick(search.field, Qt.Key.Key_Down)
    assert results.highlighted_row() == -1


def test_shift_home_selects_the_text_even_with_a_row_highlighted(qtbot, box):
    results = type_and_wait(qtbot, box, "Nguyen Th")
    qtbot.keyClick(box.field, Qt.Key.Key_Down)
    qtbot.keyClick(box.field, Qt.Key.Key_Down)
    qtbot.keyClick(box.field, Qt.Key.Key_Home, Qt.KeyboardModifier.ShiftModifier)
    assert box.field.selectedText() == "Nguyen Th"
    assert results.highlighted_row() == 1


@pytest.fixture
def heard(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, str]]:
    """What the search tells screen readers: (event, row, words) for each accessibility event."""
    events: list[tuple[str, int, str]] = []

    def record(event: QAccessibleEvent) -> None:
        message = event.message() if isinstance(event, QAccessibleAnnouncementEvent) else ""
        events.append((event.type().name, event.child(), message))

    monkeypatch.setattr(QAccessible, "updateAccessibility", staticmethod(record))
    return events


def test_screen_readers_hear_the_count_when_results_arrive(qtbot, box, heard):
    type_and_wait(qtbot, box, "Nguyen Th")
    assert ("Announcement", -1, "12 patients — use ↓ to pick one") in heard
    assert not [event for event in heard if event[0] == "Focus"]  # nothing is highlighted yet


def test_screen_readers_hear_the_highlighted_row_as_it_moves(qtbot, box, heard):
    results = type_and_wait(qtbot, box, "Nguyen Th")
    heard.clear()
    qtbot.keyClick(box.field, Qt.Key.Key_Down)
    qtbot.keyClick(box.field, Qt.Key.Key_Down)
    qtbot.keyClick(box.field, Qt.Key.Key_End)
    assert [row for kind, row, _words in heard if kind == "Focus"] == [0, 1, 11]
    assert results.currentRow() == results.highlighted_row() == 11
    assert box.field.hasFocus()  # the keyboard stays in the field


def test_the_highlighted_row_reads_as_one_line_with_its_place(qtbot, box):
    results = type_and_wait(qtbot, box, "Nguyen Th")
    qtbot.keyClick(box.field, Qt.Key.Key_Down)
    row = QAccessible.queryAccessibleInterface(results).child(results.currentRow())
    name = row.text(QAccessible.Text.Name)
    assert name.startswith("Thach Nguyen, MRN ") and name.endswith(", 1 of 12")
    assert "\n" not in name
    assert "Enter opens Thach Nguyen" in results.accessibleDescription()
    qtbot.keyClick(box.field, Qt.Key.Key_Down)
    assert "Enter opens Thai Nguyen" in results.accessibleDescription()


def test_screen_readers_hear_when_nothing_matches(qtbot, box, heard):
    qtbot.keyClicks(box.field, "Zzyzx")
    qtbot.waitUntil(lambda: box.results_visible())
    assert ("Announcement", -1, "No patient matches “Zzyzx”.") in heard
