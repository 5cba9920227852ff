"""The wizard panel's craft: fits the dock, keyboard, accessibility, refresh, errors, the password slip."""

from __future__ import annotations

from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from clinic_desk import Clinic
from clinic_desk.domain.errors import NotFound
from clinic_desk.ui.patient.status_model import PortalStatusModel
from clinic_desk.ui.wizard import TroubleshootingWizardPanel
from clinic_desk.ui.wizard.focus import focus_chain
from clinic_desk.ui.wizard.password_slip import PasswordSlip
from clinic_desk.ui.wizard.step_widget import StepWidget
from clinic_desk.ui.wizard.tip_widget import TipWidget
from tests.ui.helpers import wait_for_colour

TIMEOUT = 10_000
DOCK_WIDTH = 360


def open_in_window(qtbot: Any, window: Any, patient_id: int) -> TroubleshootingWizardPanel:
    with qtbot.waitSignal(window.patient_opened, timeout=TIMEOUT):
        window.open_patient(patient_id)
    panel = window.troubleshooting_dock.widget()
    assert isinstance(panel, TroubleshootingWizardPanel)
    qtbot.waitUntil(lambda: panel.plan is not None and panel.plan.patient_id == patient_id, timeout=TIMEOUT)
    return panel


def test_the_wizard_is_the_default_panel_of_the_dock(qtbot, seeded, make_window):
    clinic, _ids = seeded
    window = make_window(clinic)
    panel = window.findChild(QWidget, "troubleshootingWizardPanel")
    assert isinstance(panel, TroubleshootingWizardPanel)
    assert panel.parent() is window.findChild(QWidget, "troubleshootingWizard")
    assert panel.title.text() == "No patient open"
    assert panel.steps() == []


@pytest.mark.parametrize("color", ["red", "gold", "blue"])
def test_every_colour_gets_a_plan_with_title_steps_and_badge(qtbot, seeded, make_window, color):
    clinic, ids = seeded
    window = make_window(clinic)
    panel = open_in_window(qtbot, window, ids[color])
    assert panel.color_badge.property("portalStatus") == color
    assert panel.plan.title in panel.title.text()
    assert [step.step_id for step in panel.steps()] == list(panel.plan.step_ids)
    assert [tip.tip.id for tip in panel.findChildren(TipWidget)] == list(panel.plan.tip_ids)


def test_once_the_next_patient_opened_only_their_plan_is_in_the_panel(qtbot, seeded, make_window):
    clinic, ids = seeded
    window = make_window(clinic)
    red = open_in_window(qtbot, window, ids["red"])
    assert red.steps()
    red_steps = list(red.findChildren(StepWidget))
    # The red plan's cards are only hidden as the blue patient opens (deleting them would
    # delay the first paint); drawing the blue plan deletes them.
    panel = open_in_window(qtbot, window, ids["blue"])
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not any(shiboken6.isValid(step) for step in red_steps)
    assert [tip.tip.id for tip in panel.findChildren(TipWidget)] == list(panel.plan.tip_ids)
    assert [step.step_id for step in panel.steps()] == list(panel.plan.step_ids)


def visible_step_ids(panel: TroubleshootingWizardPanel) -> list[str]:
    return [step.step_id for step in panel.steps() if not step.isHidden()]


def assert_fits(panel: TroubleshootingWizardPanel, key: str) -> None:
    QApplication.processEvents()
    viewport = panel.scroll_area.viewport().width()
    assert panel.scroll_area.horizontalScrollBar().maximum() == 0, key
    assert panel.body.width() <= viewport, key
    assert panel.body.minimumSizeHint().width() <= viewport, key
    for step in panel.steps():
        if not step.isHidden():
            assert step.geometry().right() <= panel.body.width(), (key, step.step_id)


def test_every_showcase_patient_fits_the_dock_without_a_horizontal_scrollbar(qtbot, demo, make_window):
    clinic, ids = demo
    window = make_window(clinic)
    window.resize(1366, 768)
    window.resizeDocks([window.troubleshooting_dock], [DOCK_WIDTH], Qt.Orientation.Horizontal)
    for key, patient_id in ids.items():
        panel = open_in_window(qtbot, window, patient_id)
        assert abs(panel.width() - DOCK_WIDTH) <= 40
        assert_fits(panel, key)
        choice = panel.choice()
        for option in choice.options if choice is not None else ():
            choice.choose(option.id)
            assert set(option.steps) <= set(visible_step_ids(panel)), key
            assert_fits(panel, f"{key}/{option.id}")


