"""Clean what staff and patients type, or say in plain words what is wrong with it.

Every function here either returns the cleaned value or raises
:class:`~clinic_desk.domain.errors.ValidationError` whose message names the
field and tells the receptionist what to fix. Nothing here touches a database.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Final

from email_validator import EmailNotValidError, validate_email

from clinic_desk.domain import codes
from clinic_desk.domain.email_checks import DEFAULT_PLACEHOLDER_DOMAIN, in_placeholder_domain
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.us_states import STATE_NAMES, US_STATES
from clinic_desk.domain.wording import day, join_words

__all__ = [
    "EARLIEST_DATE_OF_BIRTH",
    "check_password",
    "clean_date_of_birth",
    "clean_email",
    "clean_name",
    "clean_optional_text",
    "clean_patient_status",
    "clean_phone",
    "clean_sex",
    "clean_state",
    "clean_username",
    "clean_zip",
    "fold",
    "parse_date",
    "phone_digits",
]

NAME_MAX_LENGTH: Final = 100
EMAIL_MAX_LENGTH: Final = 254  # RFC 5321 path limit
EMAIL_LOCAL_MAX_LENGTH: Final = 64
USERNAME_MIN_LENGTH: Final = 4
USERNAME_MAX_LENGTH: Final = 64
PASSWORD_MIN_LENGTH: Final = 10
PASSWORD_MAX_LENGTH: Final = 256
EARLIEST_DATE_OF_BIRTH: Final = date(1900, 1, 1)

_WHITESPACE = re.compile(r"\s+")
# RFC 5322 dot-atom: what a placeholder address's local part may look like.
_DOT_ATOM = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_ZIP = re.compile(r"([0-9]{5})(?:[- ]?([0-9]{4}))?")
_USERNAME_CHARS = re.compile(r"[A-Za-z0-9._@+-]+")
_ASCII_DIGITS = frozenset("0123456789")
# "x123", "ext. 123", "extension 123", "#123" at the end of a phone number.
_PHONE_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension|#)\s*([0-9]{1,6})\s*$", re.IGNORECASE)
_PHONE_PUNCTUATION = frozenset(" ()-.+/")

_MONTHS: Final = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_DATE_TOKENS = re.compile(r"[\s,./-]+")
_ORDINAL = re.compile(r"([0-9]{1,2})(?:st|nd|rd|th)", re.IGNORECASE)

_SEXES: Final = {
    "female": "female",
    "f": "female",
    "male": "male",
    "m": "male",
    "other": "other",
    "o": "other",
    "unknown": "unknown",
    "u": "unknown",
}


# --- helpers -----------------------------------------------------------------


def _shown(value: str, limit: int = 40) -> str:
    """The typed value as it appears in a message: shortened so a pasted essay stays readable."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _field_of(label: str) -> str:
    """'First name' -> 'first_name', the form field the message is about."""
    return "_".join(label.lower().split())


def _has_control_characters(text: str, allowed: str = "") -> bool:
    """True when text holds invisible control characters (pasted from another program)."""
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text)


# --- text --------------------------------------------------------------------


def fold(text: str) -> str:
    """Return the search key of text: accents dropped, case folded, spaces collapsed."""
    # NFKD twice: casefold can produce characters that decompose further (e.g. 'İ').
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _WHITESPACE.sub(" ", bare).strip()


def _state_key(name: str) -> str:
    """'New York', 'new  york', 'U.S. Virgin Islands' -> one lookup key."""
    return fold(name.replace(".", ""))


_STATE_BY_NAME: Final = {_state_key(name): code for code, name in STATE_NAMES.items()}


def clean_name(value: str | None, label: str) -> str:
    """Return a person's name trimmed and single-spaced, or raise ValidationError naming label."""
    field = _field_of(label)
    text = _WHITESPACE.sub(" ", unicodedata.normalize("NFC", value or "")).strip()
    if not text:
        raise ValidationError(f"{label} is required.", field=field)
    if len(text) > NAME_MAX_LENGTH:
        raise ValidationError(
            f"{label} is too long ({len(text)} characters) — the limit is {NAME_MAX_LENGTH}.",
            field=field,
        )
    if _has_control_characters(text):
        raise ValidationError(
            f"{label} contains hidden control characters — retype it rather than pasting it.",
            field=field,
        )
    if not any(ch.isalpha() for ch in text):
        raise ValidationError(f"{label}: '{_shown(text)}' must contain at least one letter.", field=field)
    return text


