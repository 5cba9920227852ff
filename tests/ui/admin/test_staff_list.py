"""Staff accounts through the window: add, change role, reset password, disable, unlock, refusals."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from clinic_desk import NotAllowed
from clinic_desk.domain.roles import Permission, refusal
from tests.ui.admin.staff_helpers import COLLEAGUE_PASSWORD, add_staff, make_signed_in_window


@pytest.fixture
def staff(clinic: Any) -> dict[str, Any]:
    return add_staff(clinic)


def _open_list(qtbot: Any, window: Any) -> Any:
    window.admin_tools.staff_action.trigger()
    dialog = window.admin_tools.staff_list
    assert dialog is not None and dialog.objectName() == "staffList"
    qtbot.waitUntil(lambda: dialog.model.rowCount() >= 3)
    return dialog


def _confirm(qtbot: Any, dialog: Any, signal: str = "change_done") -> str:
    assert dialog.confirm.isVisible()
    with qtbot.waitSignal(getattr(dialog, signal), timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.confirm.confirm_button, Qt.MouseButton.LeftButton)
    return str(blocker.args[0])


def test_the_list_shows_every_member_with_role_and_last_sign_in(qtbot, clinic, staff, make_window):
    window = make_signed_in_window(make_window, clinic, staff["admin"])
    dialog = _open_list(qtbot, window)
    rows = {
        dialog.model.index(row, 1).data(): [dialog.model.index(row, c).data() for c in range(6)]
        for row in range(dialog.model.rowCount())
    }
    assert rows["alee"][:4] == ["Alex Lee", "alee", "Administrator", "Yes"]
    assert rows["mlopez"][2] == "Front desk"
    assert rows["dkim"][2] == "Manager"
    assert rows["alee"][4] != "never"  # signed in for this test
    assert dialog.table.selectionModel().selectedRows()  # a row is chosen: the buttons work at once
    header = [dialog.model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
    assert header == ["Full name", "Username", "Role", "Active", "Last sign-in", "Locked until"]


def test_add_a_member_who_then_signs_in_and_must_change_the_password(qtbot, clinic, staff, make_window):
    window = make_signed_in_window(make_window, clinic, staff["admin"])
    dialog = _open_list(qtbot, window)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    form = dialog.add_form
    assert form is not None and form.objectName() == "addStaffForm"
    form.fill(full_name="Sam Ortiz", username="sortiz", role="manager", password="Welcome-2026-desk")
    assert "Sam Ortiz" in form.summary.text() and "Manager" in form.summary.text()
    assert "must choose their own password" in form.summary.text()
    with qtbot.waitSignal(dialog.change_done, timeout=10_000):
        qtbot.mouseClick(form.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.model.row_of("sortiz") >= 0)
    assert dialog.selected().username == "sortiz"
    member = clinic.admin.sign_in("sortiz", "Welcome-2026-desk")
    assert (member.role, member.must_change_password) == ("manager", True)
    entry = clinic.audit(action="staff_added", limit=1)[0]
    assert entry.actor == "alee" and entry.after["username"] == "sortiz"


def test_the_add_form_refuses_mismatched_passwords_and_shows_service_problems_on_the_field(
    qtbot, clinic, staff, make_window
):
    window = make_signed_in_window(make_window, clinic, staff["admin"])
    dialog = _open_list(qtbot, window)
    form = dialog.open_add_form()
    form.fill(full_name="Sam Ortiz", username="sortiz", role="front_desk", password="Welcome-2026", again="x")
    qtbot.mouseClick(form.add_button, Qt.MouseButton.LeftButton)
    assert "not the same" in form.error_text("password_again")
    form.fill(full_name="Sam Ortiz", username="MLopez", role="front_desk", password="Welcome-2026-desk")
    with qtbot.waitSignal(form.failed, timeout=10_000) as blocker:
        qtbot.mouseClick(form.add_button, Qt.MouseButton.LeftButton)
    assert "already taken" in str(blocker.args[0])
    form.fill(full_name="Sam Ortiz", username="sortiz", role="front_desk", password="short")
    with qtbot.waitSignal(form.failed, timeout=10_000):
        qtbot.mouseClick(form.add_button, Qt.MouseButton.LeftButton)
    assert "too short" in form.error_text("password")
    assert form.isVisible()
    assert [m.username for m in clinic.admin.list_staff()].count("sortiz") == 0


def test_change_role_asks_first_then_saves(qtbot, clinic, staff, make_window):
    window = make_signed_in_window(make_window, clinic, staff["admin"])
    dialog = _open_list(qtbot, window)
    dialog.select("mlopez")
    qtbot.mouseClick(dialog.role_button, Qt.MouseButton.LeftButton)
    dialog.confirm.role_combo.setCurrentIndex(dialog.confirm.role_combo.findData("manager"))
    question = dialog.confirm.question.text()
    assert "Change Maria Lopez (mlopez) from Front desk to Manager?" in question
    assert "Maria Lopez (mlopez) is now Manager." in _confirm(qtbot, dialog)
    assert {m.username: m.role for m in clinic.admin.list_staff()}["mlopez"] == "manager"
    assert not dialog.confirm.isVisible()


def test_cancel_changes_nothing(qtbot, clinic, staff, make_window):
    window = make_signed_in_window(make_window, clinic, staff["admin"])
    dialog = _open_list(qtbot, window)
    dialog.select("mlopez")
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    assert "Turn off Maria Lopez (mlopez)'s sign-in?" in dialog.confirm.question.text()
    qtbot.keyClick(dialog.confirm.confirm_button, Qt.Key.Key_Escape)
    assert not dialog.confirm.isVisible()
    assert dialog.isVisible()  # Escape leaves the question, not the list
    assert {m.username: m.active for m in clinic.admin.list_staff()}["mlopez"] is True


def test_reset_shows_a_temporary_password_once_and_it_signs_in(qtbot, clinic, staff, make_window):
    window = make_signed_in_window(make_window, clinic, staff["admin"])
    dialog = _open_list(qtbot, window)
    dialog.select("mlopez")
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    assert "must choose a new password at their next sign-in" in dialog.confirm.question.text()
    _confirm(qtbot, dialog)
    slip = dialog.slip
    assert slip.isVisible()
    password = slip.password()
    assert len(password) == 12
    assert slip.password_label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert "must change it at sign-in" in dialog.message_text()
    member = clinic.admin.sign_in("mlopez", password)
    assert member.must_change_password
    with pytest.raises(NotAllowed):
        clinic.admin.sign_in("mlopez", COLLEAGUE_PASSWORD)
    qtbot.mouseClick(slip.hide_button, Qt.MouseButton.LeftButton)
    assert not slip.isVisible() and slip.password() == ""


def test_disable_then_enable(qtbot, clinic, staff, make_window):
    window = make_signed_in_window(make_window, clinic, staff["admin"])
    dialog = _open_list(qtbot, window)
    dialog.select("dkim")
    assert dialog.active_button.text() == "&Disable…"
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    assert "can no longer sign in" in _confirm(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.selected() is not None and not dialog.selected().active)
    with pytest.raises(NotAllowed, match="turned off"):
        clinic.admin.sign_in("dkim", COLLEAGUE_PASSWORD)
    row = dialog.model.row_of("dkim")
    assert dialog.model.index(row, 3).data() == "No (turned off)"
    assert dialog.active_button.text() == "&Enable…"
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    _confirm(qtbot, dialog)
    assert clinic.admin.sign_in("dkim", COLLEAGUE_PASSWORD).active


def test_the_last_administrator_cannot_be_disabled_and_the_list_says_why(qtbot, clinic, staff, make_window):
    window = make_signed_in_window(make_window, clinic, staff["admin"])
    dialog = _open_list(qtbot, window)
    dialog.select("alee")
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    words = _confirm(qtbot, dialog, "change_failed")
    assert "last active administrator" in words
    assert "last active administrator" in dialog.message_text()
    assert dialog.message.isVisible()
    assert {m.username: m.active for m in clinic.admin.list_staff()}["alee"] is True
    # Demoting is refused the same way.
    dialog.select("alee")
    dialog.ask("role", "manager")
    assert "last active administrator" in _confirm(qtbot, dialog, "change_failed")


def test_unlock_ends_a_lockout(qtbot, clinic, staff, make_window):
    for _ in range(clinic.settings.staff_lockout_threshold):
        with pytest.raises(NotAllowed):
            clinic.admin.sign_in("mlopez", "wrong-password-here")
    window = make_signed_in_window(make_window, clinic, staff["admin"])
    dialog = _open_list(qtbot, window)
    dialog.select("mlopez")
    row = dialog.model.row_of("mlopez")
    assert dialog.model.index(row, 5).data() != ""
    assert dialog.unlock_button.isEnabled()
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert "Unlock Maria Lopez (mlopez)'s sign-in now" in dialog.confirm.question.text()
    _confirm(qtbot, dialog)
    assert clinic.admin.sign_in("mlopez", COLLEAGUE_PASSWORD).username == "mlopez"
    dialog.select("dkim")
    assert not dialog.unlock_button.isEnabled()


def test_the_table_is_keyboard_navigable(qtbot, clinic, staff, make_window):
    window = make_signed_in_window(make_window, clinic, staff["admin"])
    dialog = _open_list(qtbot, window)
    dialog.table.setFocus()
    dialog.table.setCurrentIndex(dialog.model.index(0, 0))
    first = dialog.selected().username
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    assert dialog.selected().username != first
    for widget in (dialog.add_button, dialog.role_button, dialog.reset_button, dialog.active_button):
        assert "&" in widget.text() and widget.objectName() and widget.accessibleName()


@pytest.mark.parametrize("role", ["front_desk", "manager"])
def test_the_menu_entry_is_for_administrators_only(qtbot, clinic, staff, make_window, role):
    window = make_signed_in_window(make_window, clinic, staff[role])
    action = window.admin_tools.staff_action
    assert not action.isEnabled()
    assert action.toolTip() == refusal(Permission.STAFF_ACCOUNTS)
    assert window.admin_tools.open_staff_list() is None
    window.set_staff_member(staff["admin"])
    assert action.isEnabled()


def test_single_user_mode_may_open_the_list(qtbot, clinic, make_window):
    window = make_window(clinic, persist=False, send_mail=False, daily_backup=False)
    assert window.admin_tools.staff_action.isEnabled()
    assert window.admin_tools.audit_action.isEnabled()


def _mnemonics(texts: list[str]) -> list[str]:
    return [text[text.index("&") + 1].lower() for text in texts if "&" in text]


def test_keyboard_shortcuts_do_not_clash(qtbot, clinic, staff, make_window):
    window = make_signed_in_window(make_window, clinic, staff["admin"])
    menu = window.admin_tools.menu
    keys = _mnemonics([action.text() for action in menu.actions()])
    assert len(keys) == len(set(keys)) == 2
    dialog = _open_list(qtbot, window)
    buttons = [dialog.add_button, dialog.role_button, dialog.reset_button, dialog.active_button]
    keys = _mnemonics([button.text() for button in [*buttons, dialog.unlock_button]])
    assert len(keys) == len(set(keys))
    form = dialog.open_add_form()
    captions = [label.text() for label in form.findChildren(QLabel) if label.buddy() is not None]
    keys = _mnemonics([*captions, form.add_button.text()])
    assert len(keys) == len(set(keys)) == 6
    form.reject()


def test_changing_ones_own_role_warns_first_and_the_window_follows(qtbot, clinic, staff, make_window):
    window = make_signed_in_window(make_window, clinic, staff["admin"])
    clinic.admin.set_staff_role("dkim", "admin", actor="alee")  # someone else stays administrator
    dialog = _open_list(qtbot, window)
    dialog.select("alee")
    dialog.ask("role", "manager")
    assert "This is your own account" in dialog.confirm.question.text()
    with qtbot.waitSignal(window.staff_changed, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.confirm.confirm_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].role == "manager"
    assert not window.may(Permission.STAFF_ACCOUNTS)
    assert not window.admin_tools.staff_action.isEnabled()
    qtbot.waitUntil(lambda: window.admin_tools.staff_list is None)  # no longer theirs to manage
