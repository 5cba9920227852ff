"""Clean one imported row with the same checks staff input gets, and the re-import rule.

Every value goes through ``domain.validation`` (one home for each check); only what an
import adds lives here: two-digit years, a status column that may hold a date of death,
the MRN and the preferred language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any, Final

from clinic_desk.domain import codes
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.patient_import import FIELD_LABELS, IMPORT_FIELDS, ImportRow
from clinic_desk.domain.text_rules import check_text, printable_prefix, shown
from clinic_desk.domain.typed_dates import clean_date_of_birth, parse_date
from clinic_desk.domain.validation import (
    clean_email,
    clean_name,
    clean_optional_text,
    clean_patient_status,
    clean_phone,
    clean_sex,
    clean_state,
    clean_zip,
)

MRN_MAX_LENGTH: Final = 64
DEFAULT_LANGUAGE: Final = "en"
_SHORT_US_DATE = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{2})")
_ISO_TIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ][0-9:.]+(Z|[+-][0-9:]+)?")
# BCP 47 as clinics meet it: a language, then optional script/region/variant subtags.
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
_LANGUAGE_NAMES: Final = {
    "english": "en",
    "spanish": "es",
    "espanol": "es",
    "español": "es",
    "french": "fr",
    "german": "de",
    "portuguese": "pt",
    "chinese": "zh",
    "vietnamese": "vi",
    "korean": "ko",
    "russian": "ru",
    "arabic": "ar",
    "italian": "it",
    "polish": "pl",
    "japanese": "ja",
}
#: Optional fields an empty cell may clear when staff choose so; never the MRN, the names, the
#: date of birth, the status or the language (a chart always has those).
CLEARABLE_FIELDS: Final = (
    "preferred_name", "sex", "email", "phone", "address_line1", "address_line2", "city", "state",
    "zip_code",
)  # fmt: skip
_STATUS_WORDS: Final = {"a": codes.ACTIVE, "i": codes.INACTIVE, "d": codes.DECEASED, "dead": codes.DECEASED}

Cleaned = dict[str, Any]


def import_date(text: str, today: date) -> date:
    """A date of birth in US (MM/DD/YYYY, M/D/YY) or ISO form, checked like a typed one.

    A two-digit year makes the most recent date that is not in the future (a birth date).
    """
    text = text.strip()
    if match := _ISO_TIME.fullmatch(text):
        text = match.group(1)
    if match := _SHORT_US_DATE.fullmatch(text):
        month, day_of_month, short_year = (int(part) for part in match.groups())
        year = 2000 + short_year
        if (year, month, day_of_month) > (today.year, today.month, today.day):
            year -= 100
        text = f"{month}/{day_of_month}/{year}"
    return clean_date_of_birth(text, today)


def clean_mrn(value: str) -> str:
    """The medical record number as the other system wrote it: printable text, 1 to 64 characters."""
    check_text(value, "mrn", "MRN")
    text = value.strip()
    if not text:
        raise ValidationError(
            "MRN is missing: every row needs the chart's medical record number.", field="mrn"
        )
    if len(text) > MRN_MAX_LENGTH:
        raise ValidationError(f"MRN: at most {MRN_MAX_LENGTH} characters.", field="mrn")
    return text


def clean_language(value: str) -> str:
    """A BCP 47 language tag (en, es-MX), or a common language name turned into one."""
    check_text(value, "preferred_language", "Preferred language")
    text = value.strip()
    named = _LANGUAGE_NAMES.get(text.casefold())
    if named:
        return named
    if len(text) > 35 or not _LANGUAGE.fullmatch(text):
        raise ValidationError(
            f"Preferred language: '{printable_prefix(text, 40)}' is not a language code — "
            "use one like en, es or es-MX.",
            field="preferred_language",
        )
    parts = text.split("-")
    return "-".join([parts[0].lower(), *(p.upper() if len(p) == 2 else p for p in parts[1:])])


def clean_import_status(value: str, today: date) -> str:
    """A patient status; a date (a death date column) or 'D' means deceased."""
    text = value.strip()
    word = _STATUS_WORDS.get(text.casefold())
    if word:
        return word
    if text and text[0].isdigit() and parse_date(text.split("T")[0]) is not None:
        return codes.DECEASED
    return clean_patient_status(text)


def clean_row(
    row: ImportRow,
    today: date,
    placeholder_domain: str,
    warnings: list[str] | None = None,
    *,
    clear_empty: bool = False,
) -> Cleaned:
    """The row's non-empty values as they will be stored, or ValidationError naming the field.

    With ``clear_empty`` an empty cell of a mapped optional field (``CLEARABLE_FIELDS``) is
    kept as None: the import clears that field. A field the file has no column for never is
    (a FHIR Patient has every field: an element it lacks is empty, as the other system holds it).

    Only the MRN, the names and the date of birth reject a row. An optional value the staff
    checks refuse (a 7-digit phone, a foreign postcode, an address at a .invalid domain) is
    left out, so the chart keeps what it had there; ``warnings`` gets the plain words why.
    """
    if row.problem:
        raise ValidationError(row.problem)
    values = {name: text for name, text in row.values.items() if text is not None and text.strip()}
    out: Cleaned = {"mrn": clean_mrn(values.get("mrn", ""))}
    out["first_name"] = clean_name(values.get("first_name"), "First name")
    out["last_name"] = clean_name(values.get("last_name"), "Last name")
    if "date_of_birth" not in values:
        raise ValidationError("Date of birth is missing.", field="date_of_birth")
    out["date_of_birth"] = import_date(values["date_of_birth"], today)
    if clear_empty:
        out.update((name, None) for name in CLEARABLE_FIELDS if name in row.values and name not in values)
    cleaners = {
        "preferred_name": lambda v: clean_optional_text(v, "Preferred name", 100),
        "sex": clean_sex,
        "email": lambda v: clean_email(v, placeholder_domain),
        "phone": clean_phone,
        "address_line1": lambda v: clean_optional_text(v, "Address"),
        "address_line2": lambda v: clean_optional_text(v, "Address line 2"),
        "city": lambda v: clean_optional_text(v, "City", 100),
        "state": clean_state,
        "zip_code": clean_zip,
        "status": lambda v: clean_import_status(v, today),
        "preferred_language": clean_language,
    }
    for name, clean in cleaners.items():
        if name not in values:
            continue
        try:
            value = clean(values[name])
        except ValidationError as error:
            if warnings is not None:
                warnings.append(left_out(name, values[name], error))
            continue
        if value is not None:
            out[name] = value
    return out


def left_out(name: str, value: str, error: ValidationError) -> str:
    """ "Phone '555-0100' was not imported: it is not a US phone number — …" (the check's own
    words, without the label and value it starts with)."""
    text = value.strip()
    message = str(error)
    head, quoted, rest = message.partition(f": '{shown(text)}' ")
    if quoted and ":" not in head:
        why = "it " + rest
    else:
        head, colon, rest = message.partition(": ")
        why = rest if colon and len(head) <= 40 else message
    return f"{field_label(name)} '{printable_prefix(text, 40)}' was not imported: {why}"


def stored_text(cleaned: Mapping[str, Any]) -> dict[str, str]:
    """Cleaned values as text (dates in ISO form), in field order: what the preview shows and
    what is kept as 'what the last import brought'. A cleared field is the empty text."""
    return {name: _text(cleaned[name]) for name in IMPORT_FIELDS if name in cleaned}


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def fields_to_apply(
    brought: Mapping[str, str], previous: Mapping[str, str] | None, on_chart: Mapping[str, str]
) -> list[str]:
    """The fields a re-import changes on the chart.

    A field is applied only when the file's value differs from what the previous import
    brought (so staff corrections survive a nightly import) and from the chart's value (an
    empty field is absent from ``on_chart``). Empty in the file erases only when staff chose
    so: then ``brought`` holds the empty text; otherwise such fields are not in it at all.
    """
    return [
        name
        for name, value in brought.items()
        if name != "mrn"
        and (previous is None or previous.get(name) != value)
        and on_chart.get(name, "") != value
    ]


def reason_of(error: ValidationError, row_number: int) -> str:
    """The plain reason a row is rejected, naming the row."""
    return f"Row {row_number}: {error}"


def field_label(name: str) -> str:
    """A field's name as staff read it."""
    return FIELD_LABELS.get(name, name)
