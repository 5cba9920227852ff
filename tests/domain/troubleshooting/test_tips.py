"""Tips: one per trouble spot on every colour, and the email-delivery advice."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clinic_desk.domain import codes
from clinic_desk.domain.facts import PortalFacts, SharedEmailChart
from clinic_desk.domain.wording import when
from tests.domain.factories import LAST_WEEK, NOW, access_off, failed_email, invitation, logged_in, make_facts
from tests.domain.troubleshooting.helpers import PLACEHOLDER, plan_for, shown, step, tip_of

# --- tips: trouble spots on every colour ------------------------------------------------


def test_tip_username_is_an_old_email() -> None:
    plan = plan_for(logged_in(username="maria@oldmail.example"))
    tip = tip_of(plan, codes.USERNAME_IS_OLD_EMAIL)
    assert "maria@oldmail.example" in tip.body
    assert "maria.lopez@example.com" in shown(tip)


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
    assert PLACEHOLDER in shown(tip)
    assert "cannot reset their own password" in tip.body


def test_tip_possible_typo() -> None:
    tip = tip_of(plan_for(logged_in(email="maria@hotmial.com")), codes.EMAIL_POSSIBLE_TYPO)
    assert "maria@hotmail.com" in shown(tip)


def test_tip_account_locked() -> None:
    locked = NOW + timedelta(minutes=10)
    tip = tip_of(plan_for(logged_in(failed_logins=5, locked_until=locked)), codes.ACCOUNT_LOCKED)
    assert when(locked) in shown(tip)


def test_tip_invitation_expired() -> None:
    tip = tip_of(plan_for(make_facts(newest_link=invitation(kind=codes.RESET))), codes.INVITATION_EXPIRED)
    assert "password-reset link" in tip.body
    assert when(LAST_WEEK + timedelta(days=3)) in shown(tip)


def test_tip_email_delivery_failed() -> None:
    tip = tip_of(plan_for(logged_in(newest_email=failed_email())), codes.EMAIL_DELIVERY_FAILED)
    assert "550" not in tip.body  # plain words; the reply is a detail row
    assert "the mail server says this mailbox is not available" in tip.body
    assert ("Server's reply", "550 mailbox unavailable") in [(d.label, d.value) for d in tip.details]
    assert "maria.lopez@example.com" in tip.body
    assert "then send a new invitation" in tip.body


def test_tip_emails_not_arriving_is_the_full_whitelisting_advice() -> None:
    tip = tip_of(plan_for(make_facts(newest_link=invitation())), "emails_not_arriving")
    for words in (
        "Spam",
        "Junk",
        "mail from portal@riverside-clinic.example",
        "'Not spam'",
        "add that sender to their contacts",
        "whitelist the domain riverside-clinic.example",
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


def test_tip_on_a_bounced_confirmation_does_not_ask_staff_to_resend_it() -> None:
    # Issue 10, item 11: staff cannot "send the email again"; fixing the address and turning
    # access on is true whether or not the clinic can resend a confirmation.
    mail = failed_email(kind=codes.CONFIRMATION, failure_reason="550 5.1.1 User unknown")
    facts = access_off(
        codes.OFF_UNCONFIRMED,
        registered_at=LAST_WEEK,
        username="maria80",
        confirmation_sent_to=mail.to,
        confirmation_sent_at=LAST_WEEK,
        newest_email=mail,
        confirmation_email=mail,
        any_invitation_sent=False,
    )
    plan = plan_for(facts)
    tip = tip_of(plan, codes.EMAIL_DELIVERY_FAILED)
    assert "send the email again" not in tip.body
    assert "correct it, then turn portal access on" in tip.body
    assert "550" not in tip.body
    everything = " ".join(
        [s.body for s in plan.steps] + [t.body for t in plan.tips] + [s.warning or "" for s in plan.steps]
    )
    assert "send the email again" not in everything.lower()


def test_tip_on_a_bounced_reset_says_send_a_new_reset() -> None:
    tip = tip_of(
        plan_for(logged_in(newest_email=failed_email(kind=codes.RESET))), codes.EMAIL_DELIVERY_FAILED
    )
    assert "then send a new password-reset email" in tip.body
