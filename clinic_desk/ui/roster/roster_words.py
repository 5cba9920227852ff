"""What the roster says: its columns, the words on each count, and one row's cells."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from clinic_desk.domain import codes
from clinic_desk.domain.roster import ROSTER_TROUBLES, RosterRow, RosterSort
from clinic_desk.domain.roster_words import reason_words
from clinic_desk.domain.wording import day


@dataclass(frozen=True)
class Column:
    """One column of the roster table; ``sort`` is None for a column the roster cannot sort by."""

    title: str
    sort: RosterSort | None
    width: int


COLUMNS: Final = (
    Column("Name", "name", 200),
    Column("MRN", "mrn", 90),
    Column("Date of birth", "date_of_birth", 115),
    Column("Portal", "color", 185),
    Column("Main reason", None, 240),
    Column("Last invitation", None, 125),
    Column("Last login", None, 110),
)
COLOR_COLUMN: Final = 3

#: A colour in words, for the table and the counts (the icon's glyph says it again).
COLOR_WORDS: Final[dict[str, str]] = {
    codes.RED: "Access off",
    codes.GOLD: "On, never logged in",
    codes.BLUE: "Active",
}

#: A red reason or a trouble spot on its count button: the roster's short words (one home).
REASON_WORDS: Final[dict[str, str]] = {code: reason_words(code) for code in codes.RED_REASONS}
TROUBLE_WORDS: Final[dict[str, str]] = {code: reason_words(code) for code in ROSTER_TROUBLES}

#: Each sort in words, for the "Sort by" list (ascending, descending).
SORT_WORDS: Final[dict[RosterSort, tuple[str, str]]] = {
    "name": ("Name, A to Z", "Name, Z to A"),
    "mrn": ("MRN, lowest first", "MRN, highest first"),
    "date_of_birth": ("Date of birth, oldest first", "Date of birth, youngest first"),
    "color": ("Portal: access off first", "Portal: active first"),
}


def moment_words(moment: datetime | None) -> str:
    """A time in the table: its local day, or 'Never'."""
    if moment is None:
        return "Never"
    local = moment.astimezone() if moment.tzinfo else moment
    return day(local.date())


def row_cells(row: RosterRow) -> tuple[str, ...]:
    """The words of one row, column by column."""
    name = f"{row.last_name}, {row.first_name}"
    if row.patient_status not in (codes.ACTIVE, ""):
        name += f" ({row.patient_status})"
    return (
        name,
        row.mrn,
        day(row.date_of_birth),
        COLOR_WORDS.get(row.color, row.color),
        row.main_reason_words,
        moment_words(row.last_invited_at),
        moment_words(row.last_login_at),
    )


def spoken_row(row: RosterRow) -> str:
    """One row as a screen reader says it."""
    cells = row_cells(row)
    return (
        f"{cells[0]}, MRN {cells[1]}, born {cells[2]}, portal {cells[3]}: {cells[4]}. "
        f"Last invitation {cells[5]}, last login {cells[6]}"
    )
