"""The clinic-wide log's cells: the domain's audit words, plus who the entry is about."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from clinic_desk.domain.audit_words import ACTION_WORDS, action_words, changes_words, minute_words

__all__ = [
    "ACTION_WORDS",
    "COLUMNS",
    "action_words",
    "change_words",
    "entry_change",
    "local_time",
    "record_cells",
]


def change_words(before: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    """'Email: a@x.org → b@x.org; Portal access: on → off': only what changed, never a secret."""
    return changes_words(before, after, minute_words)


#: The log's columns, in order.
COLUMNS: Final = ("When", "Who", "Workstation", "What", "Patient id", "Before → after", "Note")


def local_time(moment: Any) -> str:
    """'2026-03-02 10:00' in this computer's time zone ('' for none)."""
    return "" if moment is None else minute_words(moment)


def entry_change(record: Any) -> str:
    """The entry's before → after; a staff-account entry first names the account ('dkim · ...')."""
    change = change_words(record.before, record.after)
    if record.action.startswith("staff_"):
        subject = record.after.get("username") or record.before.get("username")
        if subject and subject != record.actor:
            return f"{subject} · {change}" if change else str(subject)
    return change


def record_cells(record: Any) -> tuple[str, ...]:
    """One :class:`AuditRecord` as the log's cells (see :data:`COLUMNS`)."""
    return (
        local_time(record.at),
        record.actor,
        record.workstation or "",
        action_words(record.action),
        "" if record.patient_id is None else str(record.patient_id),
        entry_change(record),
        record.note or "",
    )
