"""Small helpers that turn facts into the words a receptionist reads."""

from __future__ import annotations

from datetime import date, datetime


def when(moment: datetime | None) -> str:
    """Say a moment in local time, e.g. 'Nov 3, 2026 at 2:15 PM'; 'an unknown time' for None."""
    if moment is None:
        return "an unknown time"
    local = moment.astimezone() if moment.tzinfo else moment
    hour = local.hour % 12 or 12
    suffix = "AM" if local.hour < 12 else "PM"
    return f"{local:%b} {local.day}, {local.year} at {hour}:{local.minute:02d} {suffix}"


def day(value: date | None) -> str:
    """Say a date, e.g. 'Mar 14, 1980'."""
    if value is None:
        return "unknown"
    return f"{value:%b} {value.day}, {value.year}"


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 failed login', '3 failed logins'."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def join_words(parts: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
