"""Turning portal access off and on from the Patient menu: dialog, service, icon, History card."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from clinic_desk import DatabaseUnavailable
from clinic_desk.domain.roles import Permission, refusal
from tests.services.helpers import add_ready_patient
from tests.ui.helpers import open_in, wait_for_colour
from tests.ui.patient.chart_helpers import USERNAMES, add_staff, history_has, open_dialog, press


def test_turn_access_off_with_a_reason_turns_the_icon_red_and_the_history_says_who(
    qtbot, clinic, make_window
):
    members = add_staff(clinic)
    pid = add_ready_patient(clinic, actor=USERNAMES["front_desk"])
    window = make_window(clinic, persist=False, send_mail=False, staff=members["front_desk"])
    open_in(qtbot, window, pid)
    wait_for_colour(qtbot, window, "gold")

    dialog = open_dialog(qtbot, window, "turn_access_off")
    assert dialog.objectName() == "accessOffDialog"
    assert "Ana Lopez" in dialog.heading.text()
    dialog.choose("security", "Ex-partner may know the password")
    words = dialog.summary.text()
    assert "turned off for security" in words and "links in emails already sent stop working" in words
    press(qtbot, dialog)

    wait_for_colour(qtbot, window, "red")
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()  # closed (and deleted)
    qtbot.waitUntil(
        lambda: history_has(window, "maria.front", "Turned portal access off", "Reason: Security"),
        timeout=5000,
    )
    [row] = [row for row in window.dash.history_card.rows_text() if row[2] == "Turned portal access off"]
    assert "Portal access: on \u2192 off" in row[3]
    assert "Ex-partner may know the password" in row[3]
    assert clinic.status(pid).reason("access_disabled_by_staff").facts["disabled_by"] == "maria.front"


def test_other_without_a_note_shows_the_services_words_under_the_note_and_writes_nothing(
    qtbot, clinic, make_window
):
    pid = add_ready_patient(clinic)
    window = make_window(clinic, persist=False, send_mail=False)
    open_in(qtbot, window, pid)
    audit_before = len(clinic.audit(patient_id=pid))

    dialog = open_dialog(qtbot, window, "turn_access_off")
    dialog.choose("other")
    [words] = press(qtbot, dialog, "action_failed")

    assert "add a note" in words
    assert dialog.error_text("note") == words
    assert dialog.isVisible() and dialog.note.hasFocus()
    assert clinic.status(pid).color == "gold"
    assert len(clinic.audit(patient_id=pid)) == audit_before

    dialog.note.setText("Patient moved abroad")
    press(qtbot, dialog)
    wait_for_colour(qtbot, window, "red")


def test_no_reason_chosen_the_service_asks_for_one(qtbot, clinic, make_window):
    pid = add_ready_patient(clinic)
    window = make_window(clinic, persist=False, send_mail=False)
    open_in(qtbot, window, pid)
    dialog = open_dialog(qtbot, window, "turn_access_off")
    assert "choose a reason" in dialog.summary.text()
    [words] = press(qtbot, dialog, "action_failed")
    assert dialog.error_text("reason") == words
    assert "Say why portal access is being turned off" in words


def test_undoing_a_colleagues_switch_off_asks_for_a_note(qtbot, clinic, make_window):
    members = add_staff(clinic)
    pid = add_ready_patient(clinic, actor=USERNAMES["front_desk"])
    clinic.staff.set_portal_access(
        pid, enabled=False, actor=USERNAMES["front_desk"], reason="patient_request"
    )
    window = make_window(clinic, persist=False, send_mail=False, staff=members["manager"])
    open_in(qtbot, window, pid)
    wait_for_colour(qtbot, window, "red")

    dialog = open_dialog(qtbot, window, "turn_access_on")
    assert dialog.note_needed and dialog.field_visible("note")
    assert "maria.front turned it off because the patient asked" in dialog.summary.text()
    [words] = press(qtbot, dialog, "action_failed")
    assert dialog.error_text("note") == words
    assert "add a note" in words

    dialog.note.setText("Patient called back and wants the portal")
    press(qtbot, dialog)
    wait_for_colour(qtbot, window, "gold")
    qtbot.waitUntil(lambda: history_has(window, "sam.manager", "Turned portal access on"), timeout=5000)


def test_own_switch_off_needs_no_note(qtbot, clinic, make_window):
    pid = add_ready_patient(clinic)
    window = make_window(clinic, persist=False, send_mail=False)
    clinic.staff.set_portal_access(pid, enabled=False, actor=window.actor(), reason="patient_request")
    open_in(qtbot, window, pid)
    dialog = open_dialog(qtbot, window, "turn_access_on")
    assert not dialog.note_needed and not dialog.field_visible("note")
    press(qtbot, dialog)
    wait_for_colour(qtbot, window, "gold")


def test_front_desk_cannot_undo_a_switch_off_for_security(qtbot, clinic, make_window):
    members = add_staff(clinic)
    pid = add_ready_patient(clinic, actor=USERNAMES["manager"])
    clinic.staff.set_portal_access(
        pid, enabled=False, actor=USERNAMES["manager"], reason="security", note="x"
    )
    window = make_window(clinic, persist=False, send_mail=False, staff=members["front_desk"])
    open_in(qtbot, window, pid)
    turn_on = window.chart_actions.actions["turn_access_on"]
    qtbot.waitUntil(lambda: not turn_on.isEnabled(), timeout=3000)
    assert turn_on.toolTip() == refusal(Permission.UNDO_PROTECTED_SWITCH_OFF)
    assert window.chart_actions.turn_access_on() is None

    # A manager signs in at the same window: the action comes back.
    window.set_staff_member(members["manager"])
    assert turn_on.isEnabled()
    dialog = open_dialog(qtbot, window, "turn_access_on")
    assert "for security" in dialog.summary.text()
    dialog.note.setText("Password changed with the patient in person")
    press(qtbot, dialog)
    wait_for_colour(qtbot, window, "gold")


def test_the_actions_are_in_the_patient_menu_with_keyboard_access(qtbot, clinic, make_window):
    window = make_window(clinic, persist=False, send_mail=False)
    menu = window.findChild(QMenu, "patientMenu")
    assert menu.toolTipsVisible()  # a disabled item says who may do it
    texts = [action.text() for action in menu.actions() if not action.isSeparator()]
    for name in ("new_patient", "turn_access_off", "turn_access_on", "set_status"):
        assert window.chart_actions.actions[name].text() in texts
    mnemonics = [text[text.index("&") + 1].lower() for text in texts if "&" in text]
    assert len(mnemonics) == len(texts) == len(set(mnemonics)), texts
    taken = {"Ctrl+F", "Ctrl+T", "Ctrl+E", "F5", "Ctrl+L", "Ctrl+Shift+R", "Ctrl+Q"}
    shortcuts = [
        a.shortcut().toString() for a in window.chart_actions.actions.values() if not a.shortcut().isEmpty()
    ]
    assert shortcuts == ["Ctrl+N"] and not taken & set(shortcuts)

    # Nothing open: the chart actions wait for a patient; a walk-in can be added any time.
    assert window.chart_actions.actions["new_patient"].isEnabled()
    assert not window.chart_actions.actions["turn_access_off"].isEnabled()
    assert window.chart_actions.actions["turn_access_off"].toolTip().startswith("Open a patient first")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    with qtbot.waitSignal(window.chart_actions.dialog_opened, timeout=3000) as blocker:
        qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args[0].objectName() == "newPatientDialog"


def test_a_refusal_from_the_services_is_shown_in_the_dialog(qtbot, clinic, make_window):
    members = add_staff(clinic)
    pid = add_ready_patient(clinic, actor=USERNAMES["manager"])
    window = make_window(clinic, persist=False, send_mail=False, staff=members["manager"])
    open_in(qtbot, window, pid)
    dialog = open_dialog(qtbot, window, "set_status")
    dialog.choose("inactive")
    # An administrator makes the manager front-desk staff while the dialog is open.
    clinic.admin.set_staff_role(USERNAMES["manager"], "front_desk", actor=USERNAMES["admin"])
    [words] = press(qtbot, dialog, "action_failed")
    assert words == refusal(Permission.SET_PATIENT_STATUS)
    assert dialog.message_text() == words and dialog.isVisible()
    assert clinic.staff.chart(pid).status == "active"


def test_pressing_again_after_a_fault_sends_the_same_request_id(qtbot, clinic, make_window, monkeypatch):
    pid = add_ready_patient(clinic)
    window = make_window(clinic, persist=False, send_mail=False)
    open_in(qtbot, window, pid)
    real = clinic.staff.set_portal_access
    sent: list[str] = []

    def server_away_once(*args, **kwargs):
        sent.append(kwargs["request_id"])
        if len(sent) == 1:
            raise DatabaseUnavailable("The clinic database could not be reached. Nothing was saved.")
        return real(*args, **kwargs)

    monkeypatch.setattr(clinic.staff, "set_portal_access", server_away_once)
    dialog = open_dialog(qtbot, window, "turn_access_off")
    dialog.choose("patient_request")
    [words] = press(qtbot, dialog, "action_failed")
    assert "Press the button again" in words and words == dialog.message_text()
    press(qtbot, dialog)
    assert len(sent) == 2 and sent[0] == sent[1]
    wait_for_colour(qtbot, window, "red")

    # A new intention (another dialog) gets a new request id.
    dialog = open_dialog(qtbot, window, "turn_access_on")
    monkeypatch.setattr(clinic.staff, "set_portal_access", server_away_once)
    press(qtbot, dialog)
    assert len(sent) == 3 and sent[2] != sent[0]
