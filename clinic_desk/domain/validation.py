"""Clean what staff and patients type, or say in plain words what is wrong with it.

Every function here either returns the cleaned value or raises
:class:`~clinic_desk.domain.errors.ValidationError` whose message names the
field and tells the receptionist what to fix. Nothing here touches a database.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from email_validator import EmailNotValidError, validate_email

from clinic_desk.domain import codes
from clinic_desk.domain.email_checks import DEFAULT_PLACEHOLDER_DOMAIN, in_placeholder_domain
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.text_rules import check_text, shown
from clinic_desk.domain.typed_dates import EARLIEST_DATE_OF_BIRTH, clean_date_of_birth, parse_date
from clinic_desk.domain.us_states import STATE_NAMES, US_STATES
from clinic_desk.domain.wording import join_words

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
# Staff usernames are often initials or a first name ("al", "amy"): the password carries the security.
STAFF_USERNAME_MIN_LENGTH: Final = 2
PASSWORD_MAX_LENGTH: Final = 256

_WHITESPACE = re.compile(r"\s+")
# RFC 5322 dot-atom: what a placeholder address's local part may look like.
_DOT_ATOM = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_ZIP = re.compile(r"([0-9]{5})(?:[- ]?([0-9]{4}))?")
_USERNAME_CHARS = re.compile(r"[A-Za-z0-9._@+-]+")
_ASCII_DIGITS = frozenset("0123456789")
_NOT_ASCII_DIGITS = re.compile(r"[^0-9]")
# "x123", "ext. 123", "extension 123", "#123" at the end of a phone number.
# (?<!\s): a match starts only where a run of spaces starts, so the search stays linear.
_PHONE_EXTENSION = re.compile(r"(?<!\s)\s*(?:x|ext\.?|extension|#)\s*([0-9]{1,6})\s*$", re.IGNORECASE)
_PHONE_PUNCTUATION = frozenset(" ()-.+/")

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


def _field_of(label: str) -> str:
    """'First name' -> 'first_name', the form field the message is about."""
    return "_".join(label.lower().split())


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
    check_text(value, field, label)
    text = _WHITESPACE.sub(" ", unicodedata.normalize("NFC", value or "")).strip()
    if not text:
        raise ValidationError(f"{label} is required.", field=field)
    if len(text) > NAME_MAX_LENGTH:
        raise ValidationError(f"{label}: at most {NAME_MAX_LENGTH} characters.", field=field)
    if not any(ch.isalpha() for ch in text):
        raise ValidationError(f"{label}: '{shown(text)}' must contain at least one letter.", field=field)
    return text


def clean_optional_text(value: str | None, label: str, max_length: int = 200) -> str | None:
    """Return free text trimmed, None when blank, or raise ValidationError naming label."""
    field = _field_of(label)
    if len(value or "") > max_length:  # before anything else looks at a pasted essay
        raise ValidationError(f"{label}: at most {max_length} characters.", field=field)
    # Line breaks and tabs are fine in a note (the gate's rule for notes); other hidden
    # characters come from bad pastes.
    check_text(value, field, label)
    text = unicodedata.normalize("NFC", value or "").strip()
    if not text:
        return None
    if len(text) > max_length:
        raise ValidationError(f"{label}: at most {max_length} characters.", field=field)
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
        return "the part after the @ needs a dot, like example.com."  # never the typo itself
    if ".." in text:
        return "it has two dots in a row."
    if text.endswith("."):
        return "it must not end with a dot."
    message = library_message.strip().rstrip(".")
    return (message[:1].lower() + message[1:] + ".") if message else "check it for typos."


def clean_email(value: str | None, placeholder_domain: str = DEFAULT_PLACEHOLDER_DOMAIN) -> str | None:
    """Return the address with its domain lower-cased in ASCII form, None when blank, or raise.

    An international domain is kept in its ASCII (IDNA) form, which every mail server
    accepts (``readable_email`` shows it in its own script); the part before the @ must
    be plain ASCII.
    """
    check_text(value, "email")
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
                f"Email: '{shown(text)}' is not a valid placeholder address — use letters, "
                f"digits and dots before the @, like mrn1234@{placeholder_domain.strip().lower()}.",
                field="email",
            )
        return f"{local}@{domain.strip().lower()}"
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError as error:
        raise ValidationError(
            f"Email: '{shown(text)}' is not a valid email address — {_email_hint(text, str(error))}",
            field="email",
        ) from None
    if checked.ascii_email is None:
        raise ValidationError(
            "Email: use only plain letters (a-z), digits and . _ - + before the @ — many mail "
            "servers cannot deliver to other characters there.",
            field="email",
        )
    # email-validator keeps the local part as typed and gives the domain lower-cased, in ASCII.
    return checked.ascii_email


# --- ZIP code, state, phone --------------------------------------------------


def clean_zip(value: str | None) -> str | None:
    """Return a US ZIP code as 12345 or 12345-6789, None when blank, or raise ValidationError."""
    check_text(value, "zip_code")
    text = (value or "").strip()
    if not text:
        return None
    match = _ZIP.fullmatch(text)
    if match is None:
        hint = "use 5 digits (12345) or ZIP+4 (12345-6789)."
        if text.isascii() and text.isdigit() and len(text) in (3, 4):
            # Spreadsheets drop the leading zeros of New England ZIP codes.
            hint = f"ZIP codes have 5 digits; if it starts with 0, type it in full ({text.zfill(5)})."
        raise ValidationError(f"ZIP code: '{shown(text)}' is not a US ZIP code — {hint}", field="zip_code")
    five, four = match.groups()
    return f"{five}-{four}" if four else five


def clean_state(value: str | None) -> str | None:
    """Return a 2-letter US state or territory code upper-cased, None when blank, or raise."""
    check_text(value, "state")
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
        f"State: '{shown(text)}' is not a US state or territory — use the 2-letter code, like NY or CA.",
        field="state",
    )


def phone_digits(value: str | None) -> str:
    """Return only the digits of a phone number (what search compares)."""
    return _NOT_ASCII_DIGITS.sub("", value or "")  # a regex: bulk loads call this a million times


def clean_phone(value: str | None) -> str | None:
    """Return a US phone number as (555) 123-4567 [x123], None when blank, or raise."""
    check_text(value, "phone")  # the length first: nothing below runs on a pasted essay
    text = (value or "").strip()
    if not text:
        return None
    problem = (
        f"Phone: '{shown(text)}' is not a US phone number — type 10 digits with the area "
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


# --- portal account ----------------------------------------------------------


def clean_username(value: str | None, *, min_length: int = USERNAME_MIN_LENGTH) -> str:
    """Return the username trimmed, or raise ValidationError saying what to change.

    ``min_length``: portal usernames need 4 characters, staff usernames 2.
    """
    check_text(value, "username")
    text = (value or "").strip()
    if not text:
        raise ValidationError("Username is required.", field="username")
    if len(text) < min_length:
        raise ValidationError(
            f"Username: '{text}' is too short — use at least {min_length} characters.",
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
            f"Username: '{shown(text)}' can only contain letters, digits and . _ - @ + "
            f"(it has {join_words(bad)}).",
            field="username",
        )
    if not text[0].isalnum():
        raise ValidationError(
            f"Username: '{shown(text)}' must start with a letter or digit.", field="username"
        )
    return text


def check_password(password: str | None, username: str | None) -> None:
    """Raise ValidationError when the password is too weak; the message never repeats it."""
    check_text(password, "password")
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
    check_text(value, "status", "Patient status")
    text = (value or "").strip().lower()
    if text in codes.PATIENT_STATUSES:
        return text
    allowed = ", ".join(codes.PATIENT_STATUSES[:-1]) + " or " + codes.PATIENT_STATUSES[-1]
    raise ValidationError(
        f"Patient status: '{shown((value or '').strip())}' is not a patient status — use {allowed}.",
        field="patient_status",
    )


def clean_sex(value: str | None) -> str | None:
    """Return female, male, other or unknown (F/M/O/U accepted), None when blank, or raise."""
    check_text(value, "sex")
    text = (value or "").strip()
    if not text:
        return None
    sex = _SEXES.get(text.lower())
    if sex is None:
        raise ValidationError(
            f"Sex: '{shown(text)}' is not one of female, male, other or unknown (F, M, O or U).",
            field="sex",
        )
    return sex
