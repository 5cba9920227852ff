"""The folded copies of a chart's names, email and phone that search and matching compare.

One home: staff edits, online registration and bulk loads all store these keys.
"""

from __future__ import annotations

from typing import Final

from clinic_desk.domain.validation import fold, phone_digits

NAME_KEY_LENGTH: Final = 100


def name_key(name: str) -> str:
    """'José' and 'jose' find each other: accents and case folded away."""
    return fold(name)[:NAME_KEY_LENGTH]


def email_key(email: str | None) -> str | None:
    """Emails compare without regard to case."""
    return email.lower() if email else None


def phone_key(phone: str | None) -> str | None:
    """Only the digits of a phone number count."""
    return phone_digits(phone) or None
