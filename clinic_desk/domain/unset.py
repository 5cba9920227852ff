"""The "leave this field as it is" marker for partial updates (None means "clear it")."""

from __future__ import annotations

from enum import Enum
from typing import Final, Literal


class Unset(Enum):
    """A type with one value, so type checkers can tell "not given" from None."""

    UNSET = "unset"

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset.UNSET
Keep = Literal[Unset.UNSET]
