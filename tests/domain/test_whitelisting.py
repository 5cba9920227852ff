"""Provider-specific "find our email and trust it" steps (pure, no Qt, no database)."""

from __future__ import annotations

import pytest

from clinic_desk.domain.whitelisting import (
    AOL,
    GENERIC,
    GMAIL,
    ICLOUD,
    OUTLOOK,
    YAHOO,
    provider_of,
    whitelisting_advice,
)

SENDER = "portal@riverside-clinic.example"
DOMAIN = "riverside-clinic.example"


@pytest.mark.parametrize(
    ("email", "provider"),
    [
        ("ana@gmail.com", GMAIL),
        ("Ana@GoogleMail.com", GMAIL),
        ("ana@outlook.com", OUTLOOK),
        ("ana@hotmail.com", OUTLOOK),
        ("ana@hotmail.co.uk", OUTLOOK),
        ("ana@live.com", OUTLOOK),
        ("ana@msn.com", OUTLOOK),
        ("ana@outlook.com.br", OUTLOOK),
        ("ana@yahoo.com", YAHOO),
        ("ana@yahoo.co.uk", YAHOO),
        ("ana@ymail.com", YAHOO),
        ("ana@rocketmail.com", YAHOO),
        ("ana@aol.com", AOL),
        ("ana@aim.com", AOL),
        ("ana@icloud.com", ICLOUD),
        ("ana@me.com", ICLOUD),
        ("ana@mac.com", ICLOUD),
        ("ana@riverside.edu", GENERIC),
        ("ana@live.example.org", GENERIC),  # Not Microsoft's live.com.
        ("ana@mygmail.com", GENERIC),
        ("gmail.com", GMAIL),  # A bare domain works too.
        ("", GENERIC),
        (None, GENERIC),
    ],
)
def test_provider_from_the_email_domain(email: str | None, provider: str) -> None:
    assert provider_of(email) == provider


@pytest.mark.parametrize(
    ("email", "words"),
    [
        ("ana@gmail.com", ("Gmail", "Spam", "Report not spam", "Never send it to Spam")),
        ("ana@hotmail.com", ("Outlook.com", "Junk Email", "Not junk", "Safe senders and domains")),
        ("ana@yahoo.com", ("Yahoo Mail", "Spam", "Not spam", "contacts")),
        ("ana@aol.com", ("AOL Mail", "Spam", "Not spam", "contacts")),
        ("ana@me.com", ("iCloud Mail", "Junk", "Not Junk", "Contacts")),
        ("ana@riverside.edu", ("Spam or Junk", "Not spam", "safe senders")),
    ],
)
def test_each_provider_gets_its_own_steps(email: str, words: tuple[str, ...]) -> None:
    advice = whitelisting_advice(email, SENDER, DOMAIN)
    text = advice.as_text()
    for word in words:
        assert word in text, (word, text)
    assert SENDER in text
    assert len(advice.steps) >= 4 and all(step.strip() for step in advice.steps)
    assert text.startswith("1. ")


def test_aol_is_listed_apart_from_yahoo() -> None:
    aol = whitelisting_advice("ana@aol.com", SENDER, DOMAIN)
    yahoo = whitelisting_advice("ana@yahoo.com", SENDER, DOMAIN)
    assert aol.provider == AOL and yahoo.provider == YAHOO
    assert aol.steps != yahoo.steps


def test_the_whole_domain_is_offered_where_the_provider_allows_it() -> None:
    assert DOMAIN in whitelisting_advice("ana@outlook.com", SENDER, DOMAIN).as_text()
    assert f"from:{DOMAIN}" in whitelisting_advice("ana@gmail.com", SENDER, DOMAIN).as_text()
    assert f"(or the whole domain {DOMAIN})" in whitelisting_advice("ana@x.org", SENDER, DOMAIN).as_text()


def test_blank_inputs_never_give_blank_advice() -> None:
    derived = whitelisting_advice("ana@gmail.com", SENDER, "")
    assert f"from:{DOMAIN}" in derived.as_text()  # The domain comes from the sender address.
    for email in (None, "", "ana@gmail.com", "ana@hotmail.com", "ana@x.org"):
        advice = whitelisting_advice(email, "", "")
        assert advice.steps and all(step.strip() for step in advice.steps)
        assert "the clinic's email address" in advice.as_text()
        assert "  " not in advice.as_text() and " ." not in advice.as_text()
