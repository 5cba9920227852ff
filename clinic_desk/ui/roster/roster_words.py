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


# Widths fit a 1024-px screen (the table about 940 px wide); the main reason takes what is left
# over and long words are cut with "…", whole in the cell's tooltip.
COLUMNS: Final = (
    Column("Name", "name", 175),
    Column("MRN", "mrn", 85),
    Column("Date of birth", "date_of_birth", 105),
    Column("Portal", "color", 168),
    Column("Main reason", None, 200),
    Column("Last invitation", None, 115),
    Column("Last login", None, 100),
)
COLOR_COLUMN: Final = 3
REASON_COLUMN: Final = 4
#: Columns whose words may be cut short in the cell: their tooltip says them whole.
CUT_COLUMNS: Final = frozenset({0, COLOR_COLUMN, REASON_COLUMN})

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
