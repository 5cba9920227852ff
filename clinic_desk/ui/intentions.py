"""One request id per user intention, sent again when the receptionist retries after a fault.

A press of Save is one intention. When it fails with a fault whose outcome is unknown
(the reply to COMMIT was lost) or nothing was saved (server away, another workstation
saving), pressing it again with the same values is the same intention: it carries the same
request id, so the services never do it twice. Any other answer ends the intention.
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable, Mapping

from clinic_desk import DatabaseUnavailable, OutcomeUnknown


def may_retry(exc: BaseException) -> bool:
    """True for the faults after which pressing again is the same intention."""
    return isinstance(exc, OutcomeUnknown | DatabaseUnavailable)


class Intentions:
    """Remembers the intention that may be retried: its key, request id and values."""

    def __init__(self) -> None:
        self._key: Hashable = None
        self._request_id: str | None = None
        self._values: dict[str, str] = {}

    def begin(self, key: Hashable, values: Mapping[str, str]) -> tuple[str, dict[str, str]]:
        """The request id for ``key`` and the values to send: a retry gets the first ones back."""
        if self._request_id is None or key != self._key:
            self._key, self._request_id, self._values = key, uuid.uuid4().hex, dict(values)
        return self._request_id, dict(self._values)

    def settle(self, exc: BaseException | None = None) -> None:
        """The action answered: forget it, unless it failed in a way a retry should finish."""
        if exc is None or not may_retry(exc):
            self._key, self._request_id, self._values = None, None, {}

    @property
    def pending(self) -> bool:
        """True while a retry would reuse a request id."""
        return self._request_id is not None
