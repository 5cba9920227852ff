"""The panel's words: what a confirmation says, what a result says, and mnemonics free of the menus."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from clinic_desk.domain import troubleshooting as plan
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.troubleshooting import Detail, PlanStep, StepField
from clinic_desk.ui.wizard import actions
from clinic_desk.ui.wizard.fields import FieldEditor
from tests.ui.wizard.keyboard import open_panel

MENU_LETTERS = {"f", "p", "c", "v"}  # File, Patient, Clinic, View


def mnemonic(text: str) -> str:
    index = text.replace("&&", "").find("&")
    return text.replace("&&", "")[index + 1].lower() if index >= 0 else ""


def step(step_id: str, action: str, **extra: Any) -> PlanStep:
    return PlanStep(id=step_id, kind="action", title="Title", body="Body", action=action, **extra)


def test_a_missing_zip_code_is_asked_for_in_capitals(qtbot):
    editor = FieldEditor(StepField(name="zip_code", label="ZIP code", kind="zip_code"))
    qtbot.addWidget(editor)
    assert editor.problem() == "Enter the ZIP code."
    email = FieldEditor(StepField(name="email", label="Email", kind="email"))
    qtbot.addWidget(email)
    assert email.problem() == "Enter the email."


def test_the_email_error_never_repeats_the_typo_as_an_example(clinic):
    pid = clinic.staff.add_patient(
        first_name="Ana", last_name="Ruiz", date_of_birth="1990-01-01", actor="desk"
    )
    with pytest.raises(ValidationError) as refused:
        clinic.staff.update_contact(pid, email="ana@gmial", actor="desk")
    words = str(refused.value)  # it quotes what was typed, but the example is never the typo
    assert "like gmial" not in words and words.endswith("needs a dot, like example.com.")


def test_resends_say_the_old_link_stops_working():
    for step_id in (plan.RESEND_INVITATION, plan.SEND_PASSWORD_RESET):
        question = actions.confirm_words(step(step_id, plan.SEND_INVITATION, confirm_text="Send it?"), {})
        assert "stop working" in question, step_id


def test_saving_a_placeholder_address_warns_like_the_placeholder_step():
    save = step(plan.ADD_MISSING_DETAILS, plan.UPDATE_CONTACT)
    question = actions.confirm_words(save, {"email": "mrn100008@noemail.invalid"})
    assert "will not be able to reset their own password" in question
    assert "reset" not in actions.confirm_words(save, {"email": "dot@example.com"})


def test_turning_access_back_on_repeats_the_colleagues_note():
    details = (Detail("Turned off by", "marcus"), Detail("Their note", "Custody is reviewed."))
    reenable = step(plan.REENABLE_ACCESS, plan.SET_PORTAL_ACCESS_ON, details=details, confirm_text="Turn on?")
    assert actions.confirm_words(reenable, {"note": "ok"}) == (
        "Turn on? marcus turned it off with the note: “Custody is reviewed.”"
    )


def test_results_say_queued_without_an_email_server_and_nothing_changed_when_so():
    invite = step(plan.SEND_INVITATION_STEP, plan.SEND_INVITATION)
    assert actions.done_words(invite, mail_server_set=False) == actions.QUEUED_WORDS
    assert actions.done_words(invite, mail_server_set=True) == "The email is on its way."
    save = step(plan.FIX_EMAIL, plan.UPDATE_CONTACT)
    assert (
        actions.done_words(save, {"email": "a@b.org"}, 7, expected_version=7) == actions.NOTHING_CHANGED_WORDS
    )
    assert actions.done_words(save, {"email": "a@b.org"}, 8, expected_version=7) == "Saved: email a@b.org."


def test_replacing_a_password_is_the_careful_kind():
    fixed = (StepField(name="username", label="Username", read_only=True),)
    assert actions.replaces_password(step(plan.SET_CREDENTIALS_STEP, plan.SET_CREDENTIALS, fields=fixed))
    new = (StepField(name="username", label="Username"),)
    assert not actions.replaces_password(step(plan.SET_CREDENTIALS_STEP, plan.SET_CREDENTIALS, fields=new))


@pytest.mark.parametrize("key", ["red_missing_email", "gold_invited", "placeholder", "locked"])
def test_no_panel_mnemonic_clashes_with_the_menu_bar(qtbot, demo, make_window, key):
    clinic, ids = demo
    window = make_window(clinic, send_mail=False)
    panel = open_panel(qtbot, window, ids[key])
    if panel.choice() is not None:
        panel.choice().choose(panel.choice().options[-1].id)
    texts = [button.text() for button in panel.findChildren(QPushButton)]
    texts += [label.text() for label in panel.findChildren(QLabel) if label.buddy() is not None]
    words = list(actions._BUTTON_WORDS.values()) + list(actions._STEP_BUTTON_WORDS.values())
    for text in texts + words:
        assert mnemonic(text) not in MENU_LETTERS, text


def test_save_then_turn_on_is_offered_only_before_the_plain_switch():
    class Plan:
        def __init__(self, *step_ids: str) -> None:
            self.step_ids = step_ids

    missing = step(plan.ADD_MISSING_DETAILS, plan.UPDATE_CONTACT)
    assert actions.also_words(missing, Plan(plan.ADD_MISSING_DETAILS, plan.TURN_ACCESS_ON))
    assert actions.also_words(missing, Plan(plan.ADD_MISSING_DETAILS, plan.REENABLE_ACCESS)) is None
    inactive = Plan(plan.REACTIVATE_PATIENT, plan.ADD_MISSING_DETAILS, plan.TURN_ACCESS_ON)
    assert actions.also_words(missing, inactive) is None
    fix = step(plan.FIX_EMAIL, plan.UPDATE_CONTACT)
    assert actions.also_words(fix, Plan(plan.FIX_EMAIL, plan.TURN_ACCESS_ON)) is None


def test_a_refused_switch_after_a_save_says_the_save_stands():
    def refuse() -> None:
        raise ValidationError("The patient is inactive.")

    result = actions._saved_then_on(lambda: 9, refuse)
    save = step(plan.ADD_MISSING_DETAILS, plan.UPDATE_CONTACT)
    words = actions.done_words(save, {"zip_code": "02118"}, result, expected_version=8)
    assert words == "Saved: ZIP code 02118. Portal access is still off: The patient is inactive."
    assert actions.done_role(words) == "warning"
