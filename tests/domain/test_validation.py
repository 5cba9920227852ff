"""Input cleaning: what the front desk types, and the words it gets back when it is wrong."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_desk.domain import codes
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.validation import (
    check_password,
    clean_date_of_birth,
    clean_email,
    clean_name,
    clean_optional_text,
    clean_patient_status,
    clean_phone,
    clean_sex,
    clean_state,
    clean_username,
    clean_zip,
    fold,
    parse_date,
    phone_digits,
)

TODAY = date(2026, 11, 3)


def rejected(call: object, *args: object, **kwargs: object) -> ValidationError:
    """Run call, insist it raises ValidationError, and hand the error back for inspection."""
    assert callable(call)
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return caught.value


# --- fold --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("José  Núñez", "jose nunez"),
        ("  MARIA\tLópez \n", "maria lopez"),
        ("Zoë Ångström", "zoe angstrom"),
        ("Straße", "strasse"),
        ("İlkay", "ilkay"),
        ("Ｍａｒｉａ", "maria"),  # full-width letters pasted from another program
        ("O'Brien-Smith", "o'brien-smith"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_fold_makes_a_search_key(typed: str, key: str) -> None:
    assert fold(typed) == key


@given(st.text())
def test_fold_is_stable(text: str) -> None:
    once = fold(text)
    assert fold(once) == once
    assert once == once.strip()
    assert "  " not in once


# --- names and free text -----------------------------------------------------


def test_clean_name_trims_and_single_spaces() -> None:
    assert clean_name("  Mary   Ann  ", "First name") == "Mary Ann"
    assert clean_name("O'Brien-Smith", "Last name") == "O'Brien-Smith"
    assert clean_name("José", "First name") == "José"


def test_clean_name_composes_accents_so_the_same_name_is_stored_once() -> None:
    decomposed = "Jose\u0301"
    assert clean_name(decomposed, "First name") == "José"


@pytest.mark.parametrize("blank", [None, "", "   ", "\t\n"])
def test_clean_name_requires_a_value(blank: str | None) -> None:
    error = rejected(clean_name, blank, "First name")
    assert error.field == "first_name"
    assert str(error) == "First name is required."


def test_clean_name_needs_a_letter() -> None:
    error = rejected(clean_name, "12345", "Last name")
    assert error.field == "last_name"
    assert error.message.startswith("Last name:")
    assert "'12345'" in error.message
    assert "letter" in error.message


def test_clean_name_limit_is_100_characters() -> None:
    assert clean_name("a" * 100, "First name") == "a" * 100
    error = rejected(clean_name, "a" * 101, "Preferred name")
    assert error.field == "preferred_name"
    assert error.message == "Preferred name: at most 100 characters."


def test_clean_name_rejects_hidden_control_characters() -> None:
    error = rejected(clean_name, "Ma\x00ria", "First name")
    assert error.field == "first_name"
    assert "control characters" in error.message


def test_clean_optional_text_blank_is_none() -> None:
    assert clean_optional_text(None, "City") is None
    assert clean_optional_text("   ", "City") is None
    assert clean_optional_text("  Boston ", "City") == "Boston"


def test_clean_optional_text_keeps_line_breaks_in_notes() -> None:
    note = "Patient asked us to\nturn access off."
    assert clean_optional_text(note, "Note", max_length=500) == note


def test_clean_optional_text_length_limit() -> None:
    assert clean_optional_text("x" * 200, "Address line 1") == "x" * 200
    error = rejected(clean_optional_text, "x" * 201, "Address line 1")
    assert error.field == "address_line_1"
    assert error.message == "Address line 1: at most 200 characters."
    error = rejected(clean_optional_text, "x" * 11, "City", max_length=10)
    assert error.message == "City: at most 10 characters."


def test_clean_optional_text_rejects_control_characters() -> None:
    error = rejected(clean_optional_text, "Main\x07 St", "Address line 1")
    assert error.field == "address_line_1"


# --- email -------------------------------------------------------------------


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_clean_email_blank_is_none(blank: str | None) -> None:
    assert clean_email(blank) is None


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("jo@example.com", "jo@example.com"),
        ("  jo@example.com  ", "jo@example.com"),
        ("Jo.Smith@Gmail.COM", "Jo.Smith@gmail.com"),  # local part kept as typed
        ("maria+portal@Example.ORG", "maria+portal@example.org"),
        ("jo@gmail.con", "jo@gmail.con"),  # a typo, but a valid address: a trouble spot, not an error
    ],
)
def test_clean_email_normalises_the_domain_only(typed: str, stored: str) -> None:
    assert clean_email(typed) == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("mrn1234@noemail.invalid", "mrn1234@noemail.invalid"),
        ("MRN1234@NoEmail.Invalid", "MRN1234@noemail.invalid"),
        ("no.email.lopez@noemail.invalid", "no.email.lopez@noemail.invalid"),
    ],
)
def test_clean_email_accepts_placeholder_addresses(typed: str, stored: str) -> None:
    assert clean_email(typed) == stored


def test_clean_email_placeholder_domain_is_configurable() -> None:
    assert clean_email("mrn9@none.clinic.test", placeholder_domain="none.clinic.test") == (
        "mrn9@none.clinic.test"
    )
    # Without telling it, a .invalid address that is not the clinic's placeholder is refused.
    error = rejected(clean_email, "mrn9@other.invalid")
    assert error.field == "email"


@pytest.mark.parametrize("local", ["bad one", ".dot", "dot.", "two..dots", "x" * 65, ""])
def test_clean_email_checks_placeholder_local_part(local: str) -> None:
    error = rejected(clean_email, f"{local}@noemail.invalid")
    assert error.field == "email"
    assert error.message.startswith("Email:")


def test_clean_email_message_names_field_and_the_fix() -> None:
    error = rejected(clean_email, "jo@")
    assert error.field == "email"
    assert error.message == (
        "Email: 'jo@' is not a valid email address — check for a missing part after the @."
    )


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("jo", "needs an @"),
        ("@example.com", "missing part before the @"),
        ("jo@@example.com", "more than one @"),
        ("jo smith@example.com", "spaces"),
        ("jo@example", "needs a dot"),
        ("jo..smith@example.com", "two dots"),
        ("jo@example.com.", "end with a dot"),
        ("jo@-example.com", "hyphen"),
    ],
)
def test_clean_email_explains_what_is_wrong(typed: str, hint: str) -> None:
    error = rejected(clean_email, typed)
    assert error.field == "email"
    assert error.message.startswith(f"Email: '{typed}' is not a valid email address — ")
    assert hint in error.message


def test_clean_email_limit_is_254_characters() -> None:
    too_long = "a" * 60 + "@" + ("b" * 60 + ".") * 4 + "com"
    assert len(too_long) > 254
    error = rejected(clean_email, too_long)
    assert error.field == "email"
    assert error.message == "Email: at most 254 characters."
    # The message does not echo a pasted wall of text.
    assert too_long not in error.message


# --- ZIP code ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("02134", "02134"),
        (" 90210 ", "90210"),
        ("12345-6789", "12345-6789"),
        ("123456789", "12345-6789"),
        ("12345 6789", "12345-6789"),
    ],
)
def test_clean_zip_accepts_zip_and_zip_plus_4(typed: str, stored: str) -> None:
    assert clean_zip(typed) == stored


@pytest.mark.parametrize("blank", [None, "", "  "])
def test_clean_zip_blank_is_none(blank: str | None) -> None:
    assert clean_zip(blank) is None


@pytest.mark.parametrize(
    "typed", ["1234", "123456", "12345-", "12345-678", "ABCDE", "K1A 0B1", "12345--6789", "１２３４５"]
)
def test_clean_zip_rejects_anything_else(typed: str) -> None:
    error = rejected(clean_zip, typed)
    assert error.field == "zip_code"
    assert error.message.startswith(f"ZIP code: '{typed}' is not a US ZIP code")


def test_clean_zip_hints_at_a_dropped_leading_zero() -> None:
    error = rejected(clean_zip, "2134")
    assert "02134" in error.message


# --- state -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ny", "NY"),
        (" Ca ", "CA"),
        ("DC", "DC"),
        ("pr", "PR"),
        ("New York", "NY"),
        ("massachusetts", "MA"),
        ("U.S. Virgin Islands", "VI"),
    ],
)
def test_clean_state_returns_the_code(typed: str, stored: str) -> None:
    assert clean_state(typed) == stored


def test_clean_state_blank_is_none() -> None:
    assert clean_state(None) is None
    assert clean_state("  ") is None


@pytest.mark.parametrize("typed", ["XX", "N", "NYC", "Ontario", "ON"])
def test_clean_state_rejects_unknown(typed: str) -> None:
    error = rejected(clean_state, typed)
    assert error.field == "state"
    assert error.message.startswith(f"State: '{typed}'")
    assert "2-letter" in error.message


# --- phone -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("5551234567", "(555) 123-4567"),
        ("555-123-4567", "(555) 123-4567"),
        ("(555) 123-4567", "(555) 123-4567"),
        ("555.123.4567", "(555) 123-4567"),
        ("1 555 123 4567", "(555) 123-4567"),
        ("+1 (555) 123-4567", "(555) 123-4567"),
        ("15551234567", "(555) 123-4567"),
        ("555-123-4567 x123", "(555) 123-4567 x123"),
        ("555-123-4567x9", "(555) 123-4567 x9"),
        ("555-123-4567 ext. 42", "(555) 123-4567 x42"),
        ("555 123 4567 EXT 42", "(555) 123-4567 x42"),
    ],
)
def test_clean_phone_formats_us_numbers(typed: str, stored: str) -> None:
    assert clean_phone(typed) == stored


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_clean_phone_blank_is_none(blank: str | None) -> None:
    assert clean_phone(blank) is None


@pytest.mark.parametrize(
    "typed",
    ["555-1234", "25551234567", "+44 20 7946 0958", "555-CALL-NOW", "555123456789", "x123", "call me"],
)
def test_clean_phone_rejects_anything_else(typed: str) -> None:
    error = rejected(clean_phone, typed)
    assert error.field == "phone"
    assert error.message.startswith(f"Phone: '{typed}' is not a US phone number")
    assert "(555) 123-4567" in error.message


def test_phone_digits() -> None:
    assert phone_digits("(555) 123-4567") == "5551234567"
    assert phone_digits("+1 555.123.4567 x12") == "1555123456712"
    assert phone_digits(None) == ""
    assert phone_digits("no digits") == ""
    assert phone_digits("٥٥٥") == ""  # only the ASCII digits that search stores


@given(st.from_regex(r"[2-9][0-9]{2}[2-9][0-9]{6}", fullmatch=True))
def test_clean_phone_round_trips(digits: str) -> None:
    formatted = clean_phone(digits)
    assert formatted is not None
    assert phone_digits(formatted) == digits
    assert clean_phone(formatted) == formatted


# --- dates -------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "1980-03-14",
        "03/14/1980",
        "3/14/1980",
        "03-14-1980",
        "03.14.1980",
        "19800314",
        "03141980",
        "14 Mar 1980",
        "Mar 14 1980",
        "March 14, 1980",
        "march 14 1980",
        "Mar. 14, 1980",
        "14-Mar-1980",
        "March 14th, 1980",
        "  3/14/1980  ",
        "1980/03/14",
    ],
)
def test_parse_date_common_formats(typed: str) -> None:
    assert parse_date(typed) == date(1980, 3, 14)


def test_parse_date_is_month_first_when_ambiguous() -> None:
    assert parse_date("04/05/1980") == date(1980, 4, 5)
    assert parse_date("04051980") == date(1980, 4, 5)


def test_parse_date_reads_day_first_only_when_month_first_is_impossible() -> None:
    assert parse_date("14/03/1980") == date(1980, 3, 14)


def test_parse_date_eight_digits() -> None:
    assert parse_date("20010911") == date(2001, 9, 11)
    assert parse_date("09112001") == date(2001, 9, 11)
    assert parse_date("12122012") == date(2012, 12, 12)


def test_parse_date_month_names() -> None:
    assert parse_date("Sept 3 1999") == date(1999, 9, 3)
    assert parse_date("3 September 1999") == date(1999, 9, 3)
    assert parse_date("Dec 31, 1999") == date(1999, 12, 31)
    assert parse_date("May 1 2000") == date(2000, 5, 1)


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "abc",
        "13/13/1980",
        "02/30/1980",
        "02/29/1981",
        "3/14/80",
        "Mar 1980",
        "Ma 14 1980",
        "Smarch 14 1980",
        "1980-13-01",
        "1234567",
        "123456789",
        "19801301",
        "1/2/3/4",
        "2026-11-03T10:00",
        "١٩٨٠-٠٣-١٤",
    ],
)
def test_parse_date_returns_none_for_non_dates(typed: str) -> None:
    assert parse_date(typed) is None


def test_parse_date_knows_leap_years() -> None:
    assert parse_date("02/29/2000") == date(2000, 2, 29)
    assert parse_date("02/29/1900") is None


@given(st.text(max_size=30))
def test_parse_date_never_raises(text: str) -> None:
    result = parse_date(text)
    assert result is None or isinstance(result, date)


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_parse_date_round_trips_us_and_iso_text(born: date) -> None:
    assert parse_date(born.isoformat()) == born
    assert parse_date(f"{born.month:02d}/{born.day:02d}/{born.year}") == born
    assert parse_date(f"{born:%b} {born.day}, {born.year}") == born


def test_clean_date_of_birth_accepts_dates_and_text() -> None:
    assert clean_date_of_birth(date(1980, 3, 14), TODAY) == date(1980, 3, 14)
    assert clean_date_of_birth("03/14/1980", TODAY) == date(1980, 3, 14)
    assert clean_date_of_birth(datetime(1980, 3, 14, 9, 30), TODAY) == date(1980, 3, 14)
    assert type(clean_date_of_birth(datetime(1980, 3, 14, 9, 30), TODAY)) is date


def test_clean_date_of_birth_edges() -> None:
    assert clean_date_of_birth(TODAY, TODAY) == TODAY  # a newborn registered today
    assert clean_date_of_birth(date(1900, 1, 1), TODAY) == date(1900, 1, 1)


def test_clean_date_of_birth_not_in_the_future() -> None:
    error = rejected(clean_date_of_birth, date(2026, 11, 4), TODAY)
    assert error.field == "date_of_birth"
    assert error.message == "Date of birth: Nov 4, 2026 is in the future — check the year."


def test_clean_date_of_birth_not_before_1900() -> None:
    error = rejected(clean_date_of_birth, "12/31/1899", TODAY)
    assert error.field == "date_of_birth"
    assert "before 1900" in error.message
    assert error.message.startswith("Date of birth:")


def test_clean_date_of_birth_unreadable_text() -> None:
    error = rejected(clean_date_of_birth, "the 14th", TODAY)
    assert error.field == "date_of_birth"
    assert error.message.startswith("Date of birth: 'the 14th' is not a date we can read")
    assert "03/14/1980" in error.message


def test_clean_date_of_birth_asks_for_four_digit_years() -> None:
    error = rejected(clean_date_of_birth, "3/14/80", TODAY)
    assert "four digits" in error.message


@pytest.mark.parametrize("blank", ["", "   "])
def test_clean_date_of_birth_is_required(blank: str) -> None:
    error = rejected(clean_date_of_birth, blank, TODAY)
    assert error.field == "date_of_birth"
    assert error.message == "Date of birth is required."


# --- username and password -----------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["jlopez", "maria.lopez@gmail.com", "m_lopez-1980", "1980mlopez", "a+b@c.d", "abcd", "a" * 64],
)
def test_clean_username_accepts(typed: str) -> None:
    assert clean_username(typed) == typed


def test_clean_username_trims() -> None:
    assert clean_username("  jlopez  ") == "jlopez"


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_clean_username_required(blank: str | None) -> None:
    error = rejected(clean_username, blank)
    assert error.field == "username"
    assert error.message == "Username is required."


def test_clean_username_length() -> None:
    error = rejected(clean_username, "abc")
    assert error.field == "username"
    assert "at least 4" in error.message
    error = rejected(clean_username, "a" * 65)
    assert error.field == "username"
    assert error.message == "Username: at most 64 characters."


@pytest.mark.parametrize(
    ("typed", "culprit"), [("jo smith", "a space"), ("jo#lopez!", "'#'"), ("josé1", "'é'")]
)
def test_clean_username_allowed_characters(typed: str, culprit: str) -> None:
    error = rejected(clean_username, typed)
    assert error.field == "username"
    assert error.message.startswith(f"Username: '{typed}' can only contain letters, digits")
    assert culprit in error.message


@pytest.mark.parametrize("typed", ["_jlopez", ".jlopez", "@jlopez", "-jlopez", "+jlopez"])
def test_clean_username_starts_with_letter_or_digit(typed: str) -> None:
    error = rejected(clean_username, typed)
    assert error.field == "username"
    assert "must start with a letter or digit" in error.message


def test_check_password_accepts_a_good_one() -> None:
    check_password("correct horse battery", "jlopez")
    check_password("x" * 256, None)
    check_password("abcdefghij", "")
    check_password("jlo-and-more-words", "jlo")  # usernames under 4 characters are not searched for


@pytest.mark.parametrize(
    ("password", "username", "words"),
    [
        (None, "jlopez", "Password is required."),
        ("", "jlopez", "Password is required."),
        ("            ", "jlopez", "Password cannot be only spaces."),
        ("short", "jlopez", "Password is too short — use at least 10 characters."),
        ("123456789", "jlopez", "Password is too short — use at least 10 characters."),
        ("x" * 257, "jlopez", "Password is too long — the limit is 256 characters."),
        ("maria.lopez@gmail.com", "Maria.Lopez@Gmail.com", "Password must not be the same as the username."),
        ("MyJLopezPassword1", "jlopez", "Password must not contain the username."),
        ("jlopez2026!!", " JLOPEZ ", "Password must not contain the username."),
    ],
)
def test_check_password_rejects(password: str | None, username: str | None, words: str) -> None:
    error = rejected(check_password, password, username)
    assert error.field == "password"
    assert error.message == words


@pytest.mark.parametrize(
    ("password", "username"),
    [
        ("hunter2", "jlopez"),
        ("   pad   ", "jlopez"),
        ("JLopez-is-me-99", "jlopez"),
        ("jlopez", "jlopez"),
        ("y" * 300, "jlopez"),
    ],
)
def test_check_password_never_repeats_the_password(password: str, username: str) -> None:
    error = rejected(check_password, password, username)
    assert password not in error.message
    assert password.strip() not in error.message.replace("username", "")


# --- chart codes -------------------------------------------------------------


@pytest.mark.parametrize("status", codes.PATIENT_STATUSES)
def test_clean_patient_status_accepts_every_status(status: str) -> None:
    assert clean_patient_status(status) == status
    assert clean_patient_status(f"  {status.upper()} ") == status


def test_clean_patient_status_lists_the_allowed_ones() -> None:
    error = rejected(clean_patient_status, "gone")
    assert error.field == "patient_status"
    assert error.message.startswith("Patient status: 'gone'")
    for status in codes.PATIENT_STATUSES:
        assert status in error.message


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("female", "female"),
        ("F", "female"),
        ("Male", "male"),
        ("m", "male"),
        ("O", "other"),
        ("other", "other"),
        ("u", "unknown"),
        (" UNKNOWN ", "unknown"),
        (None, None),
        ("", None),
        ("  ", None),
    ],
)
def test_clean_sex(typed: str | None, stored: str | None) -> None:
    assert clean_sex(typed) == stored


@pytest.mark.parametrize("typed", ["x", "woman", "fem"])
def test_clean_sex_rejects(typed: str) -> None:
    error = rejected(clean_sex, typed)
    assert error.field == "sex"
    assert error.message.startswith(f"Sex: '{typed}'")
    for word in ("female", "male", "other", "unknown"):
        assert word in error.message


# --- every message -----------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "args", "label"),
    [
        (clean_name, ("", "First name"), "First name"),
        (clean_optional_text, ("x" * 300, "City"), "City"),
        (clean_email, ("jo@",), "Email"),
        (clean_zip, ("1",), "ZIP code"),
        (clean_state, ("ZZ",), "State"),
        (clean_phone, ("1",), "Phone"),
        (clean_date_of_birth, ("nope", TODAY), "Date of birth"),
        (clean_username, ("a",), "Username"),
        (check_password, ("a", "jlopez"), "Password"),
        (clean_patient_status, ("x",), "Patient status"),
        (clean_sex, ("x",), "Sex"),
    ],
)
def test_every_message_starts_with_the_field_label(
    call: object, args: tuple[object, ...], label: str
) -> None:
    error = rejected(call, *args)
    assert error.message.startswith(label)
    assert error.field
    assert error.message.endswith(".")