def clean_optional_text(value: str | None, label: str, max_length: int = 200) -> str | None:
    """Return free text trimmed, None when blank, or raise ValidationError naming label."""
    field = _field_of(label)
    text = unicodedata.normalize("NFC", value or "").strip()
    if not text:
        return None
    if len(text) > max_length:
        raise ValidationError(
            f"{label} is too long ({len(text)} characters) — the limit is {max_length}.",
            field=field,
        )
    # Line breaks and tabs are fine in a note; other control characters come from bad pastes.
    if _has_control_characters(text, allowed="\n\r\t"):
        raise ValidationError(
            f"{label} contains hidden control characters — retype it rather than pasting it.",
            field=field,
        )
    return text


# --- email -------------------------------------------------------------------


def _email_hint(text: str, library_message: str) -> str:
    """The fix to suggest for a bad address, in front-desk words."""
    if "@" not in text:
        return "it needs an @ and a domain, like name@example.com."
    if text.count("@") > 1:
        return "it has more than one @."
    local, domain = text.rsplit("@", 1)
    if not local:
        return "check for a missing part before the @."
    if not domain:
        return "check for a missing part after the @."
    if any(ch.isspace() for ch in text):
        return "it must not contain spaces."
    if "." not in domain:
        return f"the part after the @ needs a dot, like {domain}.com."
    if ".." in text:
        return "it has two dots in a row."
    if text.endswith("."):
        return "it must not end with a dot."
    message = library_message.strip().rstrip(".")
    return (message[:1].lower() + message[1:] + ".") if message else "check it for typos."


def clean_email(value: str | None, placeholder_domain: str = DEFAULT_PLACEHOLDER_DOMAIN) -> str | None:
    """Return the address with its domain lower-cased, None when blank, or raise ValidationError."""
    text = (value or "").strip()
    if not text:
        return None
    if len(text) > EMAIL_MAX_LENGTH:
        raise ValidationError(
            f"Email is too long ({len(text)} characters) — the limit is {EMAIL_MAX_LENGTH}.",
            field="email",
        )
    if in_placeholder_domain(text, placeholder_domain):
        # email-validator rejects special-use domains such as .invalid, which is
        # exactly why clinics use them for "no email": check the local part ourselves.
        local, domain = text.rsplit("@", 1)
        if len(local) > EMAIL_LOCAL_MAX_LENGTH or not _DOT_ATOM.fullmatch(local):
            raise ValidationError(
                f"Email: '{_shown(text)}' is not a valid placeholder address — use letters, "
                f"digits and dots before the @, like mrn1234@{placeholder_domain.strip().lower()}.",
                field="email",
            )
        return f"{local}@{domain.strip().lower()}"
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError as error:
        raise ValidationError(
            f"Email: '{_shown(text)}' is not a valid email address — {_email_hint(text, str(error))}",
            field="email",
        ) from None
    # email-validator keeps the local part as typed and lower-cases the domain.
    return checked.normalized


# --- ZIP code, state, phone --------------------------------------------------


def clean_zip(value: str | None) -> str | None:
    """Return a US ZIP code as 12345 or 12345-6789, None when blank, or raise ValidationError."""
    text = (value or "").strip()
    if not text:
        return None
    match = _ZIP.fullmatch(text)
    if match is None:
        hint = "use 5 digits (12345) or ZIP+4 (12345-6789)."
        if text.isascii() and text.isdigit() and len(text) in (3, 4):
            # Spreadsheets drop the leading zeros of New England ZIP codes.
            hint = f"ZIP codes have 5 digits; if it starts with 0, type it in full ({text.zfill(5)})."
        raise ValidationError(f"ZIP code: '{_shown(text)}' is not a US ZIP code — {hint}", field="zip_code")
    five, four = match.groups()
    return f"{five}-{four}" if four else five


