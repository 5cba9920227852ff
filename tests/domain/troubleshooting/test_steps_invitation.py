"""Gold plans: what has been sent, and how the patient gets a username and password."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clinic_desk.domain import codes
from clinic_desk.domain.facts import EmailFacts, LinkFacts
from clinic_desk.domain.wording import when
from tests.domain.factories import LAST_WEEK, NOW, YESTERDAY, failed_email, invitation, make_facts
from tests.domain.troubleshooting.helpers import PLACEHOLDER, plan_for, shown, step

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
    assert "maria.lopez@example.com" in shown(history)
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
    assert "not the address on file now" in history.body
    assert "Link sent to: old@example.com" in shown(history)
    assert "Email on file: maria.lopez@example.com" in shown(history)
    assert "could not be delivered" in history.body and "550" not in history.body
    assert "fix_email" in plan.step_ids
    assert plan.step_ids.index("fix_email") < plan.step_ids.index("resend_invitation")
    assert plan.tip(codes.EMAIL_DELIVERY_FAILED) is not None


@pytest.mark.parametrize(
    ("mail", "words"),
    [
        (
            failed_email(status="sent", sent_at=YESTERDAY, failed_at=None),
            f"to maria.lopez@example.com was delivered on {when(YESTERDAY)}",
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
