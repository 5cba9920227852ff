"""The text gate's rules, the actor rule, the search text and the name keys."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_desk.domain.email_idn import ascii_email, readable_email
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.search_keys import name_key
from clinic_desk.domain.text_rules import (
    SEARCH_LIMIT,
    TEXT_FIELDS,
    check_text,
    clean_actor,
    printable_prefix,
    search_text,
)
from clinic_desk.domain.validation import _PHONE_EXTENSION, clean_phone

ANY_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()), max_size=60)


@pytest.mark.parametrize("name", sorted(TEXT_FIELDS))
def test_every_field_has_a_cap_and_names_itself(name: str) -> None:
    rule = TEXT_FIELDS[name]
    check_text("a" * rule.limit, name)
    with pytest.raises(ValidationError) as caught:
        check_text("a" * (rule.limit + 1), name)
    assert caught.value.field == name
    assert caught.value.message == f"{rule.label}: at most {rule.limit} characters."


@pytest.mark.parametrize("hidden", ["\x00", "\x1b", "\u200b", "\u202e", "\ufeff", "\ud800", "\x7f", "\u00ad"])
def test_hidden_characters_are_refused_by_name(hidden: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_text(f"Ma{hidden}ria", "first_name")
    assert caught.value.message == (
        "First name: remove the invisible or control characters (retype it rather than pasting it)."
    )
    assert caught.value.field == "first_name"


def test_notes_keep_line_breaks_and_passwords_keep_unusual_text() -> None:
    check_text("line one\nline two\tend", "note")
    check_text("pässwörd \u200b ✓ \x01", "password")
    for bad in ("pass\x00word", "pass\udc80word"):
        with pytest.raises(ValidationError):
            check_text(bad, "password")


def test_spaces_around_a_value_are_trimmed_not_refused() -> None:
    check_text("  Boston\n", "city")
    check_text("\tBoston", "city")


@given(ANY_TEXT)
@settings(max_examples=200)
def test_the_gate_raises_only_validation_errors(value: str) -> None:
    for name in ("first_name", "note", "password", "token"):
        try:
            check_text(value, name)
        except ValidationError as refused:
            assert value not in refused.message or not value.strip()


@given(ANY_TEXT)
@settings(max_examples=200)
def test_search_text_never_raises_and_keeps_nothing_hidden(value: str) -> None:
    cleaned = search_text(value * 20)
    assert len(cleaned) <= SEARCH_LIMIT
    check_text(cleaned.replace("\n", " "), "setting")  # nothing the gate would refuse


@given(ANY_TEXT)
@settings(max_examples=200)
def test_name_keys_are_stable(value: str) -> None:
    key = name_key(value)
    assert name_key(key) == key


@pytest.mark.parametrize(
    ("one", "other"),
    [("O’Brien", "O'Brien"), ("O’Brien", "OBrien"), ("St. John", "St John"), ("Smith/Jones", "Smith-Jones")],
)
def test_names_typed_differently_share_a_key(one: str, other: str) -> None:
    assert name_key(one) == name_key(other)


@pytest.mark.parametrize(
    "actor",
    [
        "front\x00desk",
        "front\u200bdesk",
        "\x1b[2J",
        "\u202eadmin",
        "portal",
        "PATIENT (PORTAL)",
        "a" * 65,
        "x\ny",
    ],
)
def test_actor_refusals(actor: str) -> None:
    with pytest.raises(ValidationError) as caught:
        clean_actor(actor)
    assert caught.value.field == "actor"


def test_actor_is_trimmed() -> None:
    assert clean_actor("  Dr. Kim (desk 2) ") == "Dr. Kim (desk 2)"


def test_phone_checks_are_linear() -> None:
    started = time.perf_counter()
    assert _PHONE_EXTENSION.search("1" + " " * 40_000 + "1") is None
    with pytest.raises(ValidationError) as caught:
        clean_phone("5" + " " * 40_000 + "5")
    assert time.perf_counter() - started < 1.0  # quadratic took 40 s here
    assert caught.value.message == "Phone: at most 40 characters."


def test_printable_prefix_is_short_and_visible() -> None:
    assert printable_prefix("\x1b[31m" + "x" * 100) == "?[31mxxxxxxxxxxxxxx…"


def test_international_domains() -> None:
    assert ascii_email("ana@Bücher.example") == "ana@xn--bcher-kva.example"
    assert readable_email("ana@xn--bcher-kva.example") == "ana@bücher.example"
    assert ascii_email("x@\U0010ffff") == "x@\U0010ffff"  # never raises: search calls it on anything
    assert readable_email("ana@xn--zz.example") == "ana@xn--zz.example"
    assert readable_email(None) == ""


def test_typo_and_placeholder_checks_still_work_on_ascii_domains() -> None:
    from clinic_desk.domain.email_checks import is_placeholder, suggest_email
    from clinic_desk.domain.validation import clean_email

    stored = clean_email("ana@gmäil.com")
    assert stored == "ana@xn--gmil-moa.com"
    assert suggest_email(stored) == "ana@gmail.com"
    assert suggest_email(clean_email("ana@bücher.example")) is None
    assert is_placeholder(clean_email("mrn123@noemail.invalid"))
    assert is_placeholder(clean_email("none@none.com"))


def test_one_domain_in_both_forms_is_the_same_email() -> None:
    from clinic_desk.domain.email_checks import same_email

    assert same_email("Bo@Müller.example", "bo@xn--mller-kva.example")
    assert not same_email("bo@müller.example", "bo@muller.example")
