"""The folded copies of a chart's names, email and phone that search and matching compare.

One home: staff edits, online registration, bulk loads, the claim and the search itself
all make these keys, so a name typed the way it is stored is always found.
"""

from __future__ import annotations

import re
from typing import Final

from clinic_desk.domain.validation import fold, phone_digits

NAME_KEY_LENGTH: Final = 100
# Apostrophes vanish (O’Brien, O'Brien and OBrien are one key); every other mark between
# letters (St. John, Smith/Jones, Smith-Jones, commas) becomes a space.
APOSTROPHES: Final = "'’‘`ʼʻ′´"
_DROP_APOSTROPHES: Final = str.maketrans("", "", APOSTROPHES)
_NAME_WORD = re.compile(r"[^\W_]+")


def name_key(name: str) -> str:
    """'José' and 'jose', 'O’Brien' and 'OBrien', 'St. John' and 'St John' find each other."""
    # Apostrophes go before and after folding: NFKD turns some (´) into a space and a mark.
    folded = fold(name.translate(_DROP_APOSTROPHES)).translate(_DROP_APOSTROPHES)
    return " ".join(_NAME_WORD.findall(folded))[:NAME_KEY_LENGTH].strip()


def email_key(email: str | None) -> str | None:
    """Emails compare without regard to case."""
    return email.lower() if email else None


def phone_key(phone: str | None) -> str | None:
    """Only the digits of a phone number count."""
    return phone_digits(phone) or None
