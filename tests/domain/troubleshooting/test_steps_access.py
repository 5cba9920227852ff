"""Red plans about the patient's status and the access switch: deceased, inactive, turned off, never on."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clinic_desk.domain import codes
from clinic_desk.domain.facts import PortalFacts
from clinic_desk.domain.status import evaluate
from clinic_desk.domain.wording import when
from tests.domain.factories import (
    LAST_WEEK,
    NOW,
    YESTERDAY,
    access_off,
    failed_email,
    logged_in,
    make_facts,
    unconfirmed,
)
from tests.domain.troubleshooting.helpers import plan_for, shown, step

# --- red: deceased -------------------------------------------------------------


@pytest.mark.parametrize(
    "facts",
    [
        make_facts(patient_status=codes.DECEASED),
        access_off(codes.OFF_NOT_ENABLED, patient_status=codes.DECEASED),
        access_off(codes.OFF_BY_STAFF, patient_status=codes.DECEASED, email=None, zip_code=None),
        unconfirmed(patient_status=codes.DECEASED, email="maria@gmial.com"),
        logged_in(
            patient_status=codes.DECEASED,
            access_enabled=False,
            failed_logins=6,
            locked_until=NOW + timedelta(minutes=5),
            newest_email=failed_email(),
        ),
    ],
)
def test_deceased_says_plainly_that_access_stays_off_and_offers_nothing(facts: PortalFacts) -> None:
    plan = plan_for(facts)
    assert plan.step_ids == ("explain_deceased",)
    only = plan.steps[0]
    assert only.kind == "info"
    assert only.action is None and not only.fields and not only.options
    assert "deceased" in only.body and "stays off" in only.body
    assert "cannot be turned on" in only.body
    assert plan.actions == ()
    assert plan.tips == ()
    assert set(evaluate(facts, NOW).reason_codes) <= set(only.addresses)


# --- red: inactive -------------------------------------------------------------


def test_inactive_offers_a_confirmed_reactivation_then_continues() -> None:
    facts = access_off(
        codes.OFF_NOT_ENABLED,
        patient_status=codes.INACTIVE,
        access_note="Turned off because the patient was marked inactive.",
    )
    plan = plan_for(facts)
    assert plan.step_ids[:2] == ("reactivate_patient", "turn_access_on")
    reactivate = step(plan, "reactivate_patient")
    assert reactivate.kind == "action"
    assert reactivate.action == "set_patient_status_active"
    assert reactivate.confirm_text == "Make Maria Lopez active again?"
    assert "inactive" in reactivate.body
    assert "marked inactive" in reactivate.body  # the automatic note is quoted
    turn_on = step(plan, "turn_access_on")
    assert turn_on.action == "set_portal_access_on"
    assert "after making the patient active" in turn_on.body
    assert "choose_invite_method" in plan.step_ids


def test_inactive_and_turned_off_by_staff_reactivates_then_reenables_with_a_note() -> None:
    plan = plan_for(access_off(codes.OFF_BY_STAFF, patient_status=codes.INACTIVE))
    assert plan.step_ids.index("reactivate_patient") < plan.step_ids.index("reenable_access")
    assert "turn_access_on" not in plan.step_ids


def test_inactive_with_access_still_on_only_reactivates() -> None:
    plan = plan_for(make_facts(patient_status=codes.INACTIVE, username="mlopez"))
    assert plan.step_ids[0] == "reactivate_patient"
    assert "turn_access_on" not in plan.step_ids and "reenable_access" not in plan.step_ids


# --- red: turned off by staff ----------------------------------------------------


def test_turned_off_by_staff_shows_who_when_and_the_note_and_requires_a_note() -> None:
    facts = access_off(
        codes.OFF_BY_STAFF,
        access_changed_by="dr.kim",
        access_changed_at=YESTERDAY,
        access_note="Patient asked us to pause portal access",
    )
    plan = plan_for(facts)
    reenable = step(plan, "reenable_access")
    assert reenable.kind == "action"
    assert reenable.action == "set_portal_access_on"
    assert reenable.requires_note
    (note,) = reenable.fields
    assert note.name == "note" and note.required and note.kind == "note"
    assert "dr.kim" in reenable.body
    assert when(YESTERDAY) in reenable.body
    assert '"Patient asked us to pause portal access."' in reenable.body
    assert reenable.confirm_text == "Turn portal access back on for Maria Lopez?"
    assert reenable.warning and "on purpose" in reenable.warning
    details = {detail.label: detail.value for detail in reenable.details}
    assert details == {
        "Turned off by": "dr.kim",
        "When": when(YESTERDAY),
        "Their note": "Patient asked us to pause portal access",
    }
    assert "turn_access_on" not in plan.step_ids


def test_turned_off_by_unknown_staff_without_a_note() -> None:
    plan = plan_for(access_off(codes.OFF_BY_STAFF, access_changed_by=None, access_note=None))
    reenable = step(plan, "reenable_access")
    assert "a staff member" in reenable.body
    assert "no note" in reenable.body
    assert reenable.requires_note


def test_turned_off_by_staff_for_a_patient_with_an_account_tells_them_to_log_in_again() -> None:
    plan = plan_for(logged_in(access_enabled=False, access_off_reason=codes.OFF_BY_STAFF))
    assert plan.step_ids == ("reenable_access", "tell_patient_to_log_in", "send_password_reset")
    tell = step(plan, "tell_patient_to_log_in")
    assert "Once portal access is on" in tell.body
    assert "mlopez" in tell.body


# --- red: access never turned on ----------------------------------------------------


def test_never_turned_on_turns_it_on_then_invites() -> None:
    plan = plan_for(
        access_off(None, access_changed_by=None, access_changed_at=None, any_invitation_sent=False)
    )
    assert plan.step_ids == ("turn_access_on", "choose_invite_method", "send_invitation", "set_credentials")
    turn_on = step(plan, "turn_access_on")
    assert "never been turned on" in turn_on.body
    assert turn_on.confirm_text == "Turn on portal access for Maria Lopez?"
    assert [f.name for f in turn_on.fields] == ["note"] and not turn_on.fields[0].required
    choice = step(plan, "choose_invite_method")
    assert choice.kind == "choice" and choice.action is None
    assert [option.steps for option in choice.options] == [("send_invitation",), ("set_credentials",)]
    invite = step(plan, "send_invitation")
    assert invite.action == "send_invitation" and invite.branch_of == "choose_invite_method"
    assert invite.confirm_text == (
        "Send the portal invitation to maria.lopez@example.com? Read the address back to the patient first."
    )
    assert "portal@riverside-clinic.example" in shown(invite)


def test_turned_off_by_a_status_change_says_who_and_when() -> None:
    turn_on = step(plan_for(access_off(codes.OFF_NOT_ENABLED, access_changed_by="jdoe")), "turn_access_on")
    assert "jdoe" in turn_on.body and when(LAST_WEEK) in shown(turn_on)


def test_reenable_step_says_why_staff_turned_access_off() -> None:
    facts = access_off(
        codes.OFF_BY_STAFF, staff_off_reason=codes.OFF_PREVENTING_HARM, access_note="Custody under review."
    )
    reenable = step(plan_for(facts), "reenable_access")
    assert "to prevent harm to the patient or someone else" in reenable.body
    assert "preventing_harm" not in reenable.body
    assert ("Why", "Preventing harm") in [(d.label, d.value) for d in reenable.details]
    assert reenable.requires_note