def clean_state(value: str | None) -> str | None:
    """Return a 2-letter US state or territory code upper-cased, None when blank, or raise."""
    text = (value or "").strip()
    if not text:
        return None
    code = text.upper()
    if code in US_STATES:
        return code
    by_name = _STATE_BY_NAME.get(_state_key(text))
    if by_name is not None:
        return by_name
    raise ValidationError(
        f"State: '{_shown(text)}' is not a US state or territory — use the 2-letter code, like NY or CA.",
        field="state",
    )


def phone_digits(value: str | None) -> str:
    """Return only the digits of a phone number (what search compares)."""
    return "".join(ch for ch in value or "" if ch in _ASCII_DIGITS)


def clean_phone(value: str | None) -> str | None:
    """Return a US phone number as (555) 123-4567 [x123], None when blank, or raise."""
    text = (value or "").strip()
    if not text:
        return None
    problem = (
        f"Phone: '{_shown(text)}' is not a US phone number — type 10 digits with the area "
        "code, like (555) 123-4567, and an extension as x123."
    )
    extension_match = _PHONE_EXTENSION.search(text)
    number = text[: extension_match.start()] if extension_match else text
    extension = extension_match.group(1) if extension_match else None
    if any(ch not in _ASCII_DIGITS and ch not in _PHONE_PUNCTUATION for ch in number):
        raise ValidationError(problem, field="phone")
    digits = phone_digits(number)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]  # the US country code
    if len(digits) != 10:
        raise ValidationError(problem, field="phone")
    formatted = f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return f"{formatted} x{extension}" if extension else formatted


# --- dates -------------------------------------------------------------------


def _make_date(year: int, month: int, day_of_month: int) -> date | None:
    try:
        return date(year, month, day_of_month)
    except ValueError:
        return None


def _month_number(word: str) -> int | None:
    """1-12 for 'Mar', 'march', 'Sept'; None when word is not a month."""
    word = word.lower()
    if len(word) < 3 or not word.isalpha():
        return None
    for number, name in enumerate(_MONTHS, start=1):
        if name.startswith(word):
            return number
    return None


def _month_first(month: int, day_of_month: int, year: int) -> date | None:
    """US order first; only when that cannot be a date, try day-first (14/03/1980)."""
    return _make_date(year, month, day_of_month) or (
        _make_date(year, day_of_month, month) if month > 12 else None
    )


def parse_date(text: str) -> date | None:
    """Return the date typed in one of the common US formats, or None when it is not a date."""
    text = (text or "").strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():
        if len(text) != 8:
            return None
        # YYYYMMDD cannot be misread as MMDDYYYY: a year's first two digits are never a month.
        return _make_date(int(text[:4]), int(text[4:6]), int(text[6:])) or _make_date(
            int(text[4:]), int(text[:2]), int(text[2:4])
        )
    tokens = [_ORDINAL.sub(r"\1", token) for token in _DATE_TOKENS.split(text) if token]
    if len(tokens) != 3 or not all(token.isascii() for token in tokens):
        return None
    first, second, third = tokens
    if all(token.isdigit() for token in tokens):
        if len(first) == 4 and len(second) <= 2 and len(third) <= 2:
            return _make_date(int(first), int(second), int(third))
        if len(first) <= 2 and len(second) <= 2 and len(third) == 4:
            return _month_first(int(first), int(second), int(third))
        return None
    if len(third) != 4 or not third.isdigit():
        return None
    # "Mar 14 1980" / "March 14, 1980" or "14 Mar 1980".
    month = _month_number(first)
    if month is not None and second.isdigit() and len(second) <= 2:
        return _make_date(int(third), month, int(second))
    month = _month_number(second)
    if month is not None and first.isdigit() and len(first) <= 2:
        return _make_date(int(third), month, int(first))
    return None


def _read_date_of_birth(value: str | None) -> date:
    """Parse a typed date of birth, or say how to type it."""
    text = (value or "").strip()
    if not text:
        raise ValidationError("Date of birth is required.", field="date_of_birth")
    born = parse_date(text)
    if born is None:
        hint = "type it like 03/14/1980."
        if re.fullmatch(r"[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2}", text):
            hint = "type the year with all four digits, like 03/14/1980."
        raise ValidationError(
            f"Date of birth: '{_shown(text)}' is not a date we can read — {hint}",
            field="date_of_birth",
        )
    return born


