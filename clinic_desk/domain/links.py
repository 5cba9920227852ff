"""The life of an emailed link (DESIGN.md section 1): the one place that says what state a link is in.

The dash's email card, the tooltip, the wizard, the outbox and the portal all ask
``link_state``; nothing else compares a link's timestamps.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from clinic_desk.domain.wording import when


class LinkState(StrEnum):
    """Where a link is in its life; the values are stable strings."""

    ACTIVE = "active"  # can still be used
    USED = "used"  # did its job once; never works again
    EXPIRED = "expired"  # ran out unused
    REVOKED = "revoked"  # killed before use (a newer link, credentials set by hand, an unlock...)


def link_state(
    *, used_at: datetime | None, revoked_at: datetime | None, expires_at: datetime, now: datetime
) -> LinkState:
    """The state of a link at ``now``. Used and revoked are final; expiry is checked last."""
    if used_at is not None:
        return LinkState.USED
    if revoked_at is not None:
        return LinkState.REVOKED
    if expires_at <= now:
        return LinkState.EXPIRED
    return LinkState.ACTIVE


def link_state_words(
    state: LinkState, *, used_at: datetime | None, revoked_at: datetime | None, expires_at: datetime
) -> str:
    """The state as the end of a sentence: 'used on ...', 'valid until ...'."""
    if state is LinkState.USED:
        return f"used on {when(used_at)}"
    if state is LinkState.REVOKED:
        return f"cancelled on {when(revoked_at)}"
    if state is LinkState.EXPIRED:
        return f"expired unused on {when(expires_at)}"
    return f"valid until {when(expires_at)}"
