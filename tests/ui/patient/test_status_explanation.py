"""Issue 13, Reproduced 6: the explanation by keyboard (F1, Shift+F1, Why?); no patient, no badge."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QLabel

from clinic_desk import Clinic
from clinic_desk.ui.patient.status_text import FIX_HINT, KEY_FIX_HINT, NO_PATIENT_WORDS
from tests.ui.helpers import open_in, tooltip_plain
from tests.ui.patient.chart_helpers import add_staff

PASSWORD = "Str0ng-pass-123!"


def _locked_patient(clinic: Clinic, first: str = "Ann", username: str = "annlee") -> int:
    pid = clinic.staff.add_patient(
        first_name=first,
        last_name="Lee",
        date_of_birth=date(1955, 1, 20),
        email=f"{username}@example.com",
        zip_code="02140",
        actor="frontdesk",
    )
    clinic.staff.set_credentials(pid, username=username, password=PASSWORD, actor="frontdesk")
    assert clinic.portal.login(username, PASSWORD)
    for _ in range(5):
        clinic.portal.login(username, "wrong-password-1")
    return pid


@pytest.fixture
def window(make_window: Any, clinic: Clinic) -> Any:
    return make_window(clinic, persist=False, send_mail=False)


def _active(qtbot: Any, window: Any) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)


def _card(window: Any) -> Any:
    return window.dash.photo_block.portal.explanation


def _assert_explains(window: Any, clinic: Clinic, pid: int) -> str:
    card = _card(window)
    assert card.isVisible()
    text = card.plain_text()
    status = clinic.status(pid)
    assert status.headline in text
    for item in (*status.reasons, *status.trouble_spots):
        assert item.message in text
    assert KEY_FIX_HINT in text
    assert "Click the icon" not in text  # reached by keyboard: a key, not a click
    assert card.text.hasFocus()  # readable (and scrollable) without a mouse
    return text


@pytest.mark.parametrize("modifier", [Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier])
def test_f1_from_the_search_field_shows_the_hover_words(qtbot, clinic, window, modifier):
    pid = _locked_patient(clinic)
    open_in(qtbot, window, pid)
    hover = tooltip_plain(window.dash.photo_block.icon)
    _active(qtbot, window)
    window.focus_search()
    qtbot.keyClick(window.search.field, Qt.Key.Key_F1, modifier)
    qtbot.waitUntil(lambda: _card(window).isVisible(), timeout=3000)
    text = _assert_explains(window, clinic, pid)
    assert text.replace(KEY_FIX_HINT, FIX_HINT) == hover  # the same words as the hover card
    qtbot.keyClick(_card(window).text, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not _card(window).isVisible(), timeout=3000)
    qtbot.waitUntil(window.search.field.hasFocus, timeout=3000)  # back where the receptionist was


def test_the_card_stays_while_reading_and_scrolling(qtbot, clinic, window):
    pid = _locked_patient(clinic)
    open_in(qtbot, window, pid)
    _active(qtbot, window)
    window.dash.photo_block.icon.setFocus()
    qtbot.keyClick(window.dash.photo_block.icon, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: _card(window).isVisible(), timeout=3000)
    for key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown, Qt.Key.Key_Up, Qt.Key.Key_Shift):
        qtbot.keyClick(_card(window).text, key)
    assert _card(window).isVisible()  # a tooltip would have gone at the first key
    qtbot.keyClick(_card(window).text, Qt.Key.Key_Tab)  # focus leaves: it closes
    assert not _card(window).isVisible()


def test_why_button_by_key_and_ctrl_t_in_the_card_opens_troubleshooting(qtbot, clinic, window):
    pid = _locked_patient(clinic)
    open_in(qtbot, window, pid)
    window.troubleshooting_dock.hide()
    _active(qtbot, window)
    row = window.dash.photo_block.portal
    assert row.why_button.isEnabled() and row.why_button.focusPolicy() & Qt.FocusPolicy.TabFocus
    row.why_button.setFocus()
    qtbot.keyClick(row.why_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: _card(window).isVisible(), timeout=3000)
    _assert_explains(window, clinic, pid)
    with qtbot.waitSignal(window.dash.troubleshoot_requested, timeout=3000) as blocker:
        qtbot.keyClick(_card(window).text, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args == [pid]
    assert not _card(window).isVisible()
    assert window.troubleshooting_dock.isVisible()


def test_the_card_follows_the_patient_and_closes_on_another(qtbot, clinic, window):
    ann = _locked_patient(clinic)
    bob = _locked_patient(clinic, "Bob", "boblee")
    open_in(qtbot, window, ann)
    window.dash.photo_block.portal.explain()
    assert _card(window).isVisible()
    assert "Ann Lee" in _card(window).plain_text()
    open_in(qtbot, window, bob)
    assert not _card(window).isVisible()  # never Ann's words over Bob's chart


def test_the_open_card_follows_a_live_change(qtbot, clinic, window):
    pid = _locked_patient(clinic)
    open_in(qtbot, window, pid)
    window.dash.photo_block.portal.explain()
    assert "The account is locked" in _card(window).plain_text()
    clinic.staff.unlock_account(pid, actor="frontdesk")
    window.session.reload()
    qtbot.waitUntil(lambda: "The account is locked" not in _card(window).plain_text(), timeout=5000)
    assert _card(window).isVisible()
    assert window.dash.photo_block.portal.trouble_texts() == []


def test_locking_the_window_closes_the_card(qtbot, clinic, make_window):
    pid = _locked_patient(clinic)  # before the staff exist: "frontdesk" is free text until then
    members = add_staff(clinic)
    window = make_window(clinic, persist=False, send_mail=False, staff=members["front_desk"])
    open_in(qtbot, window, pid)
    window.dash.photo_block.portal.explain()
    assert _card(window).isVisible()
    window.lock()
    qtbot.waitUntil(lambda: not _card(window).isVisible(), timeout=3000)
    assert not window.dash.isVisible()  # so its F1 shortcut is inert behind the lock screen
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert not _card(window).isVisible()


def test_no_patient_no_badge_and_f1_does_nothing(qtbot, window):
    _active(qtbot, window)
    row = window.dash.photo_block.portal
    assert not window.dash.showing_patient
    assert row.caption.text() == NO_PATIENT_WORDS
    assert not row.why_button.isEnabled()
    assert not row.explain_action.isEnabled()
    qtbot.keyClick(window.search.field, Qt.Key.Key_F1)
    assert not _card(window).isVisible()
    shown = [label.text() for label in window.dash.findChildren(QLabel) if label.isVisible()]
    assert not any("Checking portal status" in text for text in shown), shown
    assert QApplication.activePopupWidget() is None


def test_the_menu_key_or_a_right_click_on_the_icon_explains_too(qtbot, clinic, window):
    pid = _locked_patient(clinic)
    open_in(qtbot, window, pid)
    icon = window.dash.photo_block.icon
    _active(qtbot, window)
    icon.setFocus()
    qtbot.keyClick(icon, Qt.Key.Key_Menu)
    qtbot.waitUntil(lambda: _card(window).isVisible(), timeout=3000)
    assert KEY_FIX_HINT in _card(window).plain_text()
    qtbot.keyClick(_card(window).text, Qt.Key.Key_Escape)
    center = icon.rect().center()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, center, icon.mapToGlobal(center))
    QApplication.sendEvent(icon, event)
    qtbot.waitUntil(lambda: _card(window).isVisible(), timeout=3000)
