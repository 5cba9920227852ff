"""Activation codes for patients without email (DESIGN.md section 7): the alphabet and what a typed code is.

A code is printed on a letter and typed back on the portal's ``/activate`` page, so it
leaves out the characters people confuse (0/O, 1/I/L) and forgives case, spaces and dashes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

ALPHABET: Final = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # 31 characters: no 0, O, 1, I or L
CODE_LENGTH: Final = 8
# A typed code longer than this is not read at all (a pasted essay is simply wrong).
TYPED_LIMIT: Final = 64
_IGNORED: Final = frozenset(" -\t\u00a0")
LANGUAGES: Final = ("en", "es")


@dataclass(frozen=True)
class ActivationCode:
    """A one-use code just issued for a printed letter (the only time the code itself is known).

    ``code`` is 8 characters of :data:`ALPHABET`; ``language`` is "en" or "es".
    """

    code: str = field(repr=False)  # never in a log line or a traceback's locals
    expires_at: datetime
    patient_id: int
    patient_name: str
    language: str
    clinic_name: str
    activate_url: str


def new_code() -> str:
    """A fresh random code: 31**8 (about 8.5e11) possibilities."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: object) -> str | None:
    """The code as typed, in its stored form ("abcd-efgh" → "ABCDEFGH"); None when it cannot be one.

    Case, spaces and dashes are forgiven; anything else outside the alphabet means no code.
    """
    if not isinstance(typed, str) or len(typed) > TYPED_LIMIT:
        return None
    code = "".join(ch for ch in typed if ch not in _IGNORED).upper()
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def letter_language(preferred_language: str | None) -> str:
    """The letter's language from the chart's BCP 47 tag ("es-MX" → "es"); English otherwise."""
    primary = (preferred_language or "").strip().lower().replace("_", "-").split("-", 1)[0]
    return primary if primary in LANGUAGES else "en"
