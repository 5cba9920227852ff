"""Portal status evaluation against the contract in DESIGN.md section 1."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_desk.domain import codes
from clinic_desk.domain.facts import EmailFacts, LinkFacts, PortalFacts, SharedEmailChart
from clinic_desk.domain.status import PortalStatus, StatusItem, color_of, evaluate
from clinic_desk.domain.wording import when
from tests.domain.factories import (
    LAST_WEEK,
    NOW,
    YESTERDAY,
    access_off,
    failed_email,
    invitation,
    logged_in,
    make_facts,
    unconfirmed,
)

SWITCH_REASONS = (
    codes.ACCESS_DISABLED_BY_STAFF,
    codes.REGISTRATION_UNCONFIRMED,
    codes.ACCESS_NOT_ENABLED,
)


def all_messages(status: PortalStatus) -> list[str]:
    return [item.message for item in (*status.reasons, *status.trouble_spots)] + [status.headline]


def reason_of(facts: PortalFacts, code: str) -> StatusItem:
    """The reason with this code in the status of facts at NOW; the test fails without one."""
    found = evaluate(facts, NOW).reason(code)
    assert found is not None, f"no reason {code!r}"
    return found


def trouble_of(facts: PortalFacts, code: str) -> StatusItem:
    """The trouble spot with this code in the status of facts at NOW; the test fails without one."""
    found = evaluate(facts, NOW).trouble(code)
    assert found is not None, f"no trouble spot {code!r}"
    return found


# --- red reasons -------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "code"),
    [
        (make_facts(patient_status=codes.DECEASED), codes.PATIENT_DECEASED),
        (make_facts(patient_status=codes.INACTIVE), codes.PATIENT_INACTIVE),
        (access_off(codes.OFF_BY_STAFF), codes.ACCESS_DISABLED_BY_STAFF),
        (access_off(codes.OFF_UNCONFIRMED), codes.REGISTRATION_UNCONFIRMED),
        (make_facts(email=None), codes.MISSING_EMAIL),
        (make_facts(email=""), codes.MISSING_EMAIL),
        (make_facts(email="   "), codes.MISSING_EMAIL),
        (make_facts(zip_code=None), codes.MISSING_ZIP),
        (make_facts(zip_code=" "), codes.MISSING_ZIP),
        (access_off(codes.OFF_NOT_ENABLED), codes.ACCESS_NOT_ENABLED),
        (access_off(None), codes.ACCESS_NOT_ENABLED),
    ],
)
def test_each_red_reason_alone(facts: PortalFacts, code: str) -> None:
    status = evaluate(facts, NOW)
    assert status.color == "red"
    assert status.reason_codes == (code,)
    item = status.reason(code)
    assert item is not None and item.message
    assert status.headline.startswith("Portal access is off")


def test_all_red_reasons_that_can_hold_together_in_contract_order() -> None:
    facts = access_off(codes.OFF_BY_STAFF, patient_status=codes.DECEASED, email=None, zip_code=None)
    status = evaluate(facts, NOW)
    assert status.reason_codes == (
        codes.PATIENT_DECEASED,
        codes.ACCESS_DISABLED_BY_STAFF,
        codes.MISSING_EMAIL,
        codes.MISSING_ZIP,
    )
    facts = access_off(None, patient_status=codes.INACTIVE, email=None, zip_code=None)
    assert evaluate(facts, NOW).reason_codes == (
        codes.PATIENT_INACTIVE,
        codes.MISSING_EMAIL,
        codes.MISSING_ZIP,
        codes.ACCESS_NOT_ENABLED,  # listed last, after the independent facts
    )


OFF_REASON_CODES: dict[str | None, str | None] = {
    "on": None,
    codes.OFF_BY_STAFF: codes.ACCESS_DISABLED_BY_STAFF,
    codes.OFF_UNCONFIRMED: codes.REGISTRATION_UNCONFIRMED,
    codes.OFF_NOT_ENABLED: codes.ACCESS_NOT_ENABLED,
    None: codes.ACCESS_NOT_ENABLED,
}


@pytest.mark.parametrize("patient_status", codes.PATIENT_STATUSES)
@pytest.mark.parametrize("switch", list(OFF_REASON_CODES))
@pytest.mark.parametrize("has_email", [True, False])
@pytest.mark.parametrize("has_zip", [True, False])
def test_red_reasons_combined_follow_contract_order(
    patient_status: str, switch: str | None, has_email: bool, has_zip: bool
) -> None:
    facts = make_facts(
        patient_status=patient_status,
        access_enabled=switch == "on",
        access_off_reason=None if switch == "on" else switch,
        email="maria.lopez@example.com" if has_email else None,
        zip_code="02134" if has_zip else None,
    )
    expected: set[str] = set()
    if patient_status == codes.DECEASED:
        expected.add(codes.PATIENT_DECEASED)
    if patient_status == codes.INACTIVE:
        expected.add(codes.PATIENT_INACTIVE)
    switch_code = OFF_REASON_CODES[switch]
    if switch_code:
        expected.add(switch_code)
    if not has_email:
        expected.add(codes.MISSING_EMAIL)
    if not has_zip:
        expected.add(codes.MISSING_ZIP)

    status = evaluate(facts, NOW)
    red_codes = tuple(code for code in status.reason_codes if code in codes.RED_REASONS)
    assert red_codes == tuple(code for code in codes.RED_REASONS if code in expected)
    assert (status.color == "red") == bool(expected)


@pytest.mark.parametrize("off_reason", [*codes.OFF_REASONS, None, "something_new"])
def test_exactly_one_switch_reason_when_access_is_off(off_reason: str | None) -> None:
    status = evaluate(access_off(off_reason, email=None, zip_code=None), NOW)
    switch = [code for code in status.reason_codes if code in SWITCH_REASONS]
    assert len(switch) == 1


def test_no_switch_reason_when_access_is_on() -> None:
    # A stale off-reason left on the account does not count while the switch is on.
    status = evaluate(make_facts(access_off_reason=codes.OFF_BY_STAFF), NOW)
    assert not set(status.reason_codes) & set(SWITCH_REASONS)


# --- colour ------------------------------------------------------------------


def test_gold_when_access_on_and_never_logged_in() -> None:
    status = evaluate(make_facts(username="mlopez"), NOW)
    assert status.color == "gold"
    assert status.reason_codes == (codes.NEVER_LOGGED_IN,)
    assert status.headline == "Portal access is on, but the patient has never logged in"
    item = status.reason(codes.NEVER_LOGGED_IN)
    assert item is not None
    assert "mlopez" in item.message
    assert item.facts["username"] == "mlopez"
    assert item.facts["access_turned_on_by"] == "frontdesk"
    assert item.facts["access_turned_on_at"] == LAST_WEEK


def test_gold_without_a_username_says_so() -> None:
    item = reason_of(make_facts(), codes.NEVER_LOGGED_IN)
    assert "no username yet" in item.message


def test_blue_when_access_on_and_logged_in() -> None:
    status = evaluate(logged_in(), NOW)
    assert status.color == "blue"
    assert status.reason_codes == (codes.HAS_LOGGED_IN,)
    assert status.headline == "Portal access is on and the patient has logged in"
    item = status.reason(codes.HAS_LOGGED_IN)
    assert item is not None
    assert when(YESTERDAY) in item.message
    assert "mlopez" in item.message
    assert "4 logins" in item.message
    assert item.facts["last_login_at"] == YESTERDAY
    assert item.facts["login_count"] == 4


def test_blue_from_the_login_count_alone() -> None:
    assert evaluate(make_facts(login_count=1), NOW).color == "blue"
    assert evaluate(make_facts(last_login_at=YESTERDAY), NOW).color == "blue"


def test_prospective_patients_may_use_the_portal() -> None:
    assert evaluate(make_facts(patient_status=codes.PROSPECTIVE), NOW).color == "gold"
    assert evaluate(logged_in(patient_status=codes.PROSPECTIVE), NOW).color == "blue"


def test_red_wins_over_having_logged_in() -> None:
    status = evaluate(logged_in(access_enabled=False, access_off_reason=codes.OFF_BY_STAFF), NOW)
    assert status.color == "red"
    assert codes.HAS_LOGGED_IN not in status.reason_codes
    assert codes.NEVER_LOGGED_IN not in status.reason_codes


@pytest.mark.parametrize(
    ("changes", "color"),
    [
        ({}, "gold"),
        ({"has_logged_in": True}, "blue"),
        ({"access_enabled": False}, "red"),
        ({"email": None}, "red"),
        ({"email": "  "}, "red"),
        ({"zip_code": ""}, "red"),
        ({"patient_status": codes.INACTIVE}, "red"),
        ({"patient_status": codes.DECEASED, "has_logged_in": True}, "red"),
        ({"patient_status": codes.PROSPECTIVE, "has_logged_in": True}, "blue"),
    ],
)
def test_color_of(changes: dict[str, Any], color: str) -> None:
    arguments: dict[str, Any] = {
        "patient_status": codes.ACTIVE,
        "access_enabled": True,
        "email": "jo@example.com",
        "zip_code": "02134",
        "has_logged_in": False,
    }
    arguments.update(changes)
    assert color_of(**arguments) == color


# --- the facts behind the reasons --------------------------------------------


def test_disabled_by_staff_carries_who_when_and_their_note() -> None:
    facts = access_off(
        codes.OFF_BY_STAFF,
        access_changed_by="dr.kim",
        access_changed_at=YESTERDAY,
        access_note="Patient asked us to pause portal access",
    )
    item = reason_of(facts, codes.ACCESS_DISABLED_BY_STAFF)
    assert item.facts["disabled_by"] == "dr.kim"
    assert item.facts["disabled_at"] == YESTERDAY
    assert item.facts["note"] == "Patient asked us to pause portal access"
    assert "dr.kim" in item.message
    assert when(YESTERDAY) in item.message
    assert '"Patient asked us to pause portal access"' in item.message


def test_disabled_by_unknown_staff_without_a_note() -> None:
    facts = access_off(codes.OFF_BY_STAFF, access_changed_by=None, access_changed_at=None)
    item = reason_of(facts, codes.ACCESS_DISABLED_BY_STAFF)
    assert "a staff member" in item.message
    assert "note" not in item.message.lower()
    assert item.facts["note"] is None


def test_registration_unconfirmed_carries_where_the_email_went_and_a_typo_suggestion() -> None:
    facts = access_off(
        codes.OFF_UNCONFIRMED,
        created_via=codes.CREATED_BY_ONLINE_REGISTRATION,
        email="maria@gmial.com",
        username="mlopez",
        registered_at=LAST_WEEK,
        confirmation_sent_to="maria@gmial.com",
        confirmation_sent_at=LAST_WEEK,
    )
    item = reason_of(facts, codes.REGISTRATION_UNCONFIRMED)
    assert item.facts["confirmation_sent_to"] == "maria@gmial.com"
    assert item.facts["confirmation_sent_at"] == LAST_WEEK
    assert item.facts["registered_at"] == LAST_WEEK
    assert item.facts["username"] == "mlopez"
    assert item.facts["suggestion"] == "maria@gmail.com"
    assert "maria@gmial.com" in item.message
    assert "did they mean maria@gmail.com?" in item.message


def test_registration_unconfirmed_falls_back_to_the_email_on_file() -> None:
    item = reason_of(access_off(codes.OFF_UNCONFIRMED), codes.REGISTRATION_UNCONFIRMED)
    assert item.facts["confirmation_sent_to"] == "maria.lopez@example.com"
    assert item.facts["suggestion"] is None
    assert "mistyped" not in item.message


def test_access_not_enabled_says_never_turned_on() -> None:
    facts = access_off(None, access_changed_by=None, access_changed_at=None)
    item = reason_of(facts, codes.ACCESS_NOT_ENABLED)
    assert "never turned on" in item.message


def test_access_not_enabled_says_the_status_change_turned_it_off() -> None:
    facts = access_off(codes.OFF_NOT_ENABLED, patient_status=codes.INACTIVE, access_changed_at=YESTERDAY)
    item = reason_of(facts, codes.ACCESS_NOT_ENABLED)
    assert "status changed" in item.message
    assert item.facts["changed_at"] == YESTERDAY
    assert item.facts["changed_by"] == "frontdesk"


# --- headlines ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "headline"),
    [
        (make_facts(patient_status=codes.DECEASED), "Portal access is off: the patient is deceased"),
        (make_facts(patient_status=codes.INACTIVE), "Portal access is off: the patient is inactive"),
        (access_off(codes.OFF_BY_STAFF), "Portal access is off: turned off by staff"),
        (access_off(codes.OFF_UNCONFIRMED), "Portal access is off: online registration not confirmed"),
        (make_facts(email=None), "Portal access is off: email missing"),
        (make_facts(zip_code=None), "Portal access is off: ZIP code missing"),
        (make_facts(email=None, zip_code=None), "Portal access is off: email and ZIP code missing"),
        (access_off(None, email=None), "Portal access is off: email missing"),
        (
            access_off(None, access_changed_by=None, access_changed_at=None),
            "Portal access is off: it has not been turned on",
        ),
        # It was on before a status change turned it off: never "has not been turned on".
        (
            access_off(codes.OFF_NOT_ENABLED, access_changed_at=YESTERDAY),
            "Portal access is off: it was turned off when the patient's status changed",
        ),
        (
            access_off(codes.OFF_BY_STAFF, patient_status=codes.DECEASED, email=None),
            "Portal access is off: the patient is deceased",
        ),
    ],
)
def test_red_headline_names_the_first_reason(facts: PortalFacts, headline: str) -> None:
    assert evaluate(facts, NOW).headline == headline


# --- trouble spots -----------------------------------------------------------


def test_a_healthy_patient_has_no_trouble_spots() -> None:
    assert evaluate(make_facts(), NOW).trouble_spots == ()
    assert evaluate(logged_in(), NOW).trouble_spots == ()


def test_no_invitation_sent() -> None:
    status = evaluate(
        make_facts(any_invitation_sent=False, username="mlopez", must_change_password=True), NOW
    )
    item = status.trouble(codes.NO_INVITATION_SENT)
    assert item is not None
    assert "mlopez" in item.message and "by hand" in item.message
    assert item.facts["username"] == "mlopez"
    assert item.facts["username_set_by_staff"] is True


def test_no_invitation_sent_to_a_patient_who_chose_their_username_is_not_called_set_by_hand() -> None:
    # Issue 10, item 11: the patient claimed the account on the portal (no temporary password).
    item = trouble_of(make_facts(any_invitation_sent=False, username="mlopez"), codes.NO_INVITATION_SENT)
    assert "by hand" not in item.message
    assert "The patient chose the username mlopez on the portal." in item.message
    assert item.facts["username_set_by_staff"] is False


@pytest.mark.parametrize(
    "facts",
    [
        make_facts(any_invitation_sent=True),
        logged_in(any_invitation_sent=False),
        access_off(None, any_invitation_sent=False),
    ],
)
def test_no_invitation_sent_only_when_access_on_and_never_logged_in(facts: PortalFacts) -> None:
    assert evaluate(facts, NOW).trouble(codes.NO_INVITATION_SENT) is None


@pytest.mark.parametrize(
    ("kind", "word"), [(codes.INVITATION, "invitation"), (codes.RESET, "password-reset")]
)
def test_invitation_expired(kind: str, word: str) -> None:
    link = invitation(kind=kind)
    item = trouble_of(make_facts(newest_link=link), codes.INVITATION_EXPIRED)
    assert f"newest {word} link" in item.message
    assert link.sent_to in item.message
    assert item.facts["kind"] == kind
    assert item.facts["sent_to"] == link.sent_to
    assert item.facts["sent_at"] == link.created_at
    assert item.facts["expired_at"] == link.expires_at


def test_invitation_expires_at_its_expiry_time() -> None:
    link = invitation(expires_at=NOW)
    assert evaluate(make_facts(newest_link=link), NOW).trouble(codes.INVITATION_EXPIRED) is not None


@pytest.mark.parametrize(
    "link",
    [
        invitation(used_at=LAST_WEEK + timedelta(hours=1)),
        invitation(revoked_at=LAST_WEEK + timedelta(hours=1)),
        invitation(expires_at=NOW + timedelta(seconds=1)),
        invitation(kind=codes.CONFIRMATION),
    ],
)
def test_invitation_not_expired(link: LinkFacts) -> None:
    assert evaluate(make_facts(newest_link=link), NOW).trouble(codes.INVITATION_EXPIRED) is None


def test_email_delivery_failed() -> None:
    mail = failed_email()
    item = trouble_of(make_facts(newest_email=mail), codes.EMAIL_DELIVERY_FAILED)
    # Plain words in the hover (issue 10, item 11); the server's reply stays in the facts.
    assert "550" not in item.message
    assert "the mail server says this mailbox is not available" in item.message
    assert mail.to in item.message
    assert item.facts["to"] == mail.to
    assert item.facts["kind"] == codes.INVITATION
    assert item.facts["failed_at"] == mail.failed_at
    assert item.facts["failure_reason"] == "550 mailbox unavailable"


def test_email_delivery_failed_without_a_reason() -> None:
    item = trouble_of(make_facts(newest_email=failed_email(failure_reason=None)), codes.EMAIL_DELIVERY_FAILED)
    assert "the mail server gave no reason" in item.message


@pytest.mark.parametrize("mail_status", ["queued", "sent"])
def test_email_delivery_fine(mail_status: str) -> None:
    mail = failed_email(status=mail_status, failed_at=None, failure_reason=None)
    assert evaluate(make_facts(newest_email=mail), NOW).trouble(codes.EMAIL_DELIVERY_FAILED) is None


def test_placeholder_email() -> None:
    facts = make_facts(
        email="mrn0007@noemail.invalid",
        shared_with=(SharedEmailChart(8, "Ana Lopez", "MRN0008"),),
    )
    status = evaluate(facts, NOW)
    item = status.trouble(codes.PLACEHOLDER_EMAIL)
    assert item is not None
    assert item.facts["email"] == "mrn0007@noemail.invalid"
    assert item.facts["placeholder_domain"] == "noemail.invalid"
    assert "cannot reset" in item.message
    # Sharing a placeholder means nothing, and it is no typo.
    assert status.trouble(codes.SHARED_EMAIL) is None
    assert status.trouble(codes.EMAIL_POSSIBLE_TYPO) is None
    # A placeholder still counts as an email on file: access may be on.
    assert status.color == "gold"


def test_placeholder_domain_comes_from_the_facts() -> None:
    facts = make_facts(email="mrn0007@none.clinic.test", placeholder_domain="none.clinic.test")
    item = trouble_of(facts, codes.PLACEHOLDER_EMAIL)
    assert item.facts["placeholder_domain"] == "none.clinic.test"
    assert (
        evaluate(make_facts(email="mrn0007@none.clinic.test"), NOW).trouble(codes.PLACEHOLDER_EMAIL) is None
    )


@pytest.mark.parametrize(
    ("email", "suggestion"),
    [
        ("maria@gmial.com", "maria@gmail.com"),
        ("maria@hotmial.com", "maria@hotmail.com"),
        ("maria@gmail.con", "maria@gmail.com"),
    ],
)
def test_email_possible_typo(email: str, suggestion: str) -> None:
    item = trouble_of(make_facts(email=email), codes.EMAIL_POSSIBLE_TYPO)
    assert item.facts["email"] == email
    assert item.facts["suggestion"] == suggestion
    assert suggestion in item.message


@pytest.mark.parametrize("email", ["maria@gmail.com", "maria@example.org", "maria@mycompany.com"])
def test_no_typo_for_real_domains(email: str) -> None:
    assert evaluate(make_facts(email=email), NOW).trouble(codes.EMAIL_POSSIBLE_TYPO) is None


def test_username_is_old_email() -> None:
    facts = logged_in(email="maria.lopez@example.com")
    facts = dataclasses.replace(facts, username="maria1980@yahoo.com")
    item = trouble_of(facts, codes.USERNAME_IS_OLD_EMAIL)
    assert "maria1980@yahoo.com" in item.message
    assert item.facts["username"] == "maria1980@yahoo.com"
    assert item.facts["email"] == "maria.lopez@example.com"


@pytest.mark.parametrize("username", ["mlopez", "Maria.Lopez@Example.com", None])
def test_username_is_not_old_email(username: str | None) -> None:
    facts = make_facts(username=username)
    assert evaluate(facts, NOW).trouble(codes.USERNAME_IS_OLD_EMAIL) is None


def test_shared_email_says_whose_username_is_whose() -> None:
    facts = make_facts(
        username="mlopez",
        shared_with=(
            SharedEmailChart(8, "Ana Lopez", "MRN0008", username="alopez"),
            SharedEmailChart(9, "Luis Lopez", "MRN0009"),
        ),
    )
    item = trouble_of(facts, codes.SHARED_EMAIL)
    assert "2 other charts" in item.message
    assert "Ana Lopez (username alopez)" in item.message
    assert "Luis Lopez (no username)" in item.message
    assert "This patient's username is mlopez." in item.message
    assert item.facts["username"] == "mlopez"
    assert item.facts["email"] == "maria.lopez@example.com"
    assert [chart["patient_id"] for chart in item.facts["charts"]] == [8, 9]
    assert item.facts["charts"][0] == {
        "patient_id": 8,
        "name": "Ana Lopez",
        "mrn": "MRN0008",
        "username": "alopez",
    }


def test_shared_email_when_this_patient_has_no_username() -> None:
    facts = make_facts(shared_with=(SharedEmailChart(8, "Ana Lopez", "MRN0008", "alopez"),))
    item = trouble_of(facts, codes.SHARED_EMAIL)
    assert "This patient has no username yet." in item.message


def test_shared_email_grammar_for_one_other_chart() -> None:
    facts = make_facts(shared_with=(SharedEmailChart(8, "Ana Lopez", "MRN0008", "alopez"),))
    item = trouble_of(facts, codes.SHARED_EMAIL)
    assert "1 other chart uses the same email" in item.message


def test_no_shared_email_without_an_email() -> None:
    facts = make_facts(email=None, shared_with=(SharedEmailChart(8, "Ana Lopez", "MRN0008"),))
    assert evaluate(facts, NOW).trouble(codes.SHARED_EMAIL) is None


def test_account_locked() -> None:
    until = NOW + timedelta(minutes=15)
    item = trouble_of(logged_in(locked_until=until, failed_logins=5), codes.ACCOUNT_LOCKED)
    assert item.facts["locked_until"] == until
    assert item.facts["failed_logins"] == 5
    assert when(until) in item.message
    assert "unlock" in item.message


@pytest.mark.parametrize("until", [NOW, NOW - timedelta(minutes=1)])
def test_a_lock_that_ran_out_is_no_trouble(until: datetime) -> None:
    assert evaluate(logged_in(locked_until=until), NOW).trouble(codes.ACCOUNT_LOCKED) is None


def test_recent_failed_logins() -> None:
    facts = logged_in(failed_logins=3, last_failed_login_at=NOW - timedelta(hours=2))
    item = trouble_of(facts, codes.RECENT_FAILED_LOGINS)
    assert item.message.startswith("3 failed logins since the last successful one")
    assert when(NOW - timedelta(hours=2)) in item.message
    assert "autofill" in item.message
    assert item.facts["failed_logins"] == 3
    assert item.facts["last_failed_login_at"] == NOW - timedelta(hours=2)
    assert item.facts["last_login_at"] == YESTERDAY


def test_one_failed_login_without_a_time() -> None:
    item = trouble_of(logged_in(failed_logins=1), codes.RECENT_FAILED_LOGINS)
    assert item.message.startswith("1 failed login since")
    assert "latest" not in item.message


def test_trouble_spots_in_contract_order_whatever_the_colour() -> None:
    facts = make_facts(
        email="maria@gmial.com",
        username="maria1980@yahoo.com",
        any_invitation_sent=False,
        newest_link=invitation(),
        newest_email=failed_email(),
        shared_with=(SharedEmailChart(8, "Ana Lopez", "MRN0008"),),
        locked_until=NOW + timedelta(minutes=5),
        failed_logins=6,
    )
    expected = tuple(code for code in codes.TROUBLE_SPOTS if code != codes.PLACEHOLDER_EMAIL)
    assert evaluate(facts, NOW).trouble_codes == expected
    # Trouble spots are shown for a red icon too (only no_invitation_sent needs access on).
    red = dataclasses.replace(facts, access_enabled=False, zip_code=None)
    status = evaluate(red, NOW)
    assert status.color == "red"
    assert status.trouble_codes == expected[1:]


# --- secrets -----------------------------------------------------------------

SECRET_WORDS = ("password_hash", "token", "hash", "secret")


def test_facts_hold_no_password_or_token() -> None:
    for facts_type in (PortalFacts, LinkFacts, EmailFacts, SharedEmailChart):
        for field in dataclasses.fields(facts_type):
            assert "password" not in field.name or field.name == "must_change_password"
            assert not any(word in field.name for word in SECRET_WORDS)


def test_messages_never_carry_a_password() -> None:
    """Even a username that looks like a password is the only credential ever named."""
    busy = make_facts(
        email="maria@gmial.com",
        username="maria1980@yahoo.com",
        must_change_password=True,
        any_invitation_sent=False,
        newest_link=invitation(kind=codes.RESET),
        newest_email=failed_email(),
        shared_with=(SharedEmailChart(8, "Ana Lopez", "MRN0008", "alopez"),),
        locked_until=NOW + timedelta(minutes=5),
        failed_logins=6,
    )
    for facts in (busy, access_off(codes.OFF_UNCONFIRMED, username="mlopez"), logged_in()):
        status = evaluate(facts, NOW)
        for item in (*status.reasons, *status.trouble_spots):
            assert not any(word in key for key in item.facts for word in SECRET_WORDS)
            assert "password:" not in item.message.lower()
            assert "?token=" not in item.message
        for message in all_messages(status):
            assert message == message.strip() and message


# --- properties --------------------------------------------------------------

MOMENTS = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)
EMAILS = st.sampled_from(
    [None, "", "   ", "maria@example.com", "maria@gmial.com", "mrn7@noemail.invalid", "MARIA@EXAMPLE.COM"]
)


@st.composite
def portal_facts(draw: st.DrawFn) -> PortalFacts:
    access_enabled = draw(st.booleans())
    return PortalFacts(
        patient_id=draw(st.integers(min_value=1, max_value=10_000)),
        first_name=draw(st.sampled_from(["Maria", "José", "Ana"])),
        last_name=draw(st.sampled_from(["Lopez", "Núñez", "Kim"])),
        mrn="MRN0007",
        patient_status=draw(st.sampled_from(codes.PATIENT_STATUSES)),
        email=draw(EMAILS),
        zip_code=draw(st.sampled_from([None, "", " ", "02134", "12345-6789"])),
        access_enabled=access_enabled,
        access_off_reason=draw(st.sampled_from([None, *codes.OFF_REASONS])),
        access_changed_by=draw(st.sampled_from([None, "frontdesk"])),
        access_changed_at=draw(st.none() | MOMENTS),
        access_note=draw(st.sampled_from([None, "Asked by patient"])),
        username=draw(st.sampled_from([None, "mlopez", "maria@example.com", "old@yahoo.com"])),
        registered_at=draw(st.none() | MOMENTS),
        confirmation_sent_to=draw(EMAILS),
        confirmation_sent_at=draw(st.none() | MOMENTS),
        last_login_at=draw(st.none() | MOMENTS),
        login_count=draw(st.integers(min_value=0, max_value=5)),
        failed_logins=draw(st.integers(min_value=0, max_value=5)),
        last_failed_login_at=draw(st.none() | MOMENTS),
        locked_until=draw(st.none() | MOMENTS),
        newest_link=draw(
            st.none()
            | st.builds(
                LinkFacts,
                kind=st.sampled_from(codes.EMAIL_KINDS),
                sent_to=st.just("maria@example.com"),
                created_at=MOMENTS,
                expires_at=MOMENTS,
                used_at=st.none() | MOMENTS,
                revoked_at=st.none() | MOMENTS,
            )
        ),
        newest_email=draw(
            st.none()
            | st.builds(
                EmailFacts,
                kind=st.sampled_from(codes.EMAIL_KINDS),
                to=st.just("maria@example.com"),
                status=st.sampled_from(["queued", "sent", "failed"]),
                queued_at=MOMENTS,
                failed_at=st.none() | MOMENTS,
                failure_reason=st.none() | st.just("550 no such user"),
            )
        ),
        any_invitation_sent=draw(st.booleans()),
        shared_with=tuple(
            draw(
                st.lists(
                    st.builds(
                        SharedEmailChart,
                        patient_id=st.integers(min_value=1, max_value=99),
                        name=st.just("Ana Lopez"),
                        mrn=st.just("MRN0008"),
                        username=st.none() | st.just("alopez"),
                    ),
                    max_size=3,
                )
            )
        ),
    )


@settings(max_examples=300, deadline=None)
@given(portal_facts(), MOMENTS)
def test_status_properties(facts: PortalFacts, now: datetime) -> None:
    status = evaluate(facts, now)
    has_logged_in = facts.last_login_at is not None or facts.login_count > 0
    assert status.color == color_of(
        patient_status=facts.patient_status,
        access_enabled=facts.access_enabled,
        email=facts.email,
        zip_code=facts.zip_code,
        has_logged_in=has_logged_in,
    )
    red_codes = [code for code in status.reason_codes if code in codes.RED_REASONS]
    assert (status.color == "red") == bool(red_codes)
    assert tuple(red_codes) == tuple(code for code in codes.RED_REASONS if code in red_codes)
    assert len(set(status.reason_codes)) == len(status.reason_codes)

    switch = [code for code in status.reason_codes if code in SWITCH_REASONS]
    assert len(switch) == (0 if facts.access_enabled else 1)

    if status.color == "gold":
        assert status.reason_codes == (codes.NEVER_LOGGED_IN,)
    elif status.color == "blue":
        assert status.reason_codes == (codes.HAS_LOGGED_IN,)
    else:
        assert status.reason_codes == tuple(red_codes)
    assert status.headline.startswith("Portal access is off") == (status.color == "red")

    trouble = status.trouble_codes
    assert trouble == tuple(code for code in codes.TROUBLE_SPOTS if code in trouble)
    assert not (codes.PLACEHOLDER_EMAIL in trouble and codes.EMAIL_POSSIBLE_TYPO in trouble)
    assert status.patient_id == facts.patient_id
    assert status.evaluated_at == now
    assert all(item.message for item in (*status.reasons, *status.trouble_spots))


# --- issue 10, item 11: words that must not mislead -----------------------------


def _confirmation(status: str, **changes: Any) -> EmailFacts:
    values: dict[str, Any] = {
        "kind": codes.CONFIRMATION,
        "status": status,
        "failed_at": None,
        "failure_reason": None,
    }
    values.update(changes)
    return failed_email(**values)


def test_queued_confirmation_is_not_called_sent() -> None:
    facts = unconfirmed(confirmation_email=_confirmation("queued"), newest_email=_confirmation("queued"))
    item = reason_of(facts, codes.REGISTRATION_UNCONFIRMED)
    assert "sent to" not in item.message and "was sent" not in item.message
    assert "The confirmation email to maria.lopez@example.com is waiting to be sent" in item.message
    assert item.facts["confirmation_status"] == "queued"


def test_delivered_confirmation_says_delivered() -> None:
    mail = _confirmation("sent", sent_at=YESTERDAY)
    item = reason_of(unconfirmed(confirmation_email=mail), codes.REGISTRATION_UNCONFIRMED)
    assert f"was delivered on {when(YESTERDAY)}" in item.message


def test_bounced_confirmation_says_why_in_plain_words() -> None:
    mail = failed_email(kind=codes.CONFIRMATION, failure_reason="550 5.1.1 <m@example.com>: User unknown")
    status = evaluate(unconfirmed(confirmation_email=mail, newest_email=mail), NOW)
    texts = [status.headline] + [item.message for item in (*status.reasons, *status.trouble_spots)]
    assert not [text for text in texts if "550" in text or "5.1.1" in text]
    assert "sent to" not in status.reasons[0].message
    assert "could not be delivered" in status.reasons[0].message
    assert "the mail server says this mailbox does not exist" in status.reasons[0].message
    spot = status.trouble(codes.EMAIL_DELIVERY_FAILED)
    assert spot is not None and spot.facts["failure_reason"].startswith("550 5.1.1")
    assert "(registration confirmation)" in spot.message


def test_typo_warning_goes_once_the_email_is_corrected() -> None:
    before = unconfirmed(email="maria@gmial.com", confirmation_sent_to="maria@gmial.com")
    assert "did they mean maria@gmail.com?" in reason_of(before, codes.REGISTRATION_UNCONFIRMED).message
    after = dataclasses.replace(before, email="maria@gmail.com")
    item = reason_of(after, codes.REGISTRATION_UNCONFIRMED)
    assert "mistyped" not in item.message and item.facts["suggestion"] is None
    assert "The email on file is now maria@gmail.com." in item.message
    assert evaluate(after, NOW).trouble(codes.EMAIL_POSSIBLE_TYPO) is None


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        (codes.OFF_PATIENT_REQUEST, "because the patient asked"),
        (codes.OFF_PREVENTING_HARM, "to prevent harm to the patient or someone else"),
        (codes.OFF_SECURITY, "for security"),
        (codes.OFF_DECEASED_OR_DUPLICATE, "deceased patient or a duplicate"),
        (codes.OFF_OTHER, "for another reason (see the note)"),
    ],
)
def test_access_disabled_by_staff_says_the_reason_in_plain_words(reason: str, words: str) -> None:
    item = reason_of(access_off(codes.OFF_BY_STAFF, staff_off_reason=reason), codes.ACCESS_DISABLED_BY_STAFF)
    assert words in item.message and "_" not in item.message
    assert item.facts["reason"] == reason


def test_access_disabled_by_staff_without_a_recorded_reason_says_none() -> None:
    item = reason_of(access_off(codes.OFF_BY_STAFF), codes.ACCESS_DISABLED_BY_STAFF)
    assert item.message.startswith("Portal access was turned off by frontdesk on ")
    assert item.facts["reason"] is None and item.facts["reason_words"] is None
