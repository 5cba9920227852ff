"""The clinic's advice the plan quotes: its checks, and that the plan uses it."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest

from clinic_desk.domain.troubleshooting import ClinicAdvice
from tests.domain.factories import invitation, make_facts
from tests.domain.troubleshooting.helpers import ADVICE, plan_for, texts_of, tip_of

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
