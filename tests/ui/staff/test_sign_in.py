"""A clinic with staff opens signed out: sign-in right, wrong, locked, Caps Lock, forced change."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from clinic_desk.ui.staff.caps_lock import CAPS_LOCK_WORDS, caps_lock_guess
from tests.ui.staff.conftest import ADMIN_PASSWORD, FRONT_DESK_PASSWORD, TEMPORARY_PASSWORD
from tests.ui.staff.helpers import assert_no_patient_data, lock_screen, sign_in_form, type_sign_in


def test_a_clinic_with_staff_opens_signed_out(qtbot, staffed, staff_window):
    clinic, ids = staffed
    window = staff_window(clinic)
    form = sign_in_form(window)
    qtbot.waitUntil(form.isVisible)
    assert lock_screen(window).isVisible()
    assert not window.search.field.isVisible()
    assert not window.dash.isVisible()
    assert window.staff_member is None
    assert not window.may("view")
    assert window.user_label.text() == f"Nobody signed in · {clinic.workstation}"
    assert not window.lock_action.isEnabled()
    assert not window.findChild(QWidget, "firstAdministrator").isVisible()
    # No patient opens while nobody is signed in.
    window.open_patient(ids["red"])
    assert window.session.patient_id is None
    assert_no_patient_data(window, clinic, list(ids.values()))


def test_right_password_signs_in_by_keyboard(qtbot, staffed, staff_window):
    clinic, ids = staffed
    window = staff_window(clinic)
    form = sign_in_form(window)
    qtbot.waitUntil(form.isVisible)
    qtbot.keyClicks(form.username, "Omar")  # usernames ignore case
    qtbot.keyClick(form.username, Qt.Key.Key_Return)  # Enter moves on to the password
    assert form.password.hasFocus() or not window.isActiveWindow()
    qtbot.keyClicks(form.password, FRONT_DESK_PASSWORD)
    with qtbot.waitSignal(window.staff_changed, timeout=5000):
        qtbot.keyClick(form.password, Qt.Key.Key_Return)
    assert window.actor() == "omar"
    assert not lock_screen(window).isVisible()
    assert window.search.field.isVisible()
    assert window.user_label.text() == f"Signed in as Omar Khan (Front desk) · {clinic.workstation}"
    assert window.lock_action.isEnabled()
    with qtbot.waitSignal(window.patient_opened):
        window.open_patient(ids["gold"])


def test_wrong_password_is_said_under_the_field(qtbot, staffed, staff_window):
    clinic, _ids = staffed
    window = staff_window(clinic)
    form = type_sign_in(qtbot, window, "omar", "not-the-password")
    qtbot.waitUntil(lambda: not form.busy)
    assert "do not match" in form.message_text()
    assert form.password.text() == ""
    assert form.isVisible() and window.staff_member is None


def test_lockout_is_said_with_the_time_it_ends(qtbot, staffed, staff_window, clock):
    clinic, _ids = staffed
    window = staff_window(clinic)
    limit = clinic.settings.staff_lockout_threshold
    form = sign_in_form(window)
    for _attempt in range(limit):
        type_sign_in(qtbot, window, "omar", "not-the-password")
        qtbot.waitUntil(lambda: not form.busy)
    ends = (clock.now + timedelta(minutes=clinic.settings.staff_lockout_minutes)).astimezone()
    assert f"locked until {ends:%H:%M}" in form.message_text()
    # The right password does not help until then.
    type_sign_in(qtbot, window, "omar", FRONT_DESK_PASSWORD)
    qtbot.waitUntil(lambda: not form.busy)
    assert f"locked until {ends:%H:%M}" in form.message_text()
    assert window.staff_member is None


def test_a_turned_off_account_is_said_plainly(qtbot, staffed, staff_window):
    clinic, _ids = staffed
    clinic.admin.disable_staff("omar", actor="rosa")
    window = staff_window(clinic)
    form = type_sign_in(qtbot, window, "omar", FRONT_DESK_PASSWORD)
    qtbot.waitUntil(lambda: not form.busy)
    assert "turned off" in form.message_text()


def test_caps_lock_hint_follows_what_is_typed(qtbot, staffed, staff_window):
    clinic, _ids = staffed
    window = staff_window(clinic)
    form = sign_in_form(window)
    qtbot.waitUntil(form.isVisible)
    qtbot.keyClick(form.password, "Q")  # uppercase without Shift
    assert form.caps_hint.isVisible()
    assert form.caps_hint.text() == CAPS_LOCK_WORDS
    qtbot.keyClick(form.password, "7")  # a digit says nothing
    assert form.caps_hint.isVisible()
    qtbot.keyClick(form.password, "q")  # lowercase without Shift
    assert not form.caps_hint.isVisible()
    qtbot.keyClick(form.password, "q", Qt.KeyboardModifier.ShiftModifier)  # lowercase with Shift
    assert form.caps_hint.isVisible()


def test_caps_lock_guess():
    assert caps_lock_guess("A", shift=False) is True
    assert caps_lock_guess("a", shift=True) is True
    assert caps_lock_guess("A", shift=True) is False
    assert caps_lock_guess("a", shift=False) is False
    assert caps_lock_guess("Ä", shift=False) is True
    for says_nothing in ("1", "-", "", "ab", "中"):
        assert caps_lock_guess(says_nothing, shift=False) is None


def test_forced_password_change_comes_first(qtbot, staffed, staff_window):
    clinic, ids = staffed
    window = staff_window(clinic)
    type_sign_in(qtbot, window, "nell", TEMPORARY_PASSWORD)
    change = window.findChild(QWidget, "passwordChange")
    qtbot.waitUntil(change.isVisible)
    assert window.staff_member is None  # not signed in until it is done
    assert lock_screen(window).isVisible() and not window.search.field.isVisible()
    change.current.setText(TEMPORARY_PASSWORD)
    change.new.setText("Harbor-lights-9")
    change.again.setText("Harbor-lights-8")
    qtbot.keyClick(change.again, Qt.Key.Key_Return)
    assert "different" in change.message_text()
    change.again.setText("Harbor-lights-9")
    with qtbot.waitSignal(window.staff_changed, timeout=5000):
        qtbot.keyClick(change.again, Qt.Key.Key_Return)
    assert window.actor() == "nell"
    assert not lock_screen(window).isVisible()
    assert not clinic.admin.sign_in("nell", "Harbor-lights-9").must_change_password
    with qtbot.waitSignal(window.patient_opened):
        window.open_patient(ids["blue"])


def test_cancelling_the_forced_change_signs_out(qtbot, staffed, staff_window):
    clinic, _ids = staffed
    window = staff_window(clinic)
    type_sign_in(qtbot, window, "nell", TEMPORARY_PASSWORD)
    change = window.findChild(QWidget, "passwordChange")
    qtbot.waitUntil(change.isVisible)
    qtbot.mouseClick(change.cancel_button, Qt.MouseButton.LeftButton)
    form = sign_in_form(window)
    assert form.isVisible() and form.username.text() == ""
    assert window.staff_member is None


def test_signed_in_from_the_start_with_staff(qtbot, staffed, staff_window):
    clinic, _ids = staffed
    member = clinic.admin.sign_in("rosa", ADMIN_PASSWORD)
    window = staff_window(clinic, staff=member)
    assert not lock_screen(window).isVisible()
    assert window.actor() == "rosa"
    assert window.user_label.text() == f"Signed in as Rosa Diaz (Administrator) · {clinic.workstation}"


def test_when_the_clinic_cannot_be_asked_the_window_stays_covered(qtbot, staffed, staff_window, monkeypatch):
    from clinic_desk import DatabaseUnavailable

    clinic, _ids = staffed
    answers = iter([DatabaseUnavailable("The clinic database is not answering."), True])

    def has_staff() -> bool:
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(clinic.admin, "has_staff", has_staff)
    window = staff_window(clinic)
    problem = window.findChild(QWidget, "lockProblem")
    qtbot.waitUntil(problem.isVisible)
    assert "not answering" in window.findChild(QWidget, "lockProblemWords").text()
    assert not window.may("view") and not window.search.field.isVisible()
    qtbot.mouseClick(window.findChild(QWidget, "lockRetryButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(sign_in_form(window).isVisible)


def test_the_database_connection_can_be_chosen_before_signing_in(qtbot, staffed, staff_window):
    clinic, _ids = staffed
    window = staff_window(clinic)
    qtbot.waitUntil(sign_in_form(window).isVisible)
    qtbot.mouseClick(window.findChild(QWidget, "lockConnectionButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(QWidget, "connectionDialog") is not None)
    dialog = window.findChild(QWidget, "connectionDialog")
    assert dialog.isVisible()
    dialog.reject()
