"""The rule table behind the colour and 'may use the portal', checked on every input combination."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest

from clinic_desk.domain import codes
from clinic_desk.domain.access import (
    RED_RULES,
    can_sign_in,
    color_from,
    is_blank,
    red_reason_codes,
    status_allows_portal,
    why_access_cannot_turn_on,
)

SWITCH_REASONS = (codes.ACCESS_DISABLED_BY_STAFF, codes.REGISTRATION_UNCONFIRMED, codes.ACCESS_NOT_ENABLED)


@dataclass(frozen=True)
class Facts:
    patient_status: str
    access_enabled: bool
    access_off_reason: str | None
    email: str | None
    zip_code: str | None


EVERY = [
    Facts(status, enabled, reason, email, zip_code)
    for status, (enabled, reason), email, zip_code in itertools.product(
        codes.PATIENT_STATUSES,
        [(True, None), *((False, reason) for reason in (*codes.OFF_REASONS, None))],
        [None, "", "  ", "a@example.com"],
        [None, "", " ", "02139"],
    )
]


def test_the_table_lists_every_red_reason_in_contract_order() -> None:
    assert tuple(rule.code for rule in RED_RULES) == codes.RED_REASONS


@pytest.mark.parametrize("facts", EVERY, ids=str)
def test_each_combination(facts: Facts) -> None:
    found = red_reason_codes(facts)
    assert found == tuple(code for code in codes.RED_REASONS if code in found)  # contract order
    switch = [code for code in found if code in SWITCH_REASONS]
    assert len(switch) == (0 if facts.access_enabled else 1)  # exactly one says why the switch is off
    assert (codes.PATIENT_DECEASED in found) == (facts.patient_status == codes.DECEASED)
    assert (codes.PATIENT_INACTIVE in found) == (facts.patient_status == codes.INACTIVE)
    assert (codes.MISSING_EMAIL in found) == is_blank(facts.email)
    assert (codes.MISSING_ZIP in found) == is_blank(facts.zip_code)
    usable = can_sign_in(facts.patient_status, facts.access_enabled)
    may_turn_on = why_access_cannot_turn_on(facts.patient_status, facts.email, facts.zip_code) is None
    # Red exactly when a red reason holds; the portal lets in exactly the charts that are not red.
    for logged_in in (False, True):
        color = color_from(found, logged_in)
        assert (color == codes.RED) == bool(found)
        assert (color != codes.RED) == (usable and may_turn_on)


def test_only_active_and_prospective_patients_may_use_the_portal() -> None:
    assert [s for s in codes.PATIENT_STATUSES if status_allows_portal(s)] == [codes.ACTIVE, codes.PROSPECTIVE]


def test_blank_means_nothing_but_spaces() -> None:
    assert is_blank(None) and is_blank("") and is_blank("   ")
    assert not is_blank("a") and not is_blank("\t")  # SQL's TRIM keeps tabs, and so does the rule
