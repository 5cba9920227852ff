"""The temporary password never outlives its moment, and two stray Enters never replace it."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLineEdit, QWidget

from clinic_desk.demo.people import DEMO_PASSWORD
from clinic_desk.ui.wizard.slip_keeper import SECRET_LIFETIME_MS, single_shot_timer
from tests.ui.wizard.keyboard import TIMEOUT, Keyboard, open_panel

ENTER = Qt.Key.Key_Return


@pytest.fixture
def desk(desk_of_size: Any) -> Any:
    """The demo clinic in a 1366×768 window: ``(clinic, ids, window)``."""
    return desk_of_size(1366, 768)


def issue_password(qtbot: Any, window: Any, patient_id: int) -> tuple[Any, Keyboard]:
    """Replace the placeholder patient's password by keys until the slip shows; the focus is on Copy."""
    panel = open_panel(qtbot, window, patient_id)
    keys = Keyboard(qtbot, window)
    keys.troubleshoot(panel)
    keys.press(ENTER)
    keys.press(Qt.Key.Key_Tab)
    keys.enter_and_wait(panel)
    assert panel.slip is not None
    return panel, keys


def secret_on_screen(panel: Any, password: str) -> bool:
    """True when the password shows anywhere in the panel."""
    boxes = panel.findChildren(QLineEdit)
    return panel.slip is not None or any(password in box.text() for box in boxes if box.isVisible())


def test_the_slip_is_focused_on_copy_then_done_never_on_a_replace_button(qtbot, desk):
    _clinic, ids, window = desk
    panel, keys = issue_password(qtbot, window, ids["placeholder"])
    slip = panel.slip
    assert keys.focused() is slip.copy_button
    keys.press(Qt.Key.Key_Tab)
    assert keys.focused() is slip.done_button
    assert panel.step("set_credentials").finished  # "Set password…" is not offered in place


def test_two_stray_enters_do_not_replace_the_password_just_issued(qtbot, desk):
    clinic, ids, window = desk
    panel, keys = issue_password(qtbot, window, ids["placeholder"])
    password = panel.slip.password
    started: list[str] = []
    panel.action_started.connect(started.append)
    keys.press(ENTER)
    keys.press(ENTER)
    qtbot.wait(50)  # nothing is supposed to happen: give a stray action the chance to start
    assert started == []
    assert panel.slip is not None and panel.slip.password == password
    assert clinic.portal.login("wkowalski", password)


def test_replacing_asks_carefully_and_enter_keeps_the_password(qtbot, desk):
    clinic, ids, window = desk
    panel = open_panel(qtbot, window, ids["placeholder"])
    keys = Keyboard(qtbot, window)
    keys.troubleshoot(panel)
    keys.press(ENTER)  # "Set password…": the careful question
    step = panel.step("set_credentials")
    keep = step.findChild(QWidget, "wizardCancel")
    assert keys.focused() is keep and keep.text() == "Keep &it" and keep.isDefault()
    assert not step.findChild(QWidget, "wizardConfirm").isDefault()
    started: list[str] = []
    panel.action_started.connect(started.append)
    keys.press(ENTER)  # keeps it
    assert started == [] and step.confirm_bar is None
    assert len(clinic.audit(patient_id=ids["placeholder"], action="set_credentials")) == 1  # the seed's only
    assert clinic.portal.login("wkowalski", DEMO_PASSWORD)  # the password the patient has still works


def test_the_slip_goes_when_another_patient_opens(qtbot, desk):
    _clinic, ids, window = desk
    panel, _keys = issue_password(qtbot, window, ids["placeholder"])
    password = panel.slip.password
    open_panel(qtbot, window, ids["blue"])
    assert not secret_on_screen(panel, password)
    assert "Kowalski" not in panel.title.text() and "wkowalski" not in panel.status_text()


def test_the_slip_goes_when_the_window_locks(qtbot, desk):
    _clinic, ids, window = desk
    panel, _keys = issue_password(qtbot, window, ids["placeholder"])
    password = panel.slip.password
    window.lock()
    qtbot.waitUntil(lambda: window.locked, timeout=TIMEOUT)
    assert not secret_on_screen(panel, password)
    assert "window locked" in panel.status_text()


def test_the_slip_goes_after_two_minutes(qtbot, desk):
    _clinic, ids, window = desk
    assert single_shot_timer().interval() == SECRET_LIFETIME_MS == 120_000
    panel = open_panel(qtbot, window, ids["placeholder"])
    timers: list[QTimer] = []

    def fake_timer() -> QTimer:
        timer = QTimer()  # never started by the clock: the test fires it
        timer.setInterval(10**9)
        timers.append(timer)
        return timer

    panel.secrets.make_timer = fake_timer
    keys = Keyboard(qtbot, window)
    keys.troubleshoot(panel)
    keys.press(ENTER)
    keys.press(Qt.Key.Key_Tab)
    keys.enter_and_wait(panel)
    password = panel.slip.password
    timers[-1].timeout.emit()  # two minutes later
    assert not secret_on_screen(panel, password)
    assert "after 2 minutes" in panel.status_text() and panel.feedback.isVisible()
    assert panel.isAncestorOf(keys.focused())  # the focus stays in the panel
