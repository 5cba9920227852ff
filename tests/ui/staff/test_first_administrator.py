"""A clinic with no staff: single-user mode and the offer to create the first administrator."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from tests.ui.staff.conftest import ADMIN_PASSWORD


def _card(qtbot, window):
    card = window.findChild(QWidget, "firstAdministrator")
    qtbot.waitUntil(card.isVisible)
    return card


def test_no_staff_opens_in_single_user_mode_with_the_offer(qtbot, seeded, staff_window):
    clinic, ids = seeded
    window = staff_window(clinic)
    card = _card(qtbot, window)
    assert not window.findChild(QWidget, "lockScreen").isVisible()
    assert window.staff_session.mode == "single_user"
    assert window.search.field.hasFocus() or not window.isActiveWindow()
    assert "Single-user mode" in window.user_label.text()
    assert clinic.workstation in window.user_label.text()
    assert window.first_administrator_action.isVisible()
    assert "anyone can unlock" in window.lock_action.toolTip()
    # Patients open as before.
    with qtbot.waitSignal(window.patient_opened):
        window.open_patient(ids["gold"])
    assert card.isVisible()


def test_create_the_first_administrator_by_keyboard_signs_them_in(qtbot, seeded, staff_window):
    clinic, _ids = seeded
    window = staff_window(clinic)
    card = _card(qtbot, window)
    qtbot.mouseClick(card.open_button, Qt.MouseButton.LeftButton)
    assert card.full_name.hasFocus() or not window.isActiveWindow()
    qtbot.keyClicks(card.full_name, "Rosa Diaz")
    qtbot.keyClicks(card.username, "rosa")
    qtbot.keyClicks(card.password, ADMIN_PASSWORD)
    qtbot.keyClicks(card.again, ADMIN_PASSWORD)
    with qtbot.waitSignal(window.staff_changed, timeout=5000) as changed:
        qtbot.keyClick(card.again, Qt.Key.Key_Return)
    member = changed.args[0]
    assert (member.username, member.role) == ("rosa", "admin")
    assert window.actor() == "rosa"
    assert not card.isVisible()
    assert window.staff_session.mode == "signed_in"
    assert window.user_label.text() == f"Signed in as Rosa Diaz (Administrator) · {clinic.workstation}"
    assert not window.first_administrator_action.isVisible()
    assert clinic.admin.has_staff()
    assert [m.username for m in clinic.admin.list_staff()] == ["rosa"]


def test_mismatched_passwords_are_said_and_nothing_is_created(qtbot, seeded, staff_window):
    clinic, _ids = seeded
    window = staff_window(clinic)
    card = _card(qtbot, window)
    card.open_form()
    card.full_name.setText("Rosa Diaz")
    card.username.setText("rosa")
    card.password.setText(ADMIN_PASSWORD)
    card.again.setText(ADMIN_PASSWORD + "x")
    qtbot.mouseClick(card.create_button, Qt.MouseButton.LeftButton)
    assert "different" in card.message_text()
    card.again.setText("short")
    card.password.setText("short")
    qtbot.mouseClick(card.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "too short" in card.message_text())
    assert not clinic.admin.has_staff()
    assert window.staff_member is None


def test_not_now_dismisses_and_the_file_menu_offers_it_again(qtbot, seeded, staff_window):
    clinic, _ids = seeded
    window = staff_window(clinic)
    card = _card(qtbot, window)
    qtbot.mouseClick(card.not_now_button, Qt.MouseButton.LeftButton)
    assert not card.isVisible()
    assert window.staff_session.mode == "single_user"
    window.first_administrator_action.trigger()
    assert card.isVisible() and card.form.isVisible()
