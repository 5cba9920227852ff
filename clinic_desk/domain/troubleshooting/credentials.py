"""Usernames, temporary passwords and placeholder emails the panel offers staff."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from typing import Final

from clinic_desk.domain.validation import USERNAME_MAX_LENGTH, USERNAME_MIN_LENGTH, fold

# Letters that do not decompose into a base letter plus an accent.
_TRANSLITERATE: Final = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)


def _username_part(text: str) -> str:
    folded = fold(text or "").translate(_TRANSLITERATE)
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum())


def generate_username(first: str, last: str, taken: Callable[[str], bool] | None = None) -> str:
    """Suggest a portal username: 'ana.lopez', or 'ana.lopez2' when that one is taken.

    Accents are dropped and only letters and digits of each name are kept, so the
    suggestion always passes :func:`clinic_desk.domain.validation.clean_username`.
    ``taken`` says whether a username is already used (any case).
    """
    base = ".".join(part for part in (_username_part(first), _username_part(last)) if part) or "patient"
    base = base[: USERNAME_MAX_LENGTH - 5].rstrip(".")
    for candidate in _username_candidates(base):
        if taken is None or not taken(candidate):
            return candidate
    raise ValueError(f"No free username starting with {base!r} was found.")


def _username_candidates(base: str) -> Iterator[str]:
    """'ana.lopez', 'ana.lopez2', 'ana.lopez3'...; a short base gets digits to reach the minimum."""
    if len(base) >= USERNAME_MIN_LENGTH:
        yield base
        for number in range(2, 10_000):
            yield f"{base}{number}"
    else:
        width = USERNAME_MIN_LENGTH - len(base)
        for number in range(1, 10_000):
            yield f"{base}{number:0{width}d}"


_PASSWORD_ALPHABET: Final = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to read aloud


def generate_temporary_password(username: str | None = None, groups: int = 3) -> str:
    """A random temporary password that is easy to read aloud and type: 'kq7m-x4pd-9tzh'.

    It passes :func:`clinic_desk.domain.validation.check_password` for ``username``.
    The patient must change it at first login.
    """
    groups = max(groups, 3)
    name = (username or "").strip().casefold()
    while True:
        password = "-".join(
            "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(groups)
        )
        has_digit = any(ch.isdigit() for ch in password)
        has_letter = any(ch.isalpha() for ch in password)
        if has_digit and has_letter and not (len(name) >= USERNAME_MIN_LENGTH and name in password):
            return password


def placeholder_email_for(mrn: str, placeholder_domain: str, patient_id: int | None = None) -> str:
    """The placeholder address for a patient without email: 'mrn1042@noemail.invalid'."""
    local = "".join(ch for ch in (mrn or "").lower() if ch.isascii() and ch.isalnum())
    if not local:
        local = f"patient{patient_id}" if patient_id is not None else "patient"
    elif not local.startswith("mrn"):
        local = "mrn" + local
    return f"{local[:64]}@{placeholder_domain.strip().lower()}"
