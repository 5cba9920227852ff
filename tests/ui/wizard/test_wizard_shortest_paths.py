"""Every seed fix from the open patient by keys only: Ctrl+T, then Enter runs the first step.

Each test counts keyboard actions (one chord or one typed value each; opening the patient
is not counted), asserts the result in the clinic and the count, and checks after each
step that the focus is in view in the panel and the result shows in the feedback line.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.ui.helpers import wait_for_colour
from tests.ui.wizard.keyboard import (
    TIMEOUT,
    Keyboard,
    assert_feedback_shows,
    assert_focus_in_view,
    open_panel,
)

ENTER = Qt.Key.Key_Return


@pytest.fixture
def desk(desk_of_size: Any) -> Any:
    """The demo clinic in a 1366×768 window: ``(clinic, ids, window)``."""
    return desk_of_size(1366, 768)


def turn_access_on_with_enter(keys: Keyboard, panel: Any) -> None:
    """The focus is on the access step's note: Enter opens the confirmation, Enter confirms."""
    assert assert_focus_in_view(panel).objectName() == "wizardNote"
    assert panel.step("turn_access_on").isAncestorOf(keys.focused())
    keys.press(ENTER)
    keys.enter_and_wait(panel)


@pytest.mark.parametrize(
    ("key", "value"), [("red_missing_email", "dorothy.h@example.com"), ("red_missing_zip", "02118")]
)
def test_missing_email_or_zip_saved_and_access_on_in_four_keys(qtbot, desk, key, value):
    clinic, ids, window = desk
    pid = ids[key]
    panel = open_panel(qtbot, window, pid)
    keys = Keyboard(qtbot, window)
    keys.troubleshoot(panel)  # the missing detail's box
    keys.type(value)
    keys.press(ENTER)  # opens the confirmation: "Save, then turn access on" focused
    assert keys.focused().objectName() == "wizardConfirmAlso"
    keys.enter_and_wait(panel)
    assert_feedback_shows(panel, "Saved:")
    assert_feedback_shows(panel, "Portal access is on.")
    assert_focus_in_view(panel)
    wait_for_colour(qtbot, window, "gold", timeout=TIMEOUT)
    assert clinic.status(pid).color == "gold"
    assert keys.count == 4


def test_missing_email_and_zip_saved_and_access_on_in_six_keys(qtbot, desk):
    clinic, ids, window = desk
    pid = ids["red_missing_both"]
    panel = open_panel(qtbot, window, pid)
    keys = Keyboard(qtbot, window)
    keys.troubleshoot(panel)
    keys.type("minh.nguyen@example.com")
    keys.press(ENTER)  # on to the empty ZIP box
    assert keys.focused().objectName() == "wizardField_zip_code"
    keys.type("02118")
    keys.press(ENTER)
    keys.enter_and_wait(panel)
    wait_for_colour(qtbot, window, "gold", timeout=TIMEOUT)
    assert clinic.staff.chart(pid).zip_code == "02118"
    assert clinic.status(pid).color == "gold"
    assert keys.count == 6


def test_save_only_stays_one_key_away(qtbot, desk):
    """Confirm (Tab from the combined answer) saves without turning access on, as before."""
    clinic, ids, window = desk
    pid = ids["red_missing_zip"]
    panel = open_panel(qtbot, window, pid)
    keys = Keyboard(qtbot, window)
    keys.troubleshoot(panel)
    keys.type("02118")
    keys.press(ENTER)
    keys.press(Qt.Key.Key_Tab)
    assert keys.focused().objectName() == "wizardConfirm"
    keys.enter_and_wait(panel)
    assert clinic.staff.chart(pid).zip_code == "02118" and clinic.status(pid).color == "red"
    turn_access_on_with_enter(keys, panel)
    wait_for_colour(qtbot, window, "gold", timeout=TIMEOUT)


def test_unconfirmed_registration_with_a_typo_in_five_keys(qtbot, desk):
    clinic, ids, window = desk
    pid = ids["red_unconfirmed"]
    panel = open_panel(qtbot, window, pid)
    keys = Keyboard(qtbot, window)
    keys.troubleshoot(panel)  # the email box, holding the suggested spelling
    assert keys.focused().text() == "maria.gonzalez@gmail.com"
    keys.press(ENTER)
    keys.enter_and_wait(panel)
    assert clinic.staff.chart(pid).email == "maria.gonzalez@gmail.com"
    assert_feedback_shows(panel, "Saved: email maria.gonzalez@gmail.com.")
    assert panel.step("fix_email").finished  # folded to its summary: no second save by Enter
    turn_access_on_with_enter(keys, panel)
    wait_for_colour(qtbot, window, "gold", timeout=TIMEOUT)
    assert keys.count == 5


