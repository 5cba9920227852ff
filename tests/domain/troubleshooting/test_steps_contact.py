"""Red plans about contact details: an unconfirmed online registration, a missing email or ZIP code."""

from __future__ import annotations

from typing import Any

import pytest

from clinic_desk.domain import codes
from clinic_desk.domain.wording import when
from tests.domain.factories import LAST_WEEK, access_off, failed_email, make_facts, unconfirmed
from tests.domain.troubleshooting.helpers import PLACEHOLDER, plan_for, shown, step

# --- red: unconfirmed online registration -----------------------------------------


def test_unconfirmed_registration_flow_in_order() -> None:
    plan = plan_for(unconfirmed())
    assert plan.step_ids == (
        "review_confirmation_email",
        "fix_email",
        "resend_confirmation",
        "turn_access_on",
        "tell_patient_to_log_in",
        "whitelist_advice",
    )
    assert "send_invitation" not in plan.actions


def test_unconfirmed_with_a_real_email_offers_to_send_the_confirmation_again() -> None:
    again = step(plan_for(unconfirmed(email="maria.l@example.com")), "resend_confirmation")
    assert again.kind == "action" and again.action == "resend_confirmation"
    assert again.title == "Send the confirmation email again"
    assert again.optional  # turning access on is the other way
    assert "maria.l@example.com" in shown(again)
    assert "earlier link then stops working" in again.body
    assert again.confirm_text is not None
    assert "maria.l@example.com" in again.confirm_text and "stop working" in again.confirm_text
    details = {detail.label: detail.value for detail in again.details}
    assert details["Send to"] == "maria.l@example.com"
    assert details["Earlier link sent to"] == "maria.lopez@example.com"
    assert again.addresses == (codes.REGISTRATION_UNCONFIRMED,)


@pytest.mark.parametrize(
    "changes",
    [
        {"email": "none@none.com"},  # a dummy address from the default list
        {"email": PLACEHOLDER},  # the clinic's placeholder domain
        {"email": "nomail@riverside.example", "placeholder_addresses": ("nomail@*",)},  # the clinic's list
        {"email": None},
        {"email": "maria.lopez-at-example.com"},  # not an address at all
        {  # the newest email to this very address failed for good: fix the address first
            "newest_email": failed_email(kind=codes.CONFIRMATION, to="maria.lopez@example.com"),
        },
    ],
    ids=["dummy", "placeholder_domain", "clinic_list", "no_email", "not_an_address", "bounced_here"],
)
def test_no_confirmation_resend_when_the_email_cannot_arrive(changes: dict[str, Any]) -> None:
    plan = plan_for(unconfirmed(**changes))
    assert "review_confirmation_email" in plan.step_ids
    assert "resend_confirmation" not in plan.step_ids
    assert "resend_confirmation" not in plan.actions


def test_confirmation_resend_is_back_once_the_bounced_address_was_corrected() -> None:
    facts = unconfirmed(
        email="maria.lopez@gmail.com",
        newest_email=failed_email(kind=codes.CONFIRMATION, to="maria.lopez@gmial.com"),
    )
    assert "resend_confirmation" in plan_for(facts).step_ids


@pytest.mark.parametrize(
    "facts",
    [
        make_facts(),  # access on
        access_off(None),  # never turned on
        access_off(codes.OFF_BY_STAFF),
        access_off(None, patient_status=codes.INACTIVE),
        unconfirmed(patient_status=codes.INACTIVE),
        unconfirmed(patient_status=codes.DECEASED),
    ],
    ids=["access_on", "never_on", "off_by_staff", "inactive", "unconfirmed_inactive", "unconfirmed_deceased"],
)
def test_no_confirmation_resend_without_a_registration_waiting(facts: Any) -> None:
    assert "resend_confirmation" not in plan_for(facts).step_ids


def test_unconfirmed_shows_where_and_when_the_confirmation_went() -> None:
    plan = plan_for(unconfirmed())
    review = step(plan, "review_confirmation_email")
    assert review.kind == "info"
    assert "maria.lopez@example.com" in shown(review)
    assert when(LAST_WEEK) in shown(review)
    assert "maria80" in review.body
    assert review.warning is None
    details = {detail.label: detail.value for detail in review.details}
    assert details["Confirmation link for"] == "maria.lopez@example.com"


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
    # The suggestion is named once, in the step that fixes it, not in the review as well.
    assert "maria@gmail.com" not in shown(review)
    # Plain words in the body; the server's reply only in the details view (issue 10, item 11).
    assert "the mail server says this mailbox does not exist" in review.body
    assert "550" not in review.body
    assert ("Server's reply", "550 no such user") in [(d.label, d.value) for d in review.details]
    fix = step(plan, "fix_email")
    assert fix.kind == "form" and fix.action == "update_contact" and fix.optional
    (email,) = fix.fields
    assert email.name == "email"
    assert email.prefill == "maria@gmail.com"  # prefilled with the suggestion
    assert email.suggestion == "maria@gmail.com"
    # What is on file shows once, as a detail row, not again under the box.
    assert "maria@gmial.com" not in (email.help or "")
    assert ("Email on file", "maria@gmial.com") in [(d.label, d.value) for d in fix.details]
    assert "could not be delivered" in fix.body and "550" not in fix.body  # the tip says why
    assert fix.warning == "Possible typo: did they mean maria@gmail.com?"
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
    assert "their own password" in tell.body
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
    assert "mail from portal@riverside-clinic.example" in advice.body
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
    assert "Saving alone leaves portal access off" in form.body
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


def test_queued_confirmation_is_said_to_be_waiting_not_sent() -> None:
    # Issue 10, item 11: the wizard said the confirmation "went to" the patient while it was queued.
    mail = failed_email(kind=codes.CONFIRMATION, status="queued", failed_at=None, failure_reason=None)
    review = step(
        plan_for(unconfirmed(confirmation_email=mail, newest_email=mail)), "review_confirmation_email"
    )
    assert "went to" not in review.body and "sent to" not in review.body
    details = {detail.label: detail.value for detail in review.details}
    assert details["Delivery"].startswith("Waiting to send since")


def test_delivered_confirmation_is_said_to_be_delivered() -> None:
    mail = failed_email(kind=codes.CONFIRMATION, status="sent", sent_at=LAST_WEEK, failed_at=None)
    review = step(plan_for(unconfirmed(confirmation_email=mail)), "review_confirmation_email")
    assert f"Delivered {when(LAST_WEEK)}" in shown(review)


def test_no_typo_warning_after_the_email_was_corrected() -> None:
    facts = unconfirmed(email="maria@gmail.com", confirmation_sent_to="maria@gmial.com")
    plan = plan_for(facts)
    review = step(plan, "review_confirmation_email")
    assert review.warning is None
    assert "mistyped" not in review.body
    assert "The email on file is now maria@gmail.com." in review.body
    assert all("gmial" not in (s.warning or "") for s in plan.steps)
