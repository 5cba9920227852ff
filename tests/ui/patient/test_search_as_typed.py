"""Search as typed: an older query's answer, held back on its worker, never replaces the newer one.

The searches run on the real task runner against a real SQLite clinic; only their
order is forced, by holding a worker on a ``threading.Event`` until the newer text is typed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from clinic_desk.ui.patient.search import ASK_LIMIT, PatientSearchBox
from clinic_desk.ui.tasks import task_manager, wait_for_tasks

PEOPLE = [("Thi", "Nguyen"), ("Thu", "Nguyen"), ("Anh", "Nguyen"), ("Nam", "Nguyen"), ("Ruth", "Baker")]
PEOPLE += [("Pat", "Quinn")]
HOLD_S = 10  # the longest a held worker waits (the test releases it long before)


class HeldSearch:
    """The clinic's search, holding every query but ``newest`` until released; counts overlaps."""

    def __init__(self, clinic: Any, newest: str) -> None:
        self._clinic = clinic
        self._newest = newest
        self._lock = threading.Lock()
        self._running = 0
        self.release = threading.Event()
        self.asked: list[str] = []
        self.most_at_once = 0

    def __call__(self, text: str) -> list[Any]:  # runs on a worker
        with self._lock:
            self.asked.append(text)
            self._running += 1
            self.most_at_once = max(self.most_at_once, self._running)
        try:
            if text != self._newest:
                assert self.release.wait(HOLD_S), "the test never released the older search"
            return list(self._clinic.staff.find_patients(text, limit=ASK_LIMIT))
        finally:
            with self._lock:
                self._running -= 1


@pytest.fixture
def people(clinic: Any) -> dict[str, int]:
    """PEOPLE added to the test's clinic: first name -> patient id."""
    return {
        first: clinic.staff.add_patient(
            first_name=first,
            last_name=last,
            date_of_birth=date(1960 + number, 1 + number, 1 + number),
            email=None,
            zip_code="02139",
            actor="frontdesk",
        )
        for number, (first, last) in enumerate(PEOPLE)
    }


@pytest.fixture
def make_box(qtbot: Any, clinic: Any, people: dict[str, int]) -> Callable[[HeldSearch], PatientSearchBox]:
    """A search box in a shown window over the clinic with PEOPLE, asking ``search``."""
    hosts: list[QWidget] = []  # kept alive until the test ends

    def make(search: HeldSearch) -> PatientSearchBox:
        host = QWidget()
        hosts.append(host)
        host.resize(900, 600)
        layout = QVBoxLayout(host)
        box = PatientSearchBox(search, clinic.staff.resolve_patient, host)
        layout.addWidget(box)
        layout.addStretch(1)
        qtbot.addWidget(host)
        host.show()
        qtbot.waitExposed(host)
        box.field.setFocus()
        return box

    return make


def test_an_older_answer_arriving_after_newer_typing_is_dropped(qtbot, clinic, make_box):
    search = HeldSearch(clinic, newest="Nguyen Th")
    box = make_box(search)
    shown: list[str] = []
    box.results_shown.connect(shown.append)

    qtbot.keyClicks(box.field, "Nguyen")
    qtbot.waitUntil(lambda: search.asked == ["N"])  # the first key's search, held on its worker
    qtbot.keyClicks(box.field, " Th")
    search.release.set()  # the older answer ("N": all four Nguyens) now arrives after " Th" was typed
    qtbot.waitUntil(lambda: shown == ["Nguyen Th"])
    assert wait_for_tasks()
    qtbot.wait(50)  # anything still queued for the GUI thread is delivered

    assert shown == ["Nguyen Th"]  # the older answer was never shown
    results = box.results
    assert [row.full_name for row in results.found()] == ["Thi Nguyen", "Thu Nguyen"]
    assert results.status_text() == "2 patients — use ↓ to pick one"
    # One search at a time: the keys typed while it ran were searched together, once.
    assert search.asked == ["N", "Nguyen Th"]
    assert search.most_at_once == 1


def test_enter_while_an_older_search_is_held_opens_the_newer_texts_match(qtbot, clinic, people, make_box):
    search = HeldSearch(clinic, newest="Baker")
    box = make_box(search)
    qtbot.keyClicks(box.field, "Q")  # Pat Quinn, the only match: Enter would open her
    qtbot.waitUntil(lambda: search.asked == ["Q"])
    qtbot.keyClick(box.field, Qt.Key.Key_Backspace)
    qtbot.keyClicks(box.field, "Baker")
    with qtbot.waitSignal(box.patient_chosen) as chosen:
        qtbot.keyClick(box.field, Qt.Key.Key_Return)
        search.release.set()
    assert chosen.args == [people["Ruth"]]
    assert search.asked == ["Q", "Baker"]


def test_the_first_key_searches_at_once_with_no_fixed_delay(qtbot, clinic, make_box):
    search = HeldSearch(clinic, newest="B")
    box = make_box(search)
    idle = task_manager().pending_count
    qtbot.keyClicks(box.field, "B")
    assert task_manager().pending_count == idle + 1  # started by the key itself, not by a timer
    qtbot.waitUntil(lambda: box.results_visible() and box.results.patient_rows() == 1)