def test_every_interactive_widget_has_an_accessible_name(qtbot, demo, make_window):
    clinic, ids = demo
    window = make_window(clinic)
    for key in ("red_missing_both", "gold_invited", "locked", "red_disabled", "red_unconfirmed"):
        panel = open_in_window(qtbot, window, ids[key])
        if panel.choice() is not None:
            panel.choice().choose(panel.choice().options[-1].id)
        for widget in panel.findChildren(QWidget):
            if isinstance(widget, (QAbstractButton, QLineEdit)):
                assert widget.accessibleName(), (key, widget.objectName())
                assert widget.accessibleDescription(), (key, widget.objectName())
        for step in panel.steps():
            assert step.accessibleName() == step.step.title


def test_keyboard_only_turn_access_on(qtbot, seeded, make_window):
    clinic, ids = seeded
    pid = ids["red"]
    clinic.staff.update_contact(pid, email="maria@example.com", actor="frontdesk")
    window = make_window(clinic)
    panel = open_in_window(qtbot, window, pid)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)  # Troubleshoot
    note = panel.step("turn_access_on").findChild(QLineEdit, "wizardNote")
    qtbot.waitUntil(note.hasFocus, timeout=TIMEOUT)
    qtbot.keyClicks(note, "Asked at the desk")
    qtbot.keyClick(note, Qt.Key.Key_Return)  # Enter in a box presses the step's button
    confirm = panel.step("turn_access_on").findChild(QPushButton, "wizardConfirm")
    assert confirm is not None and confirm.hasFocus()
    qtbot.keyClick(confirm, Qt.Key.Key_Escape)  # Escape cancels
    assert panel.step("turn_access_on").findChild(QPushButton, "wizardConfirm") is None
    action = panel.step("turn_access_on").findChild(QPushButton, "wizardAction_turn_access_on")
    assert action.hasFocus()
    qtbot.keyClick(action, Qt.Key.Key_Space)
    confirm = panel.step("turn_access_on").findChild(QPushButton, "wizardConfirm")
    with qtbot.waitSignal(panel.action_finished, timeout=TIMEOUT):
        qtbot.keyClick(confirm, Qt.Key.Key_Return)
    wait_for_colour(qtbot, window, "gold", timeout=TIMEOUT)
    assert clinic.staff.audit_trail(pid)[-1].note == "Asked at the desk"


def test_tab_order_follows_the_layout_top_to_bottom(qtbot, seeded, make_window):
    clinic, ids = seeded
    window = make_window(clinic)
    panel = open_in_window(qtbot, window, ids["gold"])
    panel.choice().choose("self_signup")
    chain = focus_chain(panel)
    chain[0].setFocus(Qt.FocusReason.TabFocusReason)
    seen = [QApplication.focusWidget()]
    while len(seen) < 40:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        if widget is None or not panel.isAncestorOf(widget) or widget in seen:
            break
        seen.append(widget)
    step = panel.step("match_check")
    names = [widget.objectName() for widget in seen if step.isAncestorOf(widget)]
    fields = [f"wizardField_{name}" for name in ("email", "last_name", "date_of_birth", "zip_code")]
    assert names == [*fields, "wizardAction_match_check", "wizardSkip_match_check"]
    assert "wizardAction_fix_email" in [widget.objectName() for widget in seen]
    tops = [widget.mapTo(panel.body, widget.rect().topLeft()).y() for widget in seen]
    assert tops == sorted(tops)


def test_mnemonics_on_buttons_and_radio_labels(qtbot, seeded, make_window):
    clinic, ids = seeded
    window = make_window(clinic)
    panel = open_in_window(qtbot, window, ids["gold"])
    for button in panel.findChildren(QPushButton):
        if button.objectName().startswith(("wizardAction_", "wizardSkip_")):
            assert "&" in button.text(), button.objectName()
    for radio in panel.findChildren(QRadioButton):
        label = panel.findChild(QLabel, "wizardOptionLabel_" + radio.property("optionId"))
        assert label.buddy() is radio and label.text().startswith("&")


def test_a_plan_that_did_not_change_is_not_redrawn_and_typing_survives_a_change(qtbot, seeded, make_window):
    clinic, ids = seeded
    window = make_window(clinic)
    panel = open_in_window(qtbot, window, ids["gold"])
    panel.choice().choose("self_signup")
    box = panel.step("match_check").findChild(QLineEdit, "wizardField_last_name")
    qtbot.keyClicks(box, "Hughez")
    before = panel.step("match_check")
    with qtbot.waitSignal(window.session.patient_loaded, timeout=TIMEOUT):
        window.session.reload()
    qtbot.waitUntil(lambda: not panel.busy, timeout=TIMEOUT)
    assert panel.step("match_check") is before  # same plan: same widgets
    # Someone else fixes the typo'd email: the plan changes and is redrawn, the typing stays.
    with qtbot.waitSignal(panel.plan_loaded, timeout=TIMEOUT):
        clinic.staff.update_contact(ids["gold"], email="jamal@gmail.com", actor="elsewhere")
    qtbot.waitUntil(lambda: "email_possible_typo" not in panel.plan.tip_ids, timeout=TIMEOUT)
    assert panel.choice().chosen.id == "self_signup"
    box = panel.step("match_check").findChild(QLineEdit, "wizardField_last_name")
    assert box.text() == "Hughez"


