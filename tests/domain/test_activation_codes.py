"""Activation codes as typed and printed: the alphabet, forgiving typing, the letter's language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clinic_desk.domain.activation_codes import (
    ALPHABET,
    CODE_LENGTH,
    ActivationCode,
    letter_language,
    new_code,
    normalise_code,
)
from clinic_desk.domain.portal_sessions import PortalSession


def test_the_alphabet_leaves_out_what_people_confuse() -> None:
    assert len(ALPHABET) == len(set(ALPHABET)) == 31
    assert not set("0O1IL") & set(ALPHABET)


def test_new_codes_use_only_the_alphabet_and_differ() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code) == CODE_LENGTH and set(code) <= set(ALPHABET) for code in codes)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ABCDEFGH", "ABCDEFGH"),
        ("abcd-efgh", "ABCDEFGH"),
        (" abcd efgh ", "ABCDEFGH"),
        ("AB-CD EF-GH", "ABCDEFGH"),
        ("abcd\u00a0efgh", "ABCDEFGH"),
        ("2345-6789", "23456789"),
    ],
)
def test_case_spaces_and_dashes_are_forgiven(typed: str, stored: str) -> None:
    assert normalise_code(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["", "ABCDEFG", "ABCDEFGHJ", "ABCDEFG0", "ABCDEFGO", "ABCDEFG1", "ABCDEFGI", "ABCDEFGL",
     "ABCD_EFGH", "ÄBCDEFGH", "A" * 10_000, "ABCD\x00EFGH", None, 12345678, b"ABCDEFGH"],
)  # fmt: skip
def test_anything_else_is_no_code(typed: object) -> None:
    assert normalise_code(typed) is None


@pytest.mark.parametrize(
    ("tag", "language"),
    [("en", "en"), ("es", "es"), ("es-MX", "es"), ("ES_us", "es"), ("en-US", "en"), ("fr", "en"), ("", "en"),
     (None, "en")],
)  # fmt: skip
def test_the_letter_speaks_english_or_spanish(tag: str | None, language: str) -> None:
    assert letter_language(tag) == language


def test_the_code_and_the_session_secret_never_show_in_a_repr() -> None:
    issued = ActivationCode(
        "KQ7MX4PD", datetime(2026, 12, 27, tzinfo=UTC), 1, "Ana Diaz", "en", "Clinic", "u"
    )
    session = PortalSession(1, "ana.diaz", "Ana", False, "s3cr3t-session-token")
    assert "KQ7MX4PD" not in repr(issued) and "KQ7MX4PD" not in str(issued)
    assert "s3cr3t-session-token" not in repr(session)
