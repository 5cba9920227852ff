"""The History card on the dash (newest first, paging, access events) and the window's access events."""

from __future__ import annotations

from PySide6.QtCore import Qt

from clinic_desk.ui.patient.history_card import PAGE_SIZE
from tests.services.helpers import add_ready_patient
from tests.ui.helpers import open_in
from tests.ui.patient.chart_helpers import USERNAMES, add_staff, history_has


def card_of(window):
    return window.dash.history_card


def wait_for_history(qtbot, window, rows: int | None = None) -> None:
    card = card_of(window)
    qtbot.waitUntil(
        lambda: not card.loading and card.rows_text() and (rows is None or len(card.rows_text()) == rows),
        timeout=5000,
    )


def test_newest_first_with_who_what_and_only_what_changed(qtbot, clinic, make_window):
    pid = add_ready_patient(clinic, phone="617-555-0101", actor="maria")
    clinic.staff.update_contact(pid, phone="617-555-0199", actor="dana", note="New mobile")
    window = make_window(clinic, persist=False, send_mail=False)
    open_in(qtbot, window, pid)
    wait_for_history(qtbot, window, rows=2)

    newest, oldest = card_of(window).rows_text()
    assert newest[1:] == (
        "dana",
        "Changed contact details",
        "Phone: (617) 555-0101 \u2192 (617) 555-0199\nNote: \u201cNew mobile\u201d",
    )
    assert oldest[1:3] == ("maria", "Added the chart")
    assert "Email: ana.lopez@example.com" in oldest[3] and "Portal access: on" in oldest[3]
    assert card_of(window).objectName() == "historyCard"
    assert card_of(window).accessibleName() == "History"
    assert card_of(window).table.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert not card_of(window).older_button.isVisible()


def test_show_older_pages_back_by_id(qtbot, clinic, make_window):
    pid = add_ready_patient(clinic, phone="617-555-0100", actor="maria")
    for number in range(1, PAGE_SIZE + 6):
        clinic.staff.update_contact(pid, phone=f"617-555-{number:04d}", actor="maria")
    window = make_window(clinic, persist=False, send_mail=False)
    open_in(qtbot, window, pid)
    wait_for_history(qtbot, window, rows=PAGE_SIZE)
    card = card_of(window)
    assert card.has_older and card.older_button.isVisible()
    assert card.rows_text()[0][3] == "Phone: (617) 555-0024 \u2192 (617) 555-0025"

    with qtbot.waitSignal(card.history_shown, timeout=5000):
        qtbot.mouseClick(card.older_button, Qt.MouseButton.LeftButton)
    rows = card.rows_text()
    assert len(rows) == PAGE_SIZE + 6
    assert rows[-1][2] == "Added the chart"
    assert not card.has_older and not card.older_button.isVisible()
    ids = [entry.id for entry in card.records]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == len(ids)

    # A live refresh keeps the older pages already read.
    clinic.staff.update_contact(pid, phone="617-555-0999", actor="maria")
    window.session.reload()
    qtbot.waitUntil(lambda: len(card.rows_text()) == PAGE_SIZE + 7, timeout=5000)
    assert card.rows_text()[0][3].endswith("(617) 555-0999")


def test_opening_a_chart_is_recorded_after_a_flush_and_shown_compactly(qtbot, clinic, make_window):
    members = add_staff(clinic)
    pid = add_ready_patient(clinic, actor=USERNAMES["front_desk"])
    window = make_window(clinic, persist=False, send_mail=False, staff=members["front_desk"])
    for _ in range(3):
        open_in(qtbot, window, pid)
    assert clinic.access.pending() == 3
    assert clinic.audit(patient_id=pid, action="chart_opened") == []  # memory only until flushed

    with qtbot.waitSignal(window.chart_actions.access_flushed, timeout=5000) as flushed:
        window.chart_actions.flush_access()
    assert flushed.args == [3]
    opened = clinic.audit(patient_id=pid, action="chart_opened")
    assert [entry.actor for entry in opened] == ["maria.front"] * 3
    assert opened[0].workstation == clinic.workstation

    window.session.reload()
    qtbot.waitUntil(lambda: history_has(window, "maria.front", "Opened the chart", "3 times"), timeout=5000)
    [row] = [row for row in card_of(window).rows_text() if row[2] == "Opened the chart"]
    assert row == (row[0], "maria.front", "Opened the chart", row[3])
    assert window.chart_actions.flush_timer.isActive()


def test_closing_the_window_writes_the_waiting_access_events(qtbot, clinic, make_window):
    pid = add_ready_patient(clinic)
    window = make_window(clinic, persist=False, send_mail=False)
    open_in(qtbot, window, pid)
    with qtbot.waitSignal(window.chart_actions.access_flushed, timeout=5000):
        window.close()
    assert [entry.actor for entry in clinic.audit(patient_id=pid, action="chart_opened")] == [window.actor()]


def test_a_viewer_the_services_refuse_sees_why(qtbot, clinic, make_window):
    members = add_staff(clinic)
    pid = add_ready_patient(clinic, actor=USERNAMES["front_desk"])
    window = make_window(clinic, persist=False, send_mail=False, staff=members["front_desk"])
    clinic.admin.disable_staff(USERNAMES["front_desk"], actor=USERNAMES["admin"])
    card = card_of(window)
    with qtbot.waitSignal(card.history_failed, timeout=10_000) as failed:
        window.open_patient(pid)
    assert "turned off" in failed.args[0]
    assert card.message.text() == failed.args[0] and card.retry_button.isVisible()


def test_a_password_set_by_staff_never_shows(qtbot, clinic, make_window):
    pid = add_ready_patient(clinic)
    clinic.staff.set_credentials(pid, username="ana.lopez", password="Temp-pass-4821", actor="maria")
    window = make_window(clinic, persist=False, send_mail=False)
    open_in(qtbot, window, pid)
    qtbot.waitUntil(
        lambda: history_has(window, "maria", "Set a username and temporary password"), timeout=5000
    )
    [row] = [row for row in card_of(window).rows_text() if row[2] == "Set a username and temporary password"]
    assert "Username: ana.lopez" in row[3] and "Must change password: no \u2192 yes" in row[3]
    card = card_of(window)
    shown = [
        card.table.topLevelItem(i).toolTip(column)
        for i in range(card.table.topLevelItemCount())
        for column in range(4)
    ]
    assert not any(
        "Temp-pass-4821" in text or "argon2" in text for text in [*shown, *map(str, card.rows_text())]
    )
