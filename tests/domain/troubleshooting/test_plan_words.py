"""The plan says each fact once: short words, each address named a few times at most (issue 13)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import pytest

from clinic_desk.domain.facts import PortalFacts
from tests.domain.factories import (
    NOW,
    access_off,
    failed_email,
    invitation,
    logged_in,
    make_facts,
    unconfirmed,
)
from tests.domain.troubleshooting.helpers import ADVICE, first_reading, plan_for

_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

CASES = {
    "registration with a mistyped email": unconfirmed(
        email="maria@gmial.com", confirmation_sent_to="maria@gmial.com"
    ),
    "gold, the invitation expired": make_facts(newest_link=invitation()),
    "gold, never invited": make_facts(),
    "blue, locked": logged_in(failed_logins=5, locked_until=NOW + timedelta(minutes=10)),
    "blue, an email bounced": logged_in(newest_email=failed_email()),
    "red, no email": access_off(None, email=None),
}


@pytest.mark.parametrize("facts", CASES.values(), ids=CASES.keys())
def test_each_address_is_named_at_most_three_times_and_the_plan_stays_short(facts: PortalFacts) -> None:
    words = first_reading(plan_for(facts))
    named = Counter(address.lower() for address in _ADDRESS.findall(words))
    assert all(count <= 3 for count in named.values()), named.most_common(3)
    assert len(words.split()) <= 300


def test_a_suggested_address_is_named_where_it_is_fixed_and_once_more_at_most() -> None:
    plan = plan_for(CASES["registration with a mistyped email"])
    assert first_reading(plan).count("maria@gmail.com") <= 2
    fix = plan.step("fix_email")
    assert fix is not None and fix.warning is not None and "maria@gmail.com" in fix.warning


def test_the_sender_is_named_in_the_whitelisting_advice_itself() -> None:
    plan = plan_for(make_facts(newest_link=invitation()))
    tip = plan.tip("emails_not_arriving")
    assert tip is not None and ADVICE.sender_address in tip.body
