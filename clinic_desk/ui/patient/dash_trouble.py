"""Which trouble spots the dash says beside the icon, in a few words.

The rule (is the account locked, did the link expire, did the email bounce) and its facts come
from the domain's :class:`PortalStatus`; this module only picks the spots a receptionist must see
without hovering, and says them short, with the domain's own way of saying a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from clinic_desk.domain import codes
from clinic_desk.domain.status import PortalStatus, StatusItem
from clinic_desk.domain.wording import plural, when


@dataclass(frozen=True)
class DashTrouble:
    """One trouble spot as the dash shows it: a chip word, a short line, and the full sentence."""

    code: str
    chip: str
    line: str
    message: str


def _parts(moment: datetime) -> tuple[str, str]:
    """The domain's "Mar 2, 2026 at 3:40 PM" as ("Mar 2, 2026", "3:40 PM")."""
    date_words, _, time_words = when(moment).partition(" at ")
    return date_words, time_words


def _until(moment: object, now: datetime) -> str:
    if not isinstance(moment, datetime):
        return ""
    date_words, time_words = _parts(moment)
    # Today only needs the time; a lock that runs past midnight says the day too.
    return time_words if date_words == _parts(now)[0] else when(moment)


def _locked(item: StatusItem, now: datetime) -> DashTrouble:
    failed = item.facts.get("failed_logins")
    after = (
        plural(failed, "failed login") if isinstance(failed, int) and failed > 0 else "too many failed logins"
    )
    until = _until(item.facts.get("locked_until"), now)
    line = f"Locked after {after}" + (f" — until {until}" if until else "")
    return DashTrouble(codes.ACCOUNT_LOCKED, "Locked", line, item.message)


def _undelivered(item: StatusItem, _now: datetime) -> DashTrouble:
    return DashTrouble(
        codes.EMAIL_DELIVERY_FAILED,
        "Not delivered",
        "The last email could not be delivered",
        item.message,
    )


def _expired(item: StatusItem, _now: datetime) -> DashTrouble:
    what = "Invitation" if item.facts.get("kind") == codes.INVITATION else "Password-reset link"
    expired_at = item.facts.get("expired_at")
    on = f" on {_parts(expired_at)[0]}" if isinstance(expired_at, datetime) else ""
    return DashTrouble(codes.INVITATION_EXPIRED, "Link expired", f"{what} expired{on}", item.message)


# Most urgent first: a lock stops every login now; a bounce means nothing reaches the patient.
_SHOWN = (
    (codes.ACCOUNT_LOCKED, _locked),
    (codes.EMAIL_DELIVERY_FAILED, _undelivered),
    (codes.INVITATION_EXPIRED, _expired),
)


def dash_troubles(status: PortalStatus | None) -> list[DashTrouble]:
    """The trouble spots the dash shows beside the icon, most urgent first (none while unknown)."""
    if status is None:
        return []
    shown = []
    for code, words in _SHOWN:
        item = status.trouble(code)
        if item is not None:
            shown.append(words(item, status.evaluated_at))
    return shown