def test_staff_switch_off_undone_with_a_note_in_four_keys(qtbot, desk):
    clinic, ids, window = desk
    pid = ids["red_disabled"]
    panel = open_panel(qtbot, window, pid)
    keys = Keyboard(qtbot, window)
    keys.troubleshoot(panel)
    assert keys.focused().objectName() == "wizardNote"
    keys.type("Custody settled; father called")
    keys.press(ENTER)
    question = panel.step("reenable_access").findChild(QLabel, "wizardConfirmQuestion").text()
    assert "Parent asked to turn the portal off while custody is reviewed." in question  # their note
    keys.enter_and_wait(panel)
    assert clinic.portal_facts(pid).access_enabled
    assert clinic.audit(patient_id=pid, limit=1)[0].note == "Custody settled; father called"
    assert_feedback_shows(panel, "Portal access is on.")
    assert keys.count == 4


def test_gold_resend_invitation_in_four_keys(qtbot, desk):
    clinic, ids, window = desk
    pid = ids["gold_invited"]
    before = len(clinic.mail.outbox(pid))
    panel = open_panel(qtbot, window, pid)
    keys = Keyboard(qtbot, window)
    keys.troubleshoot(panel)  # the first way forward: send a new invitation
    keys.press(ENTER)  # picks it and goes to its button
    assert keys.focused().objectName() == "wizardAction_resend_invitation"
    keys.press(ENTER)
    keys.enter_and_wait(panel)
    outbox = clinic.mail.outbox(pid)
    assert len(outbox) == before + 1 and outbox[0].kind == "invitation" and outbox[0].status == "queued"
    assert_feedback_shows(panel, "Queued: it goes out once the clinic's email server is set up.")
    assert_focus_in_view(panel)
    assert keys.count == 4


def test_locked_blue_unlocked_in_three_keys(qtbot, desk):
    clinic, ids, window = desk
    pid = ids["locked"]
    panel = open_panel(qtbot, window, pid)
    keys = Keyboard(qtbot, window)
    keys.troubleshoot(panel)
    assert keys.focused().objectName() == "wizardAction_unlock_account"
    keys.press(ENTER)
    keys.enter_and_wait(panel)
    assert "account_locked" not in [spot.code for spot in clinic.status(pid).trouble_spots]
    assert_feedback_shows(panel, "The account is unlocked.")
    assert_focus_in_view(panel)
    assert keys.count == 3


def test_no_email_new_temporary_password_in_four_keys(qtbot, desk):
    """Replacing a password is deliberate: Enter opens the question, Tab to "Replace password", Enter."""
    clinic, ids, window = desk
    pid = ids["placeholder"]
    panel = open_panel(qtbot, window, pid)
    keys = Keyboard(qtbot, window)
    keys.troubleshoot(panel)
    assert keys.focused().objectName() == "wizardAction_set_credentials"
    keys.press(ENTER)
    assert keys.focused().objectName() == "wizardCancel"  # "Keep it" first
    keys.press(Qt.Key.Key_Tab)
    assert keys.focused().objectName() == "wizardConfirm"
    keys.enter_and_wait(panel)
    assert panel.slip is not None and keys.focused() is panel.slip.copy_button
    assert clinic.portal.login("wkowalski", panel.slip.password)
    assert keys.count == 4


def test_no_email_placeholder_access_and_credentials_in_five_keys(qtbot, desk):
    """Placeholder and access on in one answer, then username and password: 5 actions."""
    clinic, ids, window = desk
    pid = ids["red_missing_email"]
    panel = open_panel(qtbot, window, pid)
    keys = Keyboard(qtbot, window)
    keys.troubleshoot(panel)
    keys.press(Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)  # "Use a place&holder…"
    qtbot.waitUntil(lambda: keys.focused().objectName() == "wizardConfirmAlso", timeout=TIMEOUT)
    question = panel.step("offer_placeholder_email").findChild(QLabel, "wizardConfirmQuestion").text()
    assert "reset their own password" in question
    keys.enter_and_wait(panel)
    assert keys.focused().objectName() == "wizardField_username"
    assert_focus_in_view(panel)
    keys.press(ENTER)
    keys.enter_and_wait(panel)
    assert panel.slip is not None and keys.focused() is panel.slip.copy_button
    assert clinic.portal.login("dorothy.hughes", panel.slip.password)
    assert keys.count == 5
