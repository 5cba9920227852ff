"""The portal roster on paper and in a spreadsheet: its columns, its cells, its file's name.

One home for what an exported or printed roster says, so the CSV file and the printout
agree. Only what the roster window shows goes out: no email, no username, no token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from clinic_desk.domain.roster import RosterFilter, RosterRow

#: The columns of an exported or printed roster, in order.
SHEET_COLUMNS: Final = (
    "name",
    "MRN",
    "date of birth",
    "patient status",
    "portal colour",
    "main reason",
    "last invitation",
    "last login",
)
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """The cell as text a spreadsheet shows and never runs: a leading apostrophe before a formula start."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def moment_cell(moment: datetime | None) -> str:
    """'2026-11-27 14:05' in local time (sorts as text in a spreadsheet); '' for never."""
    if moment is None:
        return ""
    local = moment.astimezone() if moment.tzinfo else moment
    return f"{local:%Y-%m-%d %H:%M}"


def sheet_cells(row: RosterRow) -> tuple[str, ...]:
    """One roster row as the words of :data:`SHEET_COLUMNS` (not yet made spreadsheet-safe)."""
    return (
        f"{row.last_name}, {row.first_name}",
        row.mrn,
        row.date_of_birth.isoformat(),
        row.patient_status,
        row.color,
        row.main_reason_words,
        moment_cell(row.last_invited_at),
        moment_cell(row.last_login_at),
    )


def _slug(code: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-")


def roster_file_name(roster_filter: RosterFilter, today: date, suffix: str = "csv") -> str:
    """'portal-roster-2026-11-27.csv'; a narrowed list adds what narrows it ('portal-roster-red-…').

    Typed filter text never goes into the name (it may be a patient's name): 'filtered' stands for it.
    """
    parts = ["portal-roster"]
    for code in (roster_filter.color, roster_filter.reason, roster_filter.trouble):
        if code:
            parts.append(_slug(code) or "filtered")
    if roster_filter.text.strip():
        parts.append("filtered")
    parts.append(today.isoformat())
    return "-".join(parts) + "." + suffix


def filter_audit_fields(roster_filter: RosterFilter) -> dict[str, object]:
    """What the audit entry of an export or printout records about its filter: the codes, and only
    whether text narrowed it (the text itself may be a patient's name or date of birth)."""
    return {
        "color": roster_filter.color,
        "reason": roster_filter.reason,
        "trouble": roster_filter.trouble,
        "text_filter": bool(roster_filter.text.strip()),
    }


@dataclass(frozen=True)
class RosterPrintout:
    """The rows a printed roster shows, and whether the list went on past them (``complete`` False)."""

    rows: tuple[RosterRow, ...]
    complete: bool
