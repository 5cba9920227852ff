"""Typing in the roster's filter: one count read at a time, the newest text wins, the rows come first.

At a million charts a count for typed text takes about half a second on PostgreSQL; each
keystroke must not queue another behind it, nor hold the first page of rows back.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from tests.ui.roster.conftest import wait_rows

SLOW_COUNT = 0.25  # seconds: a count at a million charts


class Recorder:
    """Wraps the clinic's real roster reads and notes when each starts and ends, by typed text."""

    def __init__(self, clinic: Any) -> None:
        self.events: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self.counting = 0
        self.most_counting = 0
        self._roster, self._counts = clinic.roster, clinic.roster_counts
        clinic.roster = self.roster
        clinic.roster_counts = self.roster_counts

    def _note(self, what: str, text: str) -> None:
        with self._lock:
            self.events.append((what, text))

    def roster(self, wanted: Any, **kwargs: Any) -> Any:
        self._note("rows start", wanted.text)
        page = self._roster(wanted, **kwargs)
        self._note("rows end", wanted.text)
        return page

    def roster_counts(self, text: str = "") -> Any:
        with self._lock:
            self.counting += 1
            self.most_counting = max(self.most_counting, self.counting)
            self.events.append(("counts start", text))
        try:
            time.sleep(SLOW_COUNT)
            return self._counts(text)
        finally:
            with self._lock:
                self.counting -= 1
            self._note("counts end", text)

    def counted(self) -> list[str]:
        return [text for what, text in self.events if what == "counts start"]


def test_typing_fast_reads_one_count_at_a_time_after_the_rows(
    qtbot: Any, roster_clinic: Any, open_roster: Any
) -> None:
    roster = open_roster(roster_clinic)
    recorder = Recorder(roster_clinic)
    typed = "Roster01"
    qtbot.keyClicks(roster.bar.field, typed)  # eight keystrokes, far quicker than one count
    expected = recorder._counts(typed)
    qtbot.waitUntil(
        lambda: roster.counts.total_label.text().startswith(f"{expected.total:,} "), timeout=10_000
    )
    wait_rows(qtbot, roster)
    qtbot.waitUntil(lambda: recorder.counting == 0 and not roster._counting, timeout=10_000)

    assert recorder.most_counting == 1  # never two counts at once
    counted = recorder.counted()
    assert counted[-1] == typed  # the newest text wins ...
    assert len(counted) <= 2 < len(typed)  # ... and the texts typed meanwhile are never counted
    for number, (what, text) in enumerate(recorder.events):
        if what == "counts start":  # that text's first page of rows was in before its count began
            assert ("rows end", text) in recorder.events[:number], text
    assert {row.patient_id for row in roster.model.rows()} == {
        row.patient_id for row in recorder._roster(roster.current_filter()).rows
    }
    for color, button in ((c, roster.counts.buttons[c]) for c in ("red", "gold", "blue")):
        assert button.count == expected.by_color.get(color, 0)


def test_a_count_on_its_way_is_followed_by_the_newest_text_only(
    qtbot: Any, roster_clinic: Any, open_roster: Any
) -> None:
    roster = open_roster(roster_clinic)
    recorder = Recorder(roster_clinic)
    roster.bar.field.setText("Ro")
    qtbot.waitUntil(lambda: recorder.counting == 1, timeout=10_000)  # a count is on its way
    qtbot.keyClicks(roster.bar.field, "ster0")  # typed while it runs
    qtbot.waitUntil(lambda: recorder.counted()[-1] == "Roster0", timeout=10_000)
    qtbot.waitUntil(lambda: recorder.counting == 0 and not roster._counting, timeout=10_000)
    assert recorder.counted() == ["Ro", "Roster0"]
    assert recorder.most_counting == 1
    expected = recorder._counts("Roster0")
    qtbot.waitUntil(lambda: roster.counts.total_label.text().startswith(f"{expected.total:,} "))
