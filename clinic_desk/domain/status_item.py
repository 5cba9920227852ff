"""One reason or trouble spot of a patient's portal status: its code, words and facts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class StatusItem:
    """One reason or trouble spot: a stable code, plain words, and the facts behind them."""

    code: str
    message: str
    facts: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    brief: str = ""  # the message's gist, where the wizard's steps give the rest (else the message)

    @property
    def gist(self) -> str:
        """The short form: ``brief`` when set, else the whole message."""
        return self.brief or self.message


def make_item(code: str, message: str, *, brief: str = "", **facts: Any) -> StatusItem:
    """A reason or trouble spot with its facts frozen."""
    return StatusItem(code=code, message=message, facts=MappingProxyType(facts), brief=brief)
