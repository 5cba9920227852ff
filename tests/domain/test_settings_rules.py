"""Settings rules: what each setting accepts, how it is stored, and the words when it is refused."""

from __future__ import annotations

import pytest

from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.settings_rules import LABELS, NUMBER_RANGES, SECURITY_CHOICES, clean_setting


@pytest.mark.parametrize(
    ("name", "typed", "stored"),
    [
        ("clinic_name", "  Harbor Pediatrics ", "Harbor Pediatrics"),
        ("sender_address", " portal@Harbor-Peds.Example ", "portal@harbor-peds.example"),
        ("whitelist_domain", "Harbor-Peds.Example", "harbor-peds.example"),
        ("placeholder_domain", "NoEmail.invalid", "noemail.invalid"),
        ("portal_url", " https://portal.harbor-peds.example/app ", "https://portal.harbor-peds.example/app"),
        ("smtp_host", " smtp.office365.com ", "smtp.office365.com"),
        ("smtp_host", "", ""),
        ("smtp_username", "", ""),
        ("smtp_security", "STARTTLS", "starttls"),
        ("smtp_port", "465", 465),
        ("invitation_days", 90, 90),
    ],
)
def test_accepted_values_are_stored_cleaned(name: str, typed: object, stored: object) -> None:
    assert clean_setting(name, typed) == stored


@pytest.mark.parametrize("name", sorted(NUMBER_RANGES))
def test_every_number_setting_accepts_exactly_its_range(name: str) -> None:
    allowed = NUMBER_RANGES[name]
    assert clean_setting(name, allowed.minimum) == allowed.minimum
    assert clean_setting(name, allowed.maximum) == allowed.maximum
    for refused in (allowed.minimum - 1, allowed.maximum + 1, False, 2.5, None, "-1"):
        with pytest.raises(ValidationError) as caught:
            clean_setting(name, refused)
        assert caught.value.field == name
        assert caught.value.message.startswith(f"{LABELS[name]}: ")


@pytest.mark.parametrize("choice", SECURITY_CHOICES)
def test_every_security_choice_is_accepted(choice: str) -> None:
    assert clean_setting("smtp_security", choice) == choice


def test_an_unknown_setting_is_refused_by_name() -> None:
    with pytest.raises(ValidationError) as caught:
        clean_setting("portal", "https://portal.example.org")
    assert caught.value.field == "portal"
