"""The helpers the panel offers staff: usernames, temporary passwords, placeholder emails."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_desk.domain.troubleshooting import (
    generate_temporary_password,
    generate_username,
    placeholder_email_for,
)
from clinic_desk.domain.validation import check_password, clean_email, clean_username

# --- helpers for the panel ----------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("Ana", "Lopez", "ana.lopez"),
        ("José", "Núñez", "jose.nunez"),
        ("Mary Ann", "O'Brien-Smith", "maryann.obriensmith"),
        ("Søren", "Łukasz", "soren.lukasz"),
        ("Al", "Li", "al.li"),
        ("A", "B", "a.b1"),
        ("李", "Ng", "ng01"),
        ("李", "王", "patient"),
        ("", "", "patient"),
    ],
)
def test_generate_username(first: str, last: str, expected: str) -> None:
    username = generate_username(first, last)
    assert username == expected
    assert clean_username(username) == username


def test_generate_username_skips_taken_ones() -> None:
    taken = {"ana.lopez", "ana.lopez2"}
    assert generate_username("Ana", "Lopez", taken.__contains__) == "ana.lopez3"
    assert generate_username("A", "B", {"a.b1"}.__contains__) == "a.b2"
    with pytest.raises(ValueError):
        generate_username("Ana", "Lopez", lambda _: True)


def test_generate_username_keeps_long_names_within_the_limit() -> None:
    username = generate_username("A" * 80, "B" * 80, {"x"}.__contains__)
    assert clean_username(username) == username
    assert generate_username("A" * 80, "B" * 80, lambda name: name == username).endswith("2")


@settings(max_examples=200, deadline=None)
@given(first=st.text(max_size=40), last=st.text(max_size=40))
def test_generated_usernames_are_always_valid(first: str, last: str) -> None:
    username = generate_username(first, last)
    assert clean_username(username) == username


def test_generate_temporary_password() -> None:
    passwords = {generate_temporary_password("maria.lopez") for _ in range(50)}
    assert len(passwords) == 50
    for password in passwords:
        check_password(password, "maria.lopez")
        assert len(password) == 14 and password.count("-") == 2
        assert not set(password) & set("01ilo")  # nothing that reads like another character


def test_placeholder_email_for() -> None:
    assert placeholder_email_for("1042", "noemail.invalid") == "mrn1042@noemail.invalid"
    assert placeholder_email_for("MRN0007", "NoEmail.Invalid") == "mrn0007@noemail.invalid"
    assert placeholder_email_for("", "noemail.invalid", 12) == "patient12@noemail.invalid"
    assert placeholder_email_for("A-12/3", "x.invalid") == "mrna123@x.invalid"
    for address in ("mrn1042@noemail.invalid", "patient12@noemail.invalid"):
        assert clean_email(address) == address