def clean_date_of_birth(value: date | str, today: date) -> date:
    """Return the date of birth as a date, or raise ValidationError if unreadable or impossible."""
    if isinstance(value, datetime):
        born = value.date()  # a datetime is a date too, but the chart stores the day only
    elif isinstance(value, date):
        born = value
    else:
        born = _read_date_of_birth(value)
    if born > today:
        raise ValidationError(
            f"Date of birth: {day(born)} is in the future — check the year.",
            field="date_of_birth",
        )
    if born < EARLIEST_DATE_OF_BIRTH:
        raise ValidationError(
            f"Date of birth: {day(born)} is before 1900 — check the year.",
            field="date_of_birth",
        )
    return born


# --- portal account ----------------------------------------------------------


def clean_username(value: str | None) -> str:
    """Return the portal username trimmed, or raise ValidationError saying what to change."""
    text = (value or "").strip()
    if not text:
        raise ValidationError("Username is required.", field="username")
    if len(text) < USERNAME_MIN_LENGTH:
        raise ValidationError(
            f"Username: '{text}' is too short — use at least {USERNAME_MIN_LENGTH} characters.",
            field="username",
        )
    if len(text) > USERNAME_MAX_LENGTH:
        raise ValidationError(
            f"Username is too long ({len(text)} characters) — the limit is {USERNAME_MAX_LENGTH}.",
            field="username",
        )
    if not _USERNAME_CHARS.fullmatch(text):
        bad = sorted(
            {"a space" if ch.isspace() else f"'{ch}'" for ch in text if not _USERNAME_CHARS.fullmatch(ch)}
        )
        raise ValidationError(
            f"Username: '{_shown(text)}' can only contain letters, digits and . _ - @ + "
            f"(it has {join_words(bad)}).",
            field="username",
        )
    if not text[0].isalnum():
        raise ValidationError(
            f"Username: '{_shown(text)}' must start with a letter or digit.", field="username"
        )
    return text


def check_password(password: str | None, username: str | None) -> None:
    """Raise ValidationError when the password is too weak; the message never repeats it."""
    if not password:
        raise ValidationError("Password is required.", field="password")
    if not password.strip():
        raise ValidationError("Password cannot be only spaces.", field="password")
    if len(password) < PASSWORD_MIN_LENGTH:
        raise ValidationError(
            f"Password is too short — use at least {PASSWORD_MIN_LENGTH} characters.",
            field="password",
        )
    if len(password) > PASSWORD_MAX_LENGTH:
        raise ValidationError(
            f"Password is too long — the limit is {PASSWORD_MAX_LENGTH} characters.",
            field="password",
        )
    name = (username or "").strip().casefold()
    if name and password.casefold() == name:
        raise ValidationError("Password must not be the same as the username.", field="password")
    if len(name) >= USERNAME_MIN_LENGTH and name in password.casefold():
        raise ValidationError("Password must not contain the username.", field="password")


# --- chart codes -------------------------------------------------------------


def clean_patient_status(value: str) -> str:
    """Return the patient status lower-cased, or raise ValidationError listing the allowed ones."""
    text = (value or "").strip().lower()
    if text in codes.PATIENT_STATUSES:
        return text
    allowed = ", ".join(codes.PATIENT_STATUSES[:-1]) + " or " + codes.PATIENT_STATUSES[-1]
    raise ValidationError(
        f"Patient status: '{_shown((value or '').strip())}' is not a patient status — use {allowed}.",
        field="patient_status",
    )


def clean_sex(value: str | None) -> str | None:
    """Return female, male, other or unknown (F/M/O/U accepted), None when blank, or raise."""
    text = (value or "").strip()
    if not text:
        return None
    sex = _SEXES.get(text.lower())
    if sex is None:
        raise ValidationError(
            f"Sex: '{_shown(text)}' is not one of female, male, other or unknown (F, M, O or U).",
            field="sex",
        )
    return sex
