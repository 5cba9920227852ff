"""Email checks that explain why mail does not reach a patient."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_desk.domain.email_checks import (
    COMMON_DOMAINS,
    DEFAULT_PLACEHOLDER_DOMAIN,
    KNOWN_TYPOS,
    domain_of,
    edit_distance,
    is_placeholder,
    looks_like_email,
    same_email,
    suggest_domain,
    suggest_email,
)

# --- typo suggestions --------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("gmial.com", "gmail.com"),  # swapped letters
        ("gmail.con", "gmail.com"),
        ("gmal.com", "gmail.com"),
        ("gamil.com", "gmail.com"),
        ("gmail.co", "gmail.com"),
        ("hotmial.com", "hotmail.com"),
        ("hotmal.com", "hotmail.com"),
        ("yahooo.com", "yahoo.com"),
        ("yaho.com", "yahoo.com"),
        ("outlok.com", "outlook.com"),
        ("outllok.com", "outlook.com"),
        ("iclod.com", "icloud.com"),
        ("comcast.ent", "comcast.net"),
        ("GMIAL.COM", "gmail.com"),  # case does not hide a typo
        (" gmial.com ", "gmail.com"),
        ("gmial.com.", "gmail.com"),
    ],
)
def test_suggest_domain_fixes_common_typos(typed: str, meant: str) -> None:
    assert suggest_domain(typed) == meant


@pytest.mark.parametrize("domain", COMMON_DOMAINS)
def test_no_suggestion_for_the_common_domains_themselves(domain: str) -> None:
    assert suggest_domain(domain) is None
    assert suggest_domain(domain.upper()) is None


@pytest.mark.parametrize(
    "domain",
    [
        "example.org",
        "example.com",
        "mycompany.com",
        "kaiser.org",
        "stanford.edu",
        "va.gov",
        "comcast.com",
        "att.com",
        "yahoo.co.uk",
        "hotmail.co.uk",
        "hotmail.fr",
        "gmx.net",
        "web.de",
        "mail.ru",
        "qq.com",
        "optonline.net",
        "",
    ],
)
def test_no_suggestion_for_real_or_unrelated_domains(domain: str) -> None:
    assert suggest_domain(domain) is None


@pytest.mark.parametrize("domain", ["yahoo.ca", "hotmail.ca", "live.ca", "email.com"])
def test_no_suggestion_for_real_regional_domains(domain: str) -> None:
    assert suggest_domain(domain) is None


@pytest.mark.parametrize(("typo", "meant"), sorted(KNOWN_TYPOS.items()))
def test_known_typos_point_at_common_domains(typo: str, meant: str) -> None:
    assert meant in COMMON_DOMAINS
    assert suggest_domain(typo) == meant


def test_short_domains_tolerate_only_one_slip() -> None:
    assert suggest_domain("aol.con") == "aol.com"
    assert suggest_domain("aoll.con") is None  # two edits from a 7-letter domain
    assert suggest_domain("me.cmo") == "me.com"


def test_suggest_email_keeps_the_local_part() -> None:
    assert suggest_email("Maria.Lopez@gmial.com") == "Maria.Lopez@gmail.com"
    assert suggest_email("jo@hotmial.com") == "jo@hotmail.com"
    assert suggest_email("odd@name@yahooo.com") == "odd@name@yahoo.com"  # splits at the last @


@pytest.mark.parametrize("email", [None, "", "jo", "jo@gmail.com", "jo@example.org", "mrn1@noemail.invalid"])
def test_suggest_email_none_when_nothing_to_fix(email: str | None) -> None:
    assert suggest_email(email) is None


def test_edit_distance_counts_a_swap_as_one() -> None:
    assert edit_distance("gmail.com", "gmail.com") == 0
    assert edit_distance("gmial.com", "gmail.com") == 1
    assert edit_distance("gmail.con", "gmail.com") == 1
    assert edit_distance("", "abc") == 3
    assert edit_distance("abc", "") == 3
    assert edit_distance("kitten", "sitting") == 3


@given(st.text(max_size=12), st.text(max_size=12))
def test_edit_distance_is_symmetric_and_bounded(a: str, b: str) -> None:
    distance = edit_distance(a, b)
    assert distance == edit_distance(b, a)
    assert abs(len(a) - len(b)) <= distance <= max(len(a), len(b))
    assert (distance == 0) == (a == b)


@given(st.text(max_size=20))
def test_suggestions_are_always_common_domains(domain: str) -> None:
    suggestion = suggest_domain(domain)
    assert suggestion is None or suggestion in COMMON_DOMAINS


# --- placeholders ------------------------------------------------------------


@pytest.mark.parametrize(
    "email",
    [
        "mrn1234@noemail.invalid",
        "MRN1234@NOEMAIL.INVALID",
        "anything@noemail.invalid ",
        "x@sub.noemail.invalid",
    ],
)
def test_placeholder_addresses(email: str) -> None:
    assert is_placeholder(email)


@pytest.mark.parametrize(
    "email",
    [
        None,
        "",
        "noemail.invalid",  # no @: not an address at all
        "jo@gmail.com",
        "jo@noemail.invalid.com",
        "jo@mynoemail.invalid",  # a different domain that merely ends the same way
        "noemail.invalid@gmail.com",
    ],
)
def test_not_placeholders(email: str | None) -> None:
    assert not is_placeholder(email)


def test_placeholder_domain_is_the_clinics_choice() -> None:
    assert DEFAULT_PLACEHOLDER_DOMAIN == "noemail.invalid"
    assert is_placeholder("mrn1@none.clinic.test", "none.clinic.test")
    assert is_placeholder("mrn1@NONE.clinic.test", " None.Clinic.Test ")
    assert not is_placeholder("mrn1@noemail.invalid", "none.clinic.test")


def test_domain_of() -> None:
    assert domain_of("Jo@Gmail.COM") == "gmail.com"
    assert domain_of("a@b@Example.org ") == "example.org"
    assert domain_of("jo") == ""
    assert domain_of(None) == ""


# --- usernames shaped like emails --------------------------------------------


@pytest.mark.parametrize("text", ["jo@gmail.com", "maria.lopez@example.org", "a@b.co"])
def test_looks_like_email(text: str) -> None:
    assert looks_like_email(text)


@pytest.mark.parametrize(
    "text", [None, "", "jlopez", "jo@gmail", "@gmail.com", "jo@.com", "jo@gmail.", "a@b@c.com"]
)
def test_does_not_look_like_email(text: str | None) -> None:
    assert not looks_like_email(text)


# --- comparing addresses -----------------------------------------------------


def test_same_email_ignores_case_and_surrounding_spaces() -> None:
    assert same_email("Jo@Gmail.com", "jo@gmail.com")
    assert same_email(" jo@gmail.com ", "JO@GMAIL.COM")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("jo@gmail.com", "jo@gmial.com"),
        ("jo@gmail.com", "jo2@gmail.com"),
        (None, "jo@gmail.com"),
        ("jo@gmail.com", None),
        (None, None),
        ("", ""),
    ],
)
def test_different_emails(a: str | None, b: str | None) -> None:
    assert not same_email(a, b)
