"""The activation letter's words: both languages, the code in two groups, the expiry written out."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from clinic_desk.domain.activation_codes import LANGUAGES
from clinic_desk.domain.activation_letter import (
    LETTER_LANGUAGES,
    expiry_day,
    grouped_code,
    letter_file_name,
    letter_language,
    letter_words,
    long_date,
)

URL = "https://portal.example.org/activate"


def words_for(language: str | None, **extra: object):
    values: dict = {
        "clinic_name": "Harbor Family Clinic",
        "patient_name": "Ana  Diaz",
        "code": "ABCDEFGH",
        "expires_on": date(2026, 12, 27),
        "activate_url": URL,
        "language": language,
        "printed_on": date(2026, 11, 27),
    }
    values.update(extra)
    return letter_words(**values)


def test_the_english_letter_says_the_three_steps_the_code_and_the_expiry():
    words = words_for("en")
    assert words.language == "en"
    assert words.greeting == "Dear Ana Diaz,"
    assert words.code == "ABCD-EFGH"
    assert words.expiry == "It works once, until December 27, 2026."
    assert words.printed_on == "Printed on November 27, 2026"
    assert words.steps[0] == f"Go to {URL} or scan the code with your phone's camera."
    assert words.steps[1] == "Enter this activation code and your date of birth."
    assert words.steps[2] == "Choose your username and password."
    assert "Harbor Family Clinic" in words.paragraph and "Harbor Family Clinic" in words.help_line
    assert words.address == URL


def test_the_spanish_letter_says_the_same_in_spanish():
    words = words_for("es")
    assert words.language == "es"
    assert words.greeting == "Estimado(a) Ana Diaz:"
    assert words.expiry == "Sirve una sola vez, hasta el 27 de diciembre de 2026."
    assert words.printed_on == "Impreso el 27 de noviembre de 2026"
    assert words.steps[0].startswith(f"Vaya a {URL}")
    assert "fecha de nacimiento" in words.steps[1]
    assert "contraseña" in words.steps[2]
    assert words.code == "ABCD-EFGH"
    assert "Harbor Family Clinic" in words.help_line


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("es", "es"), ("es-MX", "es"), ("ES_us", "es"), ("en-US", "en"), ("fr", "en"), ("", "en"), (None, "en")],
)
def test_a_charts_language_tag_picks_spanish_or_else_english(tag, expected):
    assert letter_language(tag) == expected


def test_every_language_has_every_month_and_no_empty_words():
    assert LETTER_LANGUAGES == LANGUAGES  # each language the services issue codes in has its letter
    for language in LETTER_LANGUAGES:
        for month in range(1, 13):
            assert long_date(date(2026, month, 1), language)
        words = words_for(language)
        assert all(str(value).strip() for value in vars(words).values())


@pytest.mark.parametrize(
    ("code", "shown"),
    [("ABCDEFGH", "ABCD-EFGH"), ("abcd-efgh", "ABCD-EFGH"), ("AB CD EF GH", "ABCD-EFGH"), ("ABC", "ABC")],
)
def test_the_code_is_shown_in_two_groups(code, shown):
    assert grouped_code(code) == shown


def test_the_expiry_day_is_on_this_computers_calendar():
    moment = datetime(2026, 12, 27, 12, 0, tzinfo=UTC)
    assert expiry_day(moment) == moment.astimezone().date()
    late = datetime(2026, 12, 27, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert expiry_day(late) == late.astimezone().date()


def test_a_blank_clinic_name_still_reads():
    assert "the clinic" in words_for("en", clinic_name=" ").help_line
    assert "la clínica" in words_for("es", clinic_name="").help_line


def test_a_saved_letter_is_named_for_what_it_holds():
    assert letter_file_name("Ana Díaz", date(2026, 11, 27)) == "Activation letter - Ana Díaz - 2026-11-27.pdf"
    assert "/" not in letter_file_name("A/B\\C", date(2026, 11, 27))
    assert letter_file_name("", date(2026, 11, 27)).startswith("Activation letter - patient")
