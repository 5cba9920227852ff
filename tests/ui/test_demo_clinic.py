"""The window on the seeded demo clinic: every colour, the marked fields, the tooltip words."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from clinic_desk.demo import DEMO_PASSWORD
from tests.ui.helpers import tooltip_plain


@pytest.mark.parametrize(
    ("key", "color"),
    [
        ("blue", "blue"),
        ("gold_invited", "gold"),
        ("gold_not_invited", "gold"),
        ("red_deceased", "red"),
        ("red_inactive", "red"),
        ("red_disabled", "red"),
        ("red_unconfirmed", "red"),
        ("red_missing_both", "red"),
        ("locked", "blue"),
        ("placeholder", "gold"),
    ],
)
def test_demo_patients_show_their_colour_and_reasons(qtbot, demo, make_window, key, color):
    clinic, ids = demo
    window = make_window(clinic)
    with qtbot.waitSignal(window.patient_opened, timeout=5000):
        window.open_patient(ids[key])
    icon = window.dash.photo_block.icon
    assert icon.property("portalStatus") == color
    status = window.session.model.status
    words = tooltip_plain(icon)
    assert status.headline in words
    for item in (*status.reasons, *status.trouble_spots):
        assert item.message in words
        assert item.message in icon.accessibleDescription()
    assert DEMO_PASSWORD not in words
    assert "token" not in words.lower()


def test_missing_email_and_zip_are_marked(qtbot, demo, make_window):
    clinic, ids = demo
    window = make_window(clinic)
    with qtbot.waitSignal(window.patient_opened):
        window.open_patient(ids["red_missing_both"])
    card = window.dash.contact_card
    assert card.is_marked_missing("email")
    assert card.is_marked_missing("zip")
    assert "missing" in card.values["zip"].accessibleDescription()


def test_bounced_email_is_listed_without_its_link(qtbot, demo, make_window):
    clinic, ids = demo
    window = make_window(clinic)
    with qtbot.waitSignal(window.patient_opened):
        window.open_patient(ids["delivery_failed"])
    table = window.dash.emails_card.table
    assert table.topLevelItemCount() >= 1
    newest = [table.topLevelItem(0).text(column) for column in range(table.columnCount())]
    assert newest[2] == "Not delivered"
    assert "550" in table.topLevelItem(0).toolTip(2)
    everything = " ".join(
        table.topLevelItem(row).text(column)
        for row in range(table.topLevelItemCount())
        for column in range(table.columnCount())
    )
    assert "token=" not in everything


def test_search_demo_by_keyboard(qtbot, demo, make_window):
    clinic, ids = demo
    window = make_window(clinic)
    window.focus_search()
    qtbot.keyClicks(window.search.field, "Whitaker")
    qtbot.waitUntil(lambda: window.search.results_visible() and window.search.results.patient_rows() > 0)
    results = window.search.results
    rows = [results.patient_id_at(row) for row in range(results.patient_rows())]
    assert ids["red_deceased_missing_both"] in rows
    for _ in range(rows.index(ids["red_deceased_missing_both"]) + 1):
        qtbot.keyClick(window.search.field, Qt.Key.Key_Down)
    with qtbot.waitSignal(window.patient_opened) as blocker:
        qtbot.keyClick(window.search.field, Qt.Key.Key_Enter)
    assert blocker.args == [ids["red_deceased_missing_both"]]
    assert window.dash.photo_block.status_pill.text() == "Deceased"
