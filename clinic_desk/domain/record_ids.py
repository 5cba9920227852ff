"""Which ids can name a stored record: ids are 32-bit integers on every database."""

from __future__ import annotations

from typing import Final

MAX_ID: Final = 2**31 - 1


def is_storable_id(value: object) -> bool:
    """True for a whole number a record's id column can hold (a server refuses others outright)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID
