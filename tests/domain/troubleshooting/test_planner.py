"""The decision tree: invariants of the plan for every combination of reasons and trouble spots."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_desk.domain import codes
from clinic_desk.domain.facts import PortalFacts, SharedEmailChart
from clinic_desk.domain.status import PortalStatus, evaluate
from clinic_desk.domain.troubleshooting import (
    ACTIONS,
    FIELD_KINDS,
    STEP_KINDS,
    TIP_IDS,
    TroubleshootingPlan,
    build_plan,
)
from tests.domain.factories import LAST_WEEK, NOW, YESTERDAY, failed_email, invitation, make_facts
from tests.domain.troubleshooting.helpers import (
    ADVICE,
    BORN,
    CANONICAL_ORDER,
    CONFIRMED_ACTIONS,
    PLACEHOLDER,
    step,
    texts_of,
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


def test_status_and_facts_must_be_about_the_same_patient() -> None:
    facts = make_facts()
    with pytest.raises(ValueError, match="patient 7"):
        build_plan(evaluate(make_facts(patient_id=8), NOW), facts, ADVICE)


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