class _FlakyClinic:
    """Stands in for the clinic: the plan read fails until ``healed``."""

    def __init__(self, real: Clinic) -> None:
        self.real = real
        self.healed = False

    def patient_snapshot(self, patient_id: int) -> Any:
        if not self.healed:
            raise NotFound("The clinic database could not be reached.")
        return self.real.patient_snapshot(patient_id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def test_a_failed_read_says_why_and_retry_works(qtbot, seeded):
    clinic, ids = seeded
    flaky = _FlakyClinic(clinic)
    model = PortalStatusModel()
    panel = TroubleshootingWizardPanel(flaky, model)  # type: ignore[arg-type]
    qtbot.addWidget(panel)
    panel.show()
    model.begin_patient(ids["blue"])
    model.set_status(clinic.status(ids["blue"]), patient_name="Ann Lee")
    qtbot.waitUntil(panel.retry_button.isVisible, timeout=TIMEOUT)
    assert "could not be reached" in panel.status_text()
    flaky.healed = True
    with qtbot.waitSignal(panel.plan_loaded, timeout=TIMEOUT):
        qtbot.mouseClick(panel.retry_button, Qt.MouseButton.LeftButton)
    assert not panel.retry_button.isVisible()
    assert panel.step("account_summary") is not None


def test_password_slip_copies_prints_through_the_injected_function_and_forgets(qtbot):
    pages: list[tuple[str, str]] = []
    slip = PasswordSlip(
        "Ana Lopez",
        "ana.lopez",
        "kq7m-x4pd-9tzh",
        lambda _p, title, text: pages.append((title, text)) or True,
    )
    qtbot.addWidget(slip)
    slip.show()
    field = slip.findChild(QLineEdit, "temporaryPassword")
    assert field.text() == "kq7m-x4pd-9tzh" and field.isReadOnly()
    qtbot.mouseClick(slip.findChild(QPushButton, "copyPasswordButton"), Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "kq7m-x4pd-9tzh"
    with qtbot.waitSignal(slip.printed) as printed:
        qtbot.mouseClick(slip.findChild(QPushButton, "printPasswordButton"), Qt.MouseButton.LeftButton)
    assert printed.args == [True]
    assert "Username: ana.lopez" in pages[0][1] and "Temporary password: kq7m-x4pd-9tzh" in pages[0][1]
    with qtbot.waitSignal(slip.dismissed):
        qtbot.mouseClick(slip.findChild(QPushButton, "dismissPasswordButton"), Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == ""
    assert field.text() == "" and slip.password == ""


def test_screenshot_shows_the_wizard(qtbot, demo, tmp_path):
    from clinic_desk.ui.screenshot import take_screenshot

    clinic, ids = demo
    seen: list[Any] = []

    def prepare(window: Any) -> None:
        panel = window.troubleshooting_dock.widget()
        seen.append(panel.plan)
        panel.choice().choose("set_credentials")

    out = take_screenshot(
        clinic,
        str(ids["red_missing_email"]),
        tmp_path / "wizard.png",
        panel=True,
        size=(1366, 768),
        prepare=prepare,
    )
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1366, 768)
    assert seen and seen[0] is not None and seen[0].color == "red"


def test_the_wizard_never_reads_the_patient_a_second_time(qtbot, seeded, make_window):
    """Opening reads one snapshot (dash and wizard); a wizard action then costs one write and one read."""
    clinic, ids = seeded
    pid = ids["red"]
    clinic.staff.update_contact(pid, email="maria@example.com", actor="frontdesk")
    reads: list[int] = []
    real_snapshot = clinic.patient_snapshot

    def counted_snapshot(patient_id: int) -> Any:
        reads.append(patient_id)
        return real_snapshot(patient_id)

    clinic.patient_snapshot = counted_snapshot
    window = make_window(clinic)
    panel = open_in_window(qtbot, window, pid)
    assert reads == [pid]
    press_and_confirm = panel.step("turn_access_on").findChild(QPushButton, "wizardAction_turn_access_on")
    qtbot.mouseClick(press_and_confirm, Qt.MouseButton.LeftButton)
    confirm = panel.step("turn_access_on").findChild(QPushButton, "wizardConfirm")
    with qtbot.waitSignal(panel.action_finished, timeout=TIMEOUT):
        qtbot.mouseClick(confirm, Qt.MouseButton.LeftButton)
    wait_for_colour(qtbot, window, "gold", timeout=TIMEOUT)
    qtbot.waitUntil(lambda: panel.plan is not None and panel.plan.color == "gold", timeout=TIMEOUT)
    assert reads == [pid, pid]
