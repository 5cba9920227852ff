"""Password hashing (Argon2) and one-use link tokens (only their SHA-256 is stored)."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.profiles import CHEAPEST

# Production uses argon2-cffi's defaults; tests switch to the cheapest profile.
_hasher = PasswordHasher()


def use_cheapest_hashing() -> None:
    """Make hashing fast for tests (argon2-cffi's CHEAPEST profile)."""
    global _hasher
    _hasher = PasswordHasher.from_parameters(CHEAPEST)


def hash_password(password: str) -> str:
    """An Argon2id hash of the password."""
    return _hasher.hash(_as_bytes(password))


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; never raises for a wrong one (or for any text at all)."""
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, _as_bytes(password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# A hash of a random password nobody knows, made with the hasher in use (so its cost matches).
_dummy: tuple[PasswordHasher, str] | None = None


def verify_against_nothing(password: str) -> bool:
    """Spend the time a real check takes, against a hash no password matches; always False.

    Used when there is no account (or no password) to check, so that an unknown username
    answers as slowly as a wrong password.
    """
    global _dummy
    if _dummy is None or _dummy[0] is not _hasher:
        _dummy = (_hasher, _hasher.hash(secrets.token_urlsafe(32)))
    verify_password(_dummy[1], password)
    return False


def _as_bytes(password: str) -> bytes:
    """The password as the hasher reads it; any text (even lone surrogates) encodes."""
    return str(password).encode("utf-8", "surrogatepass")


def new_token() -> tuple[str, str]:
    """A fresh random link token and the hash that is stored in its place."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    """The stored form of a token: tokens are long and random, so SHA-256 is enough."""
    return hashlib.sha256(token.strip().encode()).hexdigest()


def temporary_password() -> str:
    """A temporary password staff can read out: 3 short words of unambiguous characters."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    groups = ["".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3)]
    return "-".join(groups)


__all__ = [
    "hash_password",
    "hash_token",
    "new_token",
    "temporary_password",
    "use_cheapest_hashing",
    "verify_against_nothing",
    "verify_password",
]
