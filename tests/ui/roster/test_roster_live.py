"""The roster follows changes made at another desk (another Clinic on the same SQLite file)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QItemSelectionModel

from clinic_desk import Clinic
from clinic_desk.ui.patient.patient_session import wait_for_listeners


def test_another_desk_changes_counts_and_rows_and_the_selection_stays(
    qtbot: Any, roster_clinic: Any, sqlite_url: str, clock: Any, open_roster: Any
) -> None:
    roster = open_roster(roster_clinic)
    assert roster.live.listening
    model = roster.model
    gold_rows = [
        r for r, row in enumerate(model.rows()) if row.color == "gold" and row.last_invited_at is None
    ]
    target_row = gold_rows[1]
    target = model.row_at(target_row)
    other = model.row_at(gold_rows[0])
    selection = roster.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    selection.select(model.index(target_row, 0), flags)
    selection.select(model.index(gold_rows[0], 0), flags)
    selection.setCurrentIndex(model.index(target_row, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
    selected = sorted(roster.selected_ids())
    assert selected == sorted([target.patient_id, other.patient_id])
    total = roster.counts.buttons["gold"].count

    desk = Clinic.open(sqlite_url, clock=clock)
    try:
        desk.staff.send_invitation(target.patient_id, actor="otherdesk")
        desk.staff.add_patient(
            first_name="Nia",
            last_name="Zamora",
            date_of_birth=date(1990, 2, 3),
            email="nia@example.com",
            zip_code="02139",
            actor="otherdesk",
        )
    finally:
        desk.close()

    qtbot.waitUntil(lambda: roster.counts.total_label.text() == "261 patients", timeout=10_000)
    now = roster_clinic.roster_counts("")
    assert {c: roster.counts.buttons[c].count for c in ("red", "gold", "blue")} == now.by_color
    assert roster.counts.buttons["gold"].count == total + 1  # the new chart; the invited one stays gold
    qtbot.waitUntil(
        lambda: model.row_at(model.row_of(target.patient_id)).last_invited_at is not None, timeout=10_000
    )
    assert roster.live.batches_seen >= 1
    assert sorted(roster.selected_ids()) == selected  # the same patients stay selected
    current = model.row_at(roster.table.currentIndex().row())
    assert current is not None and current.patient_id == target.patient_id
    assert other.patient_id in roster.selected_ids()

    roster.close()
    assert not roster.live.listening
    assert wait_for_listeners(5.0), "the roster's change-feed thread did not end"
