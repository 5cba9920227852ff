"""A patient's signed-in web session on the portal, as the pages see it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final

# A session's last_seen_at moves at most this often: one write a minute, not one per page.
TOUCH_EVERY: Final = timedelta(minutes=1)


@dataclass(frozen=True)
class PortalSession:
    """Who is signed in: ``token`` is the web session's secret (only its hash is stored)."""

    patient_id: int
    username: str
    first_name: str
    must_change_password: bool
    token: str = field(repr=False)  # never in a log line or a traceback's locals


def is_idle(last_seen_at: datetime, now: datetime, idle_for: timedelta) -> bool:
    """True when the session sat unused longer than the clinic allows."""
    return now - last_seen_at > idle_for


def needs_touch(last_seen_at: datetime, now: datetime) -> bool:
    """True when last_seen_at is old enough to be moved."""
    return now - last_seen_at >= TOUCH_EVERY
