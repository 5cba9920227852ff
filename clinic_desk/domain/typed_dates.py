"""Dates as the front desk types them (03/14/1980, 1980-03-14, March 14 1980, 14 Mar 1980...).

Every function here reads only a short, already length-checked text: nothing is slow.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Final

from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.text_rules import check_text, shown
from clinic_desk.domain.wording import day

EARLIEST_DATE_OF_BIRTH: Final = date(1900, 1, 1)

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
    check_text(value, "date_of_birth")
    text = (value or "").strip()
    if not text:
        raise ValidationError("Date of birth is required.", field="date_of_birth")
    born = parse_date(text)
    if born is None:
        hint = "type it like 03/14/1980."
        if re.fullmatch(r"[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2}", text):
            hint = "type the year with all four digits, like 03/14/1980."
        raise ValidationError(
            f"Date of birth: '{shown(text)}' is not a date we can read — {hint}",
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
