"""Wizard boxes are checked as staff type, by the rules the services use, and are wide enough."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from clinic_desk.domain.troubleshooting import StepField
from clinic_desk.ui.wizard.field_check import FieldRules
from clinic_desk.ui.wizard.fields import FieldEditor
from tests.ui.wizard.keyboard import TIMEOUT, open_panel

STEP = "add_missing_details"


@pytest.fixture
def missing_both(qtbot: Any, clinic: Any, make_window: Any) -> Any:
    """A patient without email and ZIP code, the wizard open on them: ``(clinic, pid, panel)``."""
    pid = clinic.staff.add_patient(
        first_name="Minh", last_name="Nguyen", date_of_birth="1980-02-03", actor="desk"
    )
    window = make_window(clinic, send_mail=False)
    window.resize(1024, 768)
    window.troubleshooting_dock.show()
    panel = open_panel(qtbot, window, pid)
    qtbot.waitUntil(lambda: panel.step(STEP) is not None and panel.step(STEP).isVisible(), timeout=TIMEOUT)
    return clinic, pid, panel


def box(panel: Any, name: str) -> QLineEdit:
    return panel.step(STEP).findChild(QLineEdit, f"wizardField_{name}")


def message(panel: Any, name: str) -> QLabel:
    return panel.step(STEP).findChild(QLabel, f"wizardFieldError_{name}")


def save_button(panel: Any) -> QPushButton:
    return panel.step(STEP).findChild(QPushButton, f"wizardAction_{STEP}")


def type_in(qtbot: Any, field: QLineEdit, text: str) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)


def test_an_untouched_empty_box_says_nothing(missing_both):
    _clinic, _pid, panel = missing_both
    for name in ("email", "zip_code"):
        assert not message(panel, name).isVisible()
        assert box(panel, name).property("invalid") is False
    assert save_button(panel).isEnabled()
    assert save_button(panel).toolTip() == ""


def test_a_bad_email_is_said_as_typed_and_greys_out_save_until_fixed(qtbot, missing_both):
    clinic, pid, panel = missing_both
    type_in(qtbot, box(panel, "email"), "minh@gmial")
    qtbot.waitUntil(lambda: message(panel, "email").isVisible(), timeout=TIMEOUT)  # no button pressed
    words = message(panel, "email").text()
    assert "not a valid email address" in words and "needs a dot, like example.com" in words
    assert box(panel, "email").property("invalid") is True
    assert not save_button(panel).isEnabled()
    assert save_button(panel).toolTip() == words  # the reason, on the greyed-out button

    qtbot.keyClicks(box(panel, "email"), ".com")  # fixed: accepted at once
    assert not message(panel, "email").isVisible()
    assert box(panel, "email").property("invalid") is False
    assert save_button(panel).isEnabled() and save_button(panel).toolTip() == ""
    assert clinic.staff.chart(pid).email is None  # checking writes nothing


def test_a_bad_zip_code_is_said_as_typed_with_the_services_words(qtbot, missing_both):
    _clinic, _pid, panel = missing_both
    type_in(qtbot, box(panel, "zip_code"), "2139")
    qtbot.waitUntil(lambda: message(panel, "zip_code").isVisible(), timeout=TIMEOUT)
    assert "if it starts with 0, type it in full (02139)" in message(panel, "zip_code").text()
    assert not save_button(panel).isEnabled()
    box(panel, "zip_code").selectAll()
    qtbot.keyClicks(box(panel, "zip_code"), "02139")
    assert not message(panel, "zip_code").isVisible() and save_button(panel).isEnabled()


def test_both_problems_show_at_once_and_leaving_a_box_checks_it_without_waiting(qtbot, missing_both):
    _clinic, _pid, panel = missing_both
    type_in(qtbot, box(panel, "email"), "minh at home")
    qtbot.keyClick(box(panel, "email"), Qt.Key.Key_Tab)  # the focus leaves: checked now
    assert message(panel, "email").isVisible()
    type_in(qtbot, box(panel, "zip_code"), "ABCDE")
    qtbot.waitUntil(lambda: message(panel, "zip_code").isVisible(), timeout=TIMEOUT)
    assert message(panel, "email").isVisible()  # not one at a time
    tooltip = save_button(panel).toolTip()
    assert message(panel, "email").text() in tooltip and message(panel, "zip_code").text() in tooltip


def test_enter_in_a_wrong_box_keeps_the_cursor_there_and_opens_no_confirmation(qtbot, missing_both):
    _clinic, _pid, panel = missing_both
    email = box(panel, "email")
    type_in(qtbot, email, "minh@")
    qtbot.keyClick(email, Qt.Key.Key_Return)  # before the pause ends: checked at once
    assert message(panel, "email").isVisible() and email.hasFocus()
    assert panel.step(STEP).confirm_bar is None


def test_the_email_box_takes_the_steps_width_at_1024(qtbot, missing_both):
    _clinic, _pid, panel = missing_both
    email = box(panel, "email")
    button = panel.step(STEP).findChild(QPushButton, "wizardSuggest_email")
    qtbot.waitUntil(lambda: email.width() >= 200, timeout=TIMEOUT)
    zip_code = box(panel, "zip_code")
    assert email.width() == zip_code.width()  # the whole width: the button sits under it
    assert button.geometry().top() >= email.geometry().bottom()


def test_a_box_without_a_rule_or_read_only_is_never_checked(qtbot):
    rules = FieldRules()
    read_only = StepField(name="email", label="Email", kind="email", prefill="x@", read_only=True)
    assert rules.rule_for(read_only) is None
    editor = FieldEditor(
        StepField(name="last_name", label="Last name"), rule=rules.rule_for(StepField("a", "A"))
    )
    qtbot.addWidget(editor)
    editor.set_value("anything")
    assert editor.shown_problem is None and editor.message is None


def test_a_placeholder_address_passes_the_clinics_domain(qtbot):
    field = StepField(name="email", label="Email", kind="email")
    editor = FieldEditor(field, rule=FieldRules(placeholder_domain="none.invalid").rule_for(field))
    qtbot.addWidget(editor)
    editor.set_value("mrn1@none.invalid")
    assert editor.shown_problem is None
    editor.set_value("mrn 1@none.invalid")
    assert "not a valid placeholder address" in (editor.shown_problem or "")
