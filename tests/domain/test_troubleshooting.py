"""The troubleshooting wizard's plan, for every flow of the issue and every combination."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_desk.domain import codes
from clinic_desk.domain.facts import EmailFacts, LinkFacts, PortalFacts, SharedEmailChart
from clinic_desk.domain.status import PortalStatus, evaluate
from clinic_desk.domain.troubleshooting import (
    ACTIONS,
    FIELD_KINDS,
    STEP_IDS,
    STEP_KINDS,
    TIP_IDS,
    ClinicAdvice,
    PlanStep,
    Tip,
    TroubleshootingPlan,
    build_plan,
    generate_temporary_password,
    generate_username,
    placeholder_email_for,
)
from clinic_desk.domain.validation import check_password, clean_email, clean_username
from clinic_desk.domain.wording import day, when
from tests.domain.factories import (
    LAST_WEEK,
    NOW,
    YESTERDAY,
    access_off,
    failed_email,
    invitation,
    logged_in,
    make_facts,
)

BORN = date(1980, 3, 14)

ADVICE = ClinicAdvice(
    clinic_name="Riverside Family Clinic",
    sender_address="portal@riverside-clinic.example",
    whitelist_domain="riverside-clinic.example",
    placeholder_domain="noemail.invalid",
    portal_url="https://portal.riverside-clinic.example",
)
PLACEHOLDER = "mrn0007@noemail.invalid"

# Steps in the only order they may ever appear in (a plan uses a subsequence).
CANONICAL_ORDER = (
    "explain_deceased",
    "account_summary",
    "invitation_history",
    "reactivate_patient",
    "review_confirmation_email",
    "fix_email",
    "add_missing_details",
    "offer_placeholder_email",
    "reenable_access",
    "turn_access_on",
    "unlock_account",
    "tell_patient_to_log_in",
    "choose_invite_method",
    "send_invitation",
    "resend_invitation",
    "self_signup_guide",
    "match_check",
    "set_credentials",
    "send_password_reset",
    "whitelist_advice",
)
# Actions that change something: each asks first.
CONFIRMED_ACTIONS = (
    "set_patient_status_active",
    "set_portal_access_on",
    "send_invitation",
    "set_credentials",
    "unlock_account",
)
SWITCHES: dict[str, tuple[bool, str | None]] = {
    "on": (True, None),
    "by_staff": (False, codes.OFF_BY_STAFF),
    "unconfirmed": (False, codes.OFF_UNCONFIRMED),
    "not_enabled": (False, codes.OFF_NOT_ENABLED),
    "never": (False, None),
}
EMAILS: dict[str, str | None] = {
    "missing": None,
    "real": "maria.lopez@example.com",
    "typo": "maria.lopez@gmial.com",
    "placeholder": PLACEHOLDER,
}


def unconfirmed(**changes: Any) -> PortalFacts:
    """A patient who registered online and did not click the confirmation link."""
    values: dict[str, Any] = {
        "created_via": codes.CREATED_BY_ONLINE_REGISTRATION,
        "username": "maria80",
        "registered_at": LAST_WEEK,
        "confirmation_sent_to": "maria.lopez@example.com",
        "confirmation_sent_at": LAST_WEEK,
        "access_changed_by": None,
        "access_changed_at": None,
        "any_invitation_sent": False,
    }
    values.update(changes)
    return access_off(codes.OFF_UNCONFIRMED, **values)


def plan_for(
    facts: PortalFacts, advice: ClinicAdvice = ADVICE, born: date | None = BORN
) -> TroubleshootingPlan:
    return build_plan(evaluate(facts, NOW), facts, advice, date_of_birth=born)


def step(plan: TroubleshootingPlan, step_id: str) -> PlanStep:
    found = plan.step(step_id)
    assert found is not None, f"no step {step_id!r} in {plan.step_ids}"
    return found


def tip_of(plan: TroubleshootingPlan, tip_id: str) -> Tip:
    found = plan.tip(tip_id)
    assert found is not None, f"no tip {tip_id!r} in {plan.tip_ids}"
    return found


def texts_of(plan: TroubleshootingPlan) -> list[str]:
    """Every piece of text the panel shows."""
    out = [plan.title, plan.summary]
    for item in plan.steps:
        out += [item.title, item.body, item.confirm_text or "", item.warning or ""]
        out += [f"{detail.label} {detail.value}" for detail in item.details]
        out += [text or "" for f in item.fields for text in (f.label, f.prefill, f.suggestion, f.help)]
        out += [f"{option.label} {option.description}" for option in item.options]
    for tip in plan.tips:
        out += [tip.title, tip.body] + [f"{detail.label} {detail.value}" for detail in tip.details]
    return out


# --- the advice the plan quotes ----------------------------------------------


@pytest.mark.parametrize("field", ["sender_address", "whitelist_domain"])
@pytest.mark.parametrize("blank", ["", "   "])
def test_advice_refuses_a_blank_sender_or_domain(field: str, blank: str) -> None:
    with pytest.raises(ValueError, match="blank"):
        dataclasses.replace(ADVICE, **{field: blank})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sender_address", "portal"),
        ("sender_address", "portal at clinic.example"),
        ("whitelist_domain", "localhost"),
        ("whitelist_domain", "river side.example"),
        ("placeholder_domain", " "),
    ],
)
def test_advice_refuses_what_is_not_an_address_or_domain(field: str, value: str) -> None:
    with pytest.raises(ValueError):
        dataclasses.replace(ADVICE, **{field: value})


def test_advice_is_tidied() -> None:
    advice = ClinicAdvice(
        clinic_name="  ",
        sender_address=" portal@clinic.example ",
        whitelist_domain="@Clinic.Example",
        placeholder_domain=" NoEmail.Invalid ",
        portal_url=" https://portal.clinic.example ",
    )
    assert advice.clinic_name == "the clinic"
    assert advice.sender_address == "portal@clinic.example"
    assert advice.whitelist_domain == "clinic.example"
    assert advice.placeholder_domain == "noemail.invalid"
    assert advice.portal == "the patient portal (https://portal.clinic.example)"
    assert dataclasses.replace(advice, portal_url="").portal == "the patient portal"


def test_advice_from_the_clinic_settings() -> None:
    settings_like = SimpleNamespace(
        clinic_name="Hilltop Clinic",
        sender_address="noreply@hilltop.example",
        whitelist_domain="hilltop.example",
        placeholder_domain="none.invalid",
        portal_url="https://my.hilltop.example",
    )
    advice = ClinicAdvice.from_settings(settings_like)
    assert advice.sender_address == "noreply@hilltop.example"
    assert advice.placeholder_domain == "none.invalid"
    with pytest.raises(ValueError):
        ClinicAdvice.from_settings(SimpleNamespace(**{**vars(settings_like), "sender_address": ""}))


def test_the_plan_uses_the_clinics_own_sender_and_domain() -> None:
    advice = ClinicAdvice(
        clinic_name="Hilltop Clinic",
        sender_address="noreply@hilltop.example",
        whitelist_domain="hilltop.example",
    )
    plan = plan_for(make_facts(newest_link=invitation()), advice=advice)
    tip = tip_of(plan, "emails_not_arriving")
    assert "noreply@hilltop.example" in tip.body and "hilltop.example" in tip.body
    assert "riverside" not in " ".join(texts_of(plan))


def test_status_and_facts_must_be_about_the_same_patient() -> None:
    facts = make_facts()
    with pytest.raises(ValueError, match="patient 7"):
        build_plan(evaluate(make_facts(patient_id=8), NOW), facts, ADVICE)


# --- the plan as data ----------------------------------------------------------


def test_the_plan_is_frozen_and_titled_by_the_status() -> None:
    facts = access_off(None)
    status = evaluate(facts, NOW)
    plan = build_plan(status, facts, ADVICE)
    assert plan.patient_id == 7
    assert plan.color == "red"
    assert plan.title == status.headline
    for item in status.reasons:
        assert item.message in plan.summary
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.title = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.steps[0].action = "x"  # type: ignore[misc]
    assert isinstance(plan.steps, tuple) and isinstance(plan.tips, tuple)
    assert plan.step("nope") is None and plan.tip("nope") is None


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


# --- red: unconfirmed online registration -----------------------------------------


def test_unconfirmed_registration_flow_in_order() -> None:
    plan = plan_for(unconfirmed())
    assert plan.step_ids == (
        "review_confirmation_email",
        "fix_email",
        "turn_access_on",
        "tell_patient_to_log_in",
        "whitelist_advice",
    )
    assert "send_invitation" not in plan.actions


def test_unconfirmed_shows_where_and_when_the_confirmation_went() -> None:
    plan = plan_for(unconfirmed())
    review = step(plan, "review_confirmation_email")
    assert review.kind == "info"
    assert "maria.lopez@example.com" in review.body
    assert when(LAST_WEEK) in review.body
    assert "maria80" in review.body
    assert review.warning is None
    details = {detail.label: detail.value for detail in review.details}
    assert details["Confirmation sent to"] == "maria.lopez@example.com"
    assert details["Sent"] == when(LAST_WEEK)


def test_unconfirmed_with_a_typo_and_a_delivery_failure() -> None:
    facts = unconfirmed(
        email="maria@gmial.com",
        confirmation_sent_to="maria@gmial.com",
        newest_email=failed_email(
            kind=codes.CONFIRMATION, to="maria@gmial.com", failure_reason="550 no such user"
        ),
    )
    plan = plan_for(facts)
    review = step(plan, "review_confirmation_email")
    assert "did they mean maria@gmail.com?" in review.body
    assert "550 no such user" in review.body
    assert review.warning and "maria@gmail.com" in review.warning
    fix = step(plan, "fix_email")
    assert fix.kind == "form" and fix.action == "update_contact" and fix.optional
    (email,) = fix.fields
    assert email.name == "email"
    assert email.prefill == "maria@gmail.com"  # prefilled with the suggestion
    assert email.suggestion == "maria@gmail.com"
    # What is on file shows once, as a detail row, not again under the box.
    assert "maria@gmial.com" not in (email.help or "")
    assert ("Email on file", "maria@gmial.com") in [(d.label, d.value) for d in fix.details]
    assert "550 no such user" in fix.body
    assert {codes.EMAIL_DELIVERY_FAILED, codes.EMAIL_POSSIBLE_TYPO} <= set(plan.tip_ids)


def test_unconfirmed_without_a_typo_prefills_the_email_on_file() -> None:
    fix = step(plan_for(unconfirmed()), "fix_email")
    assert fix.fields[0].prefill == "maria.lopez@example.com"
    assert fix.fields[0].suggestion is None
    assert fix.warning is None


def test_unconfirmed_after_staff_changed_the_email_says_so() -> None:
    review = step(plan_for(unconfirmed(email="maria.l@example.com")), "review_confirmation_email")
    assert "now maria.l@example.com" in review.body


def test_unconfirmed_turning_access_on_confirms_the_registration() -> None:
    turn_on = step(plan_for(unconfirmed()), "turn_access_on")
    assert turn_on.action == "set_portal_access_on"
    assert "confirms the registration" in turn_on.body
    assert turn_on.confirm_text is not None and "maria.lopez@example.com" in turn_on.confirm_text
    assert not turn_on.requires_note


def test_unconfirmed_tells_staff_the_patient_logs_in_with_what_they_chose() -> None:
    tell = step(plan_for(unconfirmed()), "tell_patient_to_log_in")
    assert "can log in now" in tell.body
    assert "username they chose when registering (maria80)" in tell.body
    assert "password they chose" in tell.body
    assert "https://portal.riverside-clinic.example" in tell.body
    without = step(plan_for(unconfirmed(username=None)), "tell_patient_to_log_in")
    assert "username they chose when registering" in without.body
    assert "None" not in without.body


def test_unconfirmed_ends_with_the_whitelisting_advice_not_a_duplicate_tip() -> None:
    plan = plan_for(unconfirmed())
    advice = step(plan, "whitelist_advice")
    assert plan.step_ids[-1] == "whitelist_advice"
    for words in ("Spam", "Junk", "Not spam", "portal@riverside-clinic.example", "riverside-clinic.example"):
        assert words in advice.body
    assert "search the mailbox for portal@riverside-clinic.example" in advice.body
    assert plan.tip("emails_not_arriving") is None


# --- red: missing email and/or ZIP code -------------------------------------------


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"email": None}, ["email"]),
        ({"zip_code": None}, ["zip_code"]),
        ({"email": None, "zip_code": None}, ["email", "zip_code"]),
        ({"email": "  ", "zip_code": ""}, ["email", "zip_code"]),
    ],
)
def test_the_missing_details_form_has_exactly_the_missing_fields(
    changes: dict[str, Any], fields: list[str]
) -> None:
    plan = plan_for(access_off(None, any_invitation_sent=False, **changes))
    form = step(plan, "add_missing_details")
    assert form.kind == "form" and form.action == "update_contact"
    assert [f.name for f in form.fields] == fields
    assert all(f.required for f in form.fields)
    assert "does not turn portal access on" in form.body
    ids = plan.step_ids
    assert ids.index("add_missing_details") < ids.index("turn_access_on")
    assert ("offer_placeholder_email" in ids) == ("email" in fields)
    if "email" in fields:
        assert ids.index("offer_placeholder_email") < ids.index("turn_access_on")
        assert form.fields[0].suggestion == PLACEHOLDER


def test_no_email_offers_a_placeholder_with_the_warning() -> None:
    plan = plan_for(access_off(None, email=None))
    offer = step(plan, "offer_placeholder_email")
    assert offer.action == "update_contact" and offer.optional
    (email,) = offer.fields
    assert email.name == "email" and email.prefill == PLACEHOLDER and email.read_only
    assert offer.warning is not None
    assert "will not be able to reset their own password" in offer.warning
    assert offer.confirm_text is not None
    assert PLACEHOLDER in offer.confirm_text
    assert "will not be able to reset their own password" in offer.confirm_text


def test_missing_details_then_turn_on_then_invite_or_credentials() -> None:
    plan = plan_for(access_off(None, email=None, zip_code=None, any_invitation_sent=False))
    assert plan.step_ids == (
        "add_missing_details",
        "offer_placeholder_email",
        "turn_access_on",
        "choose_invite_method",
        "send_invitation",
        "set_credentials",
    )
    assert "after adding the missing details" in step(plan, "turn_access_on").body
    choice = step(plan, "choose_invite_method")
    assert "placeholder" in choice.body


def test_missing_zip_with_a_placeholder_email_only_sets_credentials() -> None:
    plan = plan_for(access_off(None, email=PLACEHOLDER, zip_code=None, any_invitation_sent=False))
    assert plan.step_ids == ("add_missing_details", "turn_access_on", "set_credentials")
    assert "send_invitation" not in plan.actions
    credentials = step(plan, "set_credentials")
    assert credentials.branch_of is None and not credentials.optional


def test_missing_zip_while_access_is_somehow_on_does_not_turn_it_on_again() -> None:
    plan = plan_for(make_facts(zip_code=None))
    assert "turn_access_on" not in plan.step_ids
    assert plan.step_ids[0] == "add_missing_details"


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
    assert "portal@riverside-clinic.example" in invite.body


def test_turned_off_by_a_status_change_says_who_and_when() -> None:
    turn_on = step(plan_for(access_off(codes.OFF_NOT_ENABLED, access_changed_by="jdoe")), "turn_access_on")
    assert "jdoe" in turn_on.body and when(LAST_WEEK) in turn_on.body


def test_set_credentials_by_hand() -> None:
    credentials = step(plan_for(access_off(None, email=PLACEHOLDER)), "set_credentials")
    assert credentials.kind == "form" and credentials.action == "set_credentials"
    username, password = credentials.fields
    assert username.name == "username" and username.prefill == "maria.lopez" and not username.read_only
    assert password.name == "password" and password.kind == "temporary_password"
    assert password.prefill is None  # generated by the panel, never kept in the plan
    assert "shown only once" in credentials.body and "Copy and Print" in credentials.body
    assert "change it at first login" in credentials.body
    assert credentials.confirm_text is not None and "first login" in credentials.confirm_text
    assert "placeholder" in credentials.body


# --- gold ---------------------------------------------------------------------------


def test_gold_without_any_invitation() -> None:
    plan = plan_for(make_facts(any_invitation_sent=False))
    assert plan.color == "gold"
    assert plan.step_ids == (
        "invitation_history",
        "choose_invite_method",
        "send_invitation",
        "self_signup_guide",
        "match_check",
        "set_credentials",
    )
    history = step(plan, "invitation_history")
    assert "No invitation or registration email has ever been sent" in history.body
    choice = step(plan, "choose_invite_method")
    assert [option.id for option in choice.options] == ["send_invitation", "self_signup", "set_credentials"]
    assert choice.options[1].steps == ("self_signup_guide", "match_check")


def test_gold_invitation_history_with_an_expired_invitation() -> None:
    plan = plan_for(make_facts(newest_link=invitation()))
    history = step(plan, "invitation_history")
    assert "maria.lopez@example.com" in history.body
    assert when(LAST_WEEK) in history.body
    assert f"expired unused on {when(LAST_WEEK + timedelta(days=3))}" in history.body
    resend = step(plan, "resend_invitation")
    assert resend.action == "send_invitation"
    assert resend.confirm_text is not None and "maria.lopez@example.com" in resend.confirm_text
    assert "Read the address back" in resend.confirm_text
    assert "send_invitation" not in plan.step_ids  # a resend, not a first invitation
    assert plan.tip(codes.INVITATION_EXPIRED) is not None


@pytest.mark.parametrize(
    ("link", "words"),
    [
        (invitation(expires_at=NOW + timedelta(days=2)), "is valid until"),
        (invitation(used_at=YESTERDAY), "was used on"),
        (invitation(revoked_at=YESTERDAY), "was cancelled on"),
    ],
)
def test_gold_invitation_history_says_whether_the_link_still_works(link: LinkFacts, words: str) -> None:
    history = step(plan_for(make_facts(newest_link=link)), "invitation_history")
    assert words in history.body


def test_gold_invitation_history_to_another_address_and_a_failed_email() -> None:
    facts = make_facts(
        newest_link=invitation(sent_to="old@example.com", expires_at=NOW + timedelta(days=1)),
        newest_email=failed_email(to="old@example.com"),
    )
    plan = plan_for(facts)
    history = step(plan, "invitation_history")
    assert "not the address on file now (maria.lopez@example.com)" in history.body
    assert "550 mailbox unavailable" in history.body
    assert "fix_email" in plan.step_ids
    assert plan.step_ids.index("fix_email") < plan.step_ids.index("resend_invitation")
    assert plan.tip(codes.EMAIL_DELIVERY_FAILED) is not None


@pytest.mark.parametrize(
    ("mail", "words"),
    [
        (
            failed_email(status="sent", sent_at=YESTERDAY, failed_at=None),
            f"was sent to maria.lopez@example.com on {when(YESTERDAY)}",
        ),
        (failed_email(status="queued", failed_at=None), "waiting to be sent"),
    ],
)
def test_gold_invitation_history_says_how_the_newest_email_went(mail: EmailFacts, words: str) -> None:
    assert words in step(plan_for(make_facts(newest_email=mail)), "invitation_history").body


def test_gold_after_online_registration_confirmed() -> None:
    facts = make_facts(
        created_via=codes.CREATED_BY_ONLINE_REGISTRATION,
        username="maria80",
        registered_at=LAST_WEEK,
        confirmed_at=YESTERDAY,
        confirmation_sent_at=LAST_WEEK,
        any_invitation_sent=False,
    )
    plan = plan_for(facts)
    history = step(plan, "invitation_history")
    assert f"registered online on {when(LAST_WEEK)}" in history.body
    assert f"confirmed on {when(YESTERDAY)}" in history.body
    assert plan.step_ids == ("invitation_history", "tell_patient_to_log_in", "send_password_reset")
    assert "maria80" in step(plan, "tell_patient_to_log_in").body


def test_gold_self_signup_guide_shows_what_is_on_file() -> None:
    guide = step(plan_for(make_facts()), "self_signup_guide")
    assert guide.kind == "info" and guide.branch_of == "choose_invite_method"
    details = {detail.label: detail.value for detail in guide.details}
    assert details == {
        "Email": "maria.lopez@example.com",
        "Last name": "Lopez",
        "Date of birth": day(BORN),
        "ZIP code": "02134",
    }
    assert "I am a registered patient" in guide.body
    assert day(BORN) in guide.body
    assert "https://portal.riverside-clinic.example" in guide.body
    assert guide.warning is None


def test_gold_self_signup_guide_without_the_date_of_birth() -> None:
    guide = step(plan_for(make_facts(), born=None), "self_signup_guide")
    assert "as on the chart" in guide.body
    assert "None" not in guide.body


def test_gold_self_signup_guide_warns_about_a_typo_and_a_shared_email() -> None:
    facts = make_facts(
        email="maria.lopez@gmial.com", shared_with=(SharedEmailChart(8, "Jose Lopez", "MRN0008"),)
    )
    guide = step(plan_for(facts), "self_signup_guide")
    assert guide.warning is not None
    assert "maria.lopez@gmail.com" in guide.warning
    assert "match check" in guide.warning


def test_gold_match_check_form() -> None:
    check = step(plan_for(make_facts()), "match_check")
    assert check.kind == "form" and check.action == "check_match"
    assert [f.name for f in check.fields] == ["email", "last_name", "date_of_birth", "zip_code"]
    assert all(f.prefill is None for f in check.fields)  # staff type what the patient typed
    assert check.fields[2].help == f"On file: {day(BORN)}"


def test_gold_with_a_placeholder_email_only_sets_credentials() -> None:
    plan = plan_for(make_facts(email=PLACEHOLDER, any_invitation_sent=False))
    assert plan.step_ids == ("invitation_history", "set_credentials")
    assert "send_invitation" not in plan.actions
    assert plan.tip(codes.PLACEHOLDER_EMAIL) is not None


def test_gold_with_a_username_set_by_hand() -> None:
    facts = make_facts(username="maria.lopez", must_change_password=True, any_invitation_sent=False)
    plan = plan_for(facts)
    assert plan.step_ids == ("invitation_history", "tell_patient_to_log_in", "send_password_reset")
    tell = step(plan, "tell_patient_to_log_in")
    assert "temporary password" in tell.body and "maria.lopez" in tell.body
    assert codes.NO_INVITATION_SENT in tell.addresses


def test_gold_with_a_username_and_a_placeholder_email_offers_a_new_temporary_password() -> None:
    facts = make_facts(username="maria.lopez", email=PLACEHOLDER, must_change_password=True)
    plan = plan_for(facts)
    assert plan.step_ids == ("invitation_history", "tell_patient_to_log_in", "set_credentials")
    credentials = step(plan, "set_credentials")
    assert credentials.optional
    assert credentials.fields[0].prefill == "maria.lopez" and credentials.fields[0].read_only
    assert credentials.title == "Set a temporary password"


# --- blue ---------------------------------------------------------------------------


def test_blue_shows_the_account_and_offers_a_password_reset() -> None:
    facts = logged_in(failed_logins=2, last_failed_login_at=NOW - timedelta(hours=1))
    plan = plan_for(facts)
    assert plan.color == "blue"
    assert plan.step_ids == ("account_summary", "send_password_reset")
    summary = step(plan, "account_summary")
    assert "mlopez" in summary.body
    assert when(YESTERDAY) in summary.body
    assert "2 failed logins" in summary.body
    details = {detail.label: detail.value for detail in summary.details}
    assert details["Username"] == "mlopez"
    assert details["Last login"] == when(YESTERDAY)
    assert details["Failed logins since then"] == "2"
    reset = step(plan, "send_password_reset")
    assert reset.action == "send_invitation" and reset.optional
    assert reset.confirm_text == (
        "Send a password-reset email to maria.lopez@example.com? Read the address back to the patient first."
    )


def test_blue_unlocks_a_locked_account_before_the_reset() -> None:
    locked = NOW + timedelta(minutes=10)
    plan = plan_for(logged_in(failed_logins=5, locked_until=locked))
    assert plan.step_ids == ("account_summary", "unlock_account", "send_password_reset")
    unlock = step(plan, "unlock_account")
    assert unlock.action == "unlock_account"
    assert unlock.confirm_text == "Unlock Maria Lopez's portal account now?"
    assert when(locked) in unlock.body
    assert when(locked) in step(plan, "account_summary").body


def test_blue_lock_that_already_ran_out_offers_no_unlock() -> None:
    plan = plan_for(logged_in(failed_logins=5, locked_until=NOW - timedelta(minutes=1)))
    assert "unlock_account" not in plan.step_ids


def test_blue_with_a_placeholder_email_resets_by_hand() -> None:
    plan = plan_for(logged_in(email=PLACEHOLDER))
    assert plan.step_ids == ("account_summary", "set_credentials")
    assert "send_invitation" not in plan.actions


def test_blue_without_failed_logins_says_so() -> None:
    assert "No failed logins" in step(plan_for(logged_in()), "account_summary").body


# --- tips: trouble spots on every colour ------------------------------------------------


def test_tip_username_is_an_old_email() -> None:
    plan = plan_for(logged_in(username="maria@oldmail.example"))
    tip = tip_of(plan, codes.USERNAME_IS_OLD_EMAIL)
    assert "maria@oldmail.example" in tip.body
    assert "maria.lopez@example.com" in tip.body


def test_tip_shared_email_lists_the_charts_and_whose_username_it_is() -> None:
    shared = (
        SharedEmailChart(8, "Jose Lopez", "MRN0008", "jlopez"),
        SharedEmailChart(9, "Lucia Lopez", "MRN0009", None),
    )
    plan = plan_for(logged_in(shared_with=shared))
    tip = tip_of(plan, codes.SHARED_EMAIL)
    assert "2 other charts use the same email" in tip.body
    assert "Jose Lopez (MRN MRN0008, username jlopez)" in tip.body
    assert "Lucia Lopez (MRN MRN0009, no username)" in tip.body
    assert "Maria Lopez's own username is mlopez" in tip.body
    assert [detail.label for detail in tip.details] == ["Jose Lopez", "Lucia Lopez"]


def test_tip_recent_failed_logins_gives_the_autofill_advice() -> None:
    plan = plan_for(logged_in(failed_logins=3))
    tip = tip_of(plan, codes.RECENT_FAILED_LOGINS)
    assert "clear the username field and type it" in tip.body
    assert "mlopez" in tip.body
    assert "3 failed logins" in tip.body


def test_tip_placeholder_email() -> None:
    tip = tip_of(plan_for(logged_in(email=PLACEHOLDER)), codes.PLACEHOLDER_EMAIL)
    assert PLACEHOLDER in tip.body
    assert "cannot reset their own password" in tip.body


def test_tip_possible_typo() -> None:
    tip = tip_of(plan_for(logged_in(email="maria@hotmial.com")), codes.EMAIL_POSSIBLE_TYPO)
    assert "maria@hotmail.com" in tip.body


def test_tip_account_locked() -> None:
    locked = NOW + timedelta(minutes=10)
    tip = tip_of(plan_for(logged_in(failed_logins=5, locked_until=locked)), codes.ACCOUNT_LOCKED)
    assert when(locked) in tip.body


def test_tip_invitation_expired() -> None:
    tip = tip_of(plan_for(make_facts(newest_link=invitation(kind=codes.RESET))), codes.INVITATION_EXPIRED)
    assert "password-reset link" in tip.body
    assert when(LAST_WEEK + timedelta(days=3)) in tip.body


def test_tip_email_delivery_failed() -> None:
    tip = tip_of(plan_for(logged_in(newest_email=failed_email())), codes.EMAIL_DELIVERY_FAILED)
    assert "550 mailbox unavailable" in tip.body
    assert "maria.lopez@example.com" in tip.body


def test_tip_emails_not_arriving_is_the_full_whitelisting_advice() -> None:
    tip = tip_of(plan_for(make_facts(newest_link=invitation())), "emails_not_arriving")
    for words in (
        "Spam",
        "Junk",
        "search the mailbox for portal@riverside-clinic.example",
        "'Not spam'",
        "add portal@riverside-clinic.example to their contacts",
        "whitelist the whole domain riverside-clinic.example",
        "send the email again",
        "Riverside Family Clinic",
    ):
        assert words in tip.body
    assert {detail.label: detail.value for detail in tip.details} == {
        "Sender": "portal@riverside-clinic.example",
        "Whitelist domain": "riverside-clinic.example",
    }


@pytest.mark.parametrize(
    "facts",
    [
        make_facts(email=PLACEHOLDER),
        access_off(None, email=None, any_invitation_sent=False),
        make_facts(patient_status=codes.DECEASED),
    ],
)
def test_no_emails_not_arriving_tip_where_no_email_can_go(facts: PortalFacts) -> None:
    assert plan_for(facts).tip("emails_not_arriving") is None


def test_trouble_spots_are_tipped_on_red_too() -> None:
    facts = logged_in(
        access_enabled=False,
        access_off_reason=codes.OFF_BY_STAFF,
        username="maria@oldmail.example",
        failed_logins=4,
        shared_with=(SharedEmailChart(8, "Jose Lopez", "MRN0008", "jlopez"),),
    )
    plan = plan_for(facts)
    assert plan.color == "red"
    assert {codes.USERNAME_IS_OLD_EMAIL, codes.SHARED_EMAIL, codes.RECENT_FAILED_LOGINS} <= set(plan.tip_ids)
    tell = step(plan, "tell_patient_to_log_in")
    assert "old email address" in tell.body


def test_tips_follow_the_trouble_spots_order() -> None:
    facts = logged_in(
        email="maria@gmial.com",
        username="maria@oldmail.example",
        failed_logins=5,
        locked_until=NOW + timedelta(minutes=1),
        newest_link=invitation(kind=codes.RESET),
        newest_email=failed_email(),
        shared_with=(SharedEmailChart(8, "Jose Lopez", "MRN0008"),),
    )
    plan = plan_for(facts)
    assert plan.tip_ids == (
        codes.INVITATION_EXPIRED,
        codes.EMAIL_DELIVERY_FAILED,
        codes.EMAIL_POSSIBLE_TYPO,
        codes.USERNAME_IS_OLD_EMAIL,
        codes.SHARED_EMAIL,
        codes.ACCOUNT_LOCKED,
        codes.RECENT_FAILED_LOGINS,
        "emails_not_arriving",
    )


# --- helpers for the panel ----------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("Ana", "Lopez", "ana.lopez"),
        ("José", "Núñez", "jose.nunez"),
        ("Mary Ann", "O'Brien-Smith", "maryann.obriensmith"),
        ("Søren", "Łukasz", "soren.lukasz"),
        ("Al", "Li", "al.li"),
        ("A", "B", "a.b1"),
        ("李", "Ng", "ng01"),
        ("李", "王", "patient"),
        ("", "", "patient"),
    ],
)
def test_generate_username(first: str, last: str, expected: str) -> None:
    username = generate_username(first, last)
    assert username == expected
    assert clean_username(username) == username


def test_generate_username_skips_taken_ones() -> None:
    taken = {"ana.lopez", "ana.lopez2"}
    assert generate_username("Ana", "Lopez", taken.__contains__) == "ana.lopez3"
    assert generate_username("A", "B", {"a.b1"}.__contains__) == "a.b2"
    with pytest.raises(ValueError):
        generate_username("Ana", "Lopez", lambda _: True)


def test_generate_username_keeps_long_names_within_the_limit() -> None:
    username = generate_username("A" * 80, "B" * 80, {"x"}.__contains__)
    assert clean_username(username) == username
    assert generate_username("A" * 80, "B" * 80, lambda name: name == username).endswith("2")


@settings(max_examples=200, deadline=None)
@given(first=st.text(max_size=40), last=st.text(max_size=40))
def test_generated_usernames_are_always_valid(first: str, last: str) -> None:
    username = generate_username(first, last)
    assert clean_username(username) == username


def test_generate_temporary_password() -> None:
    passwords = {generate_temporary_password("maria.lopez") for _ in range(50)}
    assert len(passwords) == 50
    for password in passwords:
        check_password(password, "maria.lopez")
        assert len(password) == 14 and password.count("-") == 2
        assert not set(password) & set("01ilo")  # nothing that reads like another character


def test_placeholder_email_for() -> None:
    assert placeholder_email_for("1042", "noemail.invalid") == "mrn1042@noemail.invalid"
    assert placeholder_email_for("MRN0007", "NoEmail.Invalid") == "mrn0007@noemail.invalid"
    assert placeholder_email_for("", "noemail.invalid", 12) == "patient12@noemail.invalid"
    assert placeholder_email_for("A-12/3", "x.invalid") == "mrna123@x.invalid"
    for address in ("mrn1042@noemail.invalid", "patient12@noemail.invalid"):
        assert clean_email(address) == address


def test_the_tables_for_the_ui_cover_everything_a_plan_uses() -> None:
    assert set(CANONICAL_ORDER) == set(STEP_IDS)
    assert set(CONFIRMED_ACTIONS) < set(ACTIONS)
    assert "emails_not_arriving" in TIP_IDS


# --- invariants over every combination ----------------------------------------------------


def check_invariants(facts: PortalFacts, status: PortalStatus, plan: TroubleshootingPlan) -> None:
    ids = plan.step_ids
    where = f"{ids} for {facts}"
    assert len(ids) == len(set(ids)), where
    assert len(plan.tip_ids) == len(set(plan.tip_ids)), where
    assert plan.steps, where
    # Steps come in the one order the receptionist should do them.
    order = [CANONICAL_ORDER.index(step_id) for step_id in ids]
    assert order == sorted(order), where
    assert set(plan.tip_ids) <= set(TIP_IDS), where

    for item in plan.steps:
        assert item.kind in STEP_KINDS, where
        assert item.title.strip() and item.body.strip(), where
        if item.kind in ("info", "choice"):
            assert item.action is None, where
        else:
            assert item.action in ACTIONS, where
        if item.kind == "form":
            assert item.fields, where
        if item.kind == "choice":
            assert len(item.options) >= 2, where
            for option in item.options:
                for target in option.steps:
                    assert step(plan, target).branch_of == item.id, where
        if item.branch_of is not None:
            choice = step(plan, item.branch_of)
            assert any(item.id in option.steps for option in choice.options), where
        if item.action in CONFIRMED_ACTIONS:
            assert item.confirm_text and item.confirm_text.endswith((".", "?")), where
        assert item.requires_note == (item.id == "reenable_access"), where
        if item.requires_note:
            assert any(f.name == "note" and f.required for f in item.fields), where
        for field in item.fields:
            assert field.kind in FIELD_KINDS, where

    for text in texts_of(plan):
        assert "None" not in text, (text, where)
    # The summary quotes the status messages as they are; the plan's own words are tidy.
    for text in texts_of(plan)[2:]:
        assert "  " not in text.strip(), (text, where)

    email = (facts.email or "").strip()
    placeholder = email.endswith("@" + ADVICE.placeholder_domain)
    reasons = set(status.reason_codes)
    addressed = {code for item in plan.steps for code in item.addresses}

    if codes.PATIENT_DECEASED in reasons:
        assert ids == ("explain_deceased",), where
        assert plan.actions == () and plan.tips == (), where
        assert reasons <= addressed, where
        return

    # Every red reason is addressed by some step; every trouble spot by a step or a tip.
    assert {code for code in reasons if code in codes.RED_REASONS} <= addressed, where
    spots = set(status.trouble_codes)
    tipped = {code for tip in plan.tips for code in tip.addresses}
    assert spots <= addressed | tipped, where
    for tip in plan.tips:
        assert tip.addresses or tip.id == "emails_not_arriving", where

    if status.color == "blue":
        assert ids[0] == "account_summary", where
    if status.color == "gold":
        assert ids[0] == "invitation_history", where

    # Access: re-enabling after a staff member turned it off needs a note; never twice.
    access_steps = [s for s in plan.steps if s.action == "set_portal_access_on"]
    assert len(access_steps) == (0 if facts.access_enabled else 1), where
    assert ("reenable_access" in ids) == (codes.ACCESS_DISABLED_BY_STAFF in reasons), where
    if codes.PATIENT_INACTIVE in reasons:
        assert ids[0 if status.color == "red" else 1] == "reactivate_patient", where

    # No email goes to a placeholder, and a placeholder means credentials by hand.
    if placeholder:
        assert "send_invitation" not in plan.actions, where
        assert not {"send_invitation", "resend_invitation", "self_signup_guide", "match_check"} & set(ids)
        if codes.REGISTRATION_UNCONFIRMED not in reasons:
            assert "set_credentials" in ids, where
    if not email:
        assert "add_missing_details" in ids and "offer_placeholder_email" in ids, where
        offer = step(plan, "offer_placeholder_email")
        assert offer.warning and "will not be able to reset their own password" in offer.warning

    # The unconfirmed flow: confirm, turn on, tell them to log in, then the whitelisting advice.
    if codes.REGISTRATION_UNCONFIRMED in reasons:
        assert ids.index("turn_access_on") < ids.index("tell_patient_to_log_in"), where
        assert "send_invitation" not in plan.actions, where
        if not placeholder:
            assert ids[-1] == "whitelist_advice", where

    if codes.ACCOUNT_LOCKED in spots:
        assert "unlock_account" in ids, where
    assert ("match_check" in ids) == (status.color == "gold" and not facts.username and not placeholder), (
        where
    )

    # Whitelisting advice quotes the clinic's real sender and domain, once.
    advice_texts = [s.body for s in plan.steps if s.id == "whitelist_advice"] + [
        t.body for t in plan.tips if t.id == "emails_not_arriving"
    ]
    assert len(advice_texts) <= 1, where
    for text in advice_texts:
        assert ADVICE.sender_address in text and ADVICE.whitelist_domain in text, where


COMBINATIONS = list(
    itertools.product(
        codes.PATIENT_STATUSES,
        SWITCHES,
        EMAILS,
        [True, False],  # ZIP code on file
        [None, "mlopez", "maria@oldmail.example"],  # username
        [False, True],  # has logged in
    )
)


@pytest.mark.parametrize(
    ("patient_status", "switch", "email", "has_zip", "username", "has_logged_in"), COMBINATIONS
)
def test_invariants_for_every_combination_of_reasons(
    patient_status: str,
    switch: str,
    email: str,
    has_zip: bool,
    username: str | None,
    has_logged_in: bool,
) -> None:
    enabled, off_reason = SWITCHES[switch]
    facts = make_facts(
        patient_status=patient_status,
        access_enabled=enabled,
        access_off_reason=off_reason,
        email=EMAILS[email],
        zip_code="02134" if has_zip else None,
        username=username,
        last_login_at=YESTERDAY if has_logged_in else None,
        login_count=3 if has_logged_in else 0,
        registered_at=LAST_WEEK if switch == "unconfirmed" else None,
        confirmation_sent_at=LAST_WEEK if switch == "unconfirmed" else None,
    )
    status = evaluate(facts, NOW)
    check_invariants(facts, status, build_plan(status, facts, ADVICE, date_of_birth=BORN))


@st.composite
def portal_facts(draw: st.DrawFn) -> PortalFacts:
    enabled, off_reason = SWITCHES[draw(st.sampled_from(list(SWITCHES)))]
    email = draw(st.sampled_from([*EMAILS.values(), "  ", "maria@hotmial.com"]))
    logged = draw(st.booleans())
    link_kind = draw(st.sampled_from([codes.INVITATION, codes.RESET]))
    link_state = draw(st.sampled_from(["expired", "valid", "used", "revoked"]))
    link = draw(
        st.one_of(
            st.none(),
            st.just(
                invitation(
                    kind=link_kind,
                    sent_to=draw(st.sampled_from(["maria.lopez@example.com", "old@example.com"])),
                    expires_at=NOW + timedelta(days=1) if link_state != "expired" else YESTERDAY,
                    used_at=YESTERDAY if link_state == "used" else None,
                    revoked_at=YESTERDAY if link_state == "revoked" else None,
                )
            ),
        )
    )
    mail_status = draw(st.sampled_from(["failed", "sent", "queued"]))
    mail = draw(
        st.one_of(
            st.none(),
            st.just(
                failed_email(
                    kind=draw(st.sampled_from(codes.EMAIL_KINDS)),
                    status=mail_status,
                    sent_at=YESTERDAY if mail_status == "sent" else None,
                    failed_at=YESTERDAY if mail_status == "failed" else None,
                    failure_reason=draw(st.sampled_from([None, "550 mailbox unavailable"]))
                    if mail_status == "failed"
                    else None,
                )
            ),
        )
    )
    shared = draw(
        st.lists(
            st.builds(
                SharedEmailChart,
                patient_id=st.integers(8, 99),
                name=st.sampled_from(["Jose Lopez", "Lucia Lopez"]),
                mrn=st.sampled_from(["MRN0008", "MRN0009"]),
                username=st.sampled_from([None, "jlopez"]),
            ),
            max_size=3,
        )
    )
    failed = draw(st.integers(0, 8))
    registered = off_reason == codes.OFF_UNCONFIRMED or draw(st.booleans())
    return make_facts(
        first_name=draw(st.sampled_from(["Maria", "José", "李"])),
        patient_status=draw(st.sampled_from(codes.PATIENT_STATUSES)),
        access_enabled=enabled,
        access_off_reason=off_reason,
        access_changed_by=draw(st.sampled_from([None, "frontdesk", "dr.kim"])),
        access_changed_at=draw(st.sampled_from([None, LAST_WEEK])),
        access_note=draw(st.sampled_from([None, "", "Patient asked to pause."])),
        email=email,
        zip_code=draw(st.sampled_from([None, "", "02134", "02134-1234"])),
        username=draw(st.sampled_from([None, "mlopez", "maria@oldmail.example", "maria.lopez@example.com"])),
        must_change_password=draw(st.booleans()),
        registered_at=LAST_WEEK if registered else None,
        confirmed_at=draw(st.sampled_from([None, YESTERDAY])),
        confirmation_sent_to=draw(st.sampled_from([None, "maria@gmial.com", "maria.lopez@example.com"])),
        confirmation_sent_at=LAST_WEEK if registered and draw(st.booleans()) else None,
        last_login_at=YESTERDAY if logged else None,
        login_count=draw(st.integers(1, 9)) if logged else 0,
        failed_logins=failed,
        last_failed_login_at=NOW - timedelta(minutes=5) if failed and draw(st.booleans()) else None,
        locked_until=draw(st.sampled_from([None, NOW + timedelta(minutes=9), NOW - timedelta(minutes=9)])),
        newest_link=link,
        newest_email=mail,
        any_invitation_sent=draw(st.booleans()),
        shared_with=tuple(shared),
    )


@settings(max_examples=600, deadline=None)
@given(facts=portal_facts(), born=st.one_of(st.none(), st.just(BORN)))
def test_invariants_with_every_trouble_spot(facts: PortalFacts, born: date | None) -> None:
    status = evaluate(facts, NOW)
    check_invariants(facts, status, build_plan(status, facts, ADVICE, date_of_birth=born))
