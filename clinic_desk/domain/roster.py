"""The portal roster's value types (DESIGN.md section 6): what a list of patients is filtered,
sorted and paged by, what one row says, and what a batch of invitations did.

Pure Python: the SQL lives in ``clinic_desk.db.roster``, the rules in the services.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final, Literal, cast

from clinic_desk.domain import codes
from clinic_desk.domain.codes import Color
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.text_rules import search_text

#: Columns the roster sorts by (DESIGN.md section 6); ties are broken by chart id.
RosterSort = Literal["name", "mrn", "date_of_birth", "color"]
ROSTER_SORTS: Final[tuple[RosterSort, ...]] = ("name", "mrn", "date_of_birth", "color")

#: The trouble spots the roster counts and filters by, in the order it lists them.
ROSTER_TROUBLES: Final = (
    codes.NO_INVITATION_SENT,
    codes.INVITATION_EXPIRED,
    codes.EMAIL_DELIVERY_FAILED,
    codes.ACCOUNT_LOCKED,
    codes.PLACEHOLDER_EMAIL,
    codes.EMAIL_POSSIBLE_TYPO,
    codes.SHARED_EMAIL,
)


@dataclass(frozen=True)
class RosterFilter:
    """Which charts a roster shows. Empty fields do not filter; set fields all must hold.

    ``text`` matches as the patient search does (name, MRN, date of birth, email, phone).
    """

    color: Color | None = None
    reason: str | None = None  # a red reason code (codes.RED_REASONS)
    trouble: str | None = None  # one of ROSTER_TROUBLES
    text: str = ""

    @property
    def searches(self) -> bool:
        """Whether ``text`` has anything to search by: text of hidden characters filters nothing."""
        return bool(search_text(self.text).strip())


@dataclass(frozen=True)
class RosterRow:
    """One line of the roster."""

    patient_id: int
    mrn: str
    last_name: str
    first_name: str
    date_of_birth: date
    patient_status: str  # active | prospective | inactive | deceased
    color: Color
    main_reason: str  # a reason or trouble-spot code: the one the row names
    main_reason_words: str  # that code in plain words, for the table
    last_invited_at: datetime | None  # the newest invitation/reset email's time
    last_login_at: datetime | None


@dataclass(frozen=True)
class RosterPage:
    """One page of rows, and where the next page starts (None: this was the last)."""

    rows: tuple[RosterRow, ...]
    next_after: tuple[object, ...] | None


@dataclass
class InvitationReport:
    """What ``send_invitations`` did (or, dry run, would do)."""

    queued: list[int] = field(default_factory=list)  # patient ids invited (each its own transaction)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (patient id, why, in plain words)
    cancelled: bool = False  # progress() returned False before the end
    dry_run: bool = False


@dataclass(frozen=True)
class RosterCounts:
    """How many charts the roster holds, by colour, red reason and trouble spot."""

    by_color: dict[Color, int]
    by_reason: dict[str, int]  # every code of codes.RED_REASONS (a chart may have several)
    by_trouble: dict[str, int]  # every code of ROSTER_TROUBLES
    total: int


@dataclass(frozen=True)
class AdoptionMonth:
    """How many active patients had each colour at a month's last recorded day."""

    month: date  # the month's first day
    red: int
    gold: int
    blue: int


@dataclass(frozen=True)
class Adoption:
    """The adoption chart: months oldest first (only those the daily record covers)."""

    months: tuple[AdoptionMonth, ...]
    median_days_to_first_login: float | None


#: The words ``parse_roster_filter`` knows, and the RosterFilter field each sets.
FILTER_KEYS: Final = {"color": "color", "colour": "color", "reason": "reason", "trouble": "trouble"}
FILTER_TEXT_KEYS: Final = ("text", "search")


def parse_roster_filter(text: str) -> RosterFilter:
    """A roster filter from ``color=gold trouble=no_invitation_sent text=smith`` (the command line).

    Words are ``key=value`` separated by spaces; a value with spaces goes in quotes
    (``text="ana lopez"``). An empty text is the whole roster.

    Raises:
        ValidationError: an unknown key or value, a key given twice, or a word without ``=``;
            the message lists the choices.
    """
    try:
        words = shlex.split(text or "")
    except ValueError:
        raise ValidationError("Filter: a quote is not closed.", field="filter") from None
    chosen: dict[str, str] = {}
    for word in words:
        key, equals, value = word.partition("=")
        key = key.strip().lower()
        field_name = "text" if key in FILTER_TEXT_KEYS else FILTER_KEYS.get(key)
        if not equals or field_name is None:
            raise ValidationError(
                f"Filter: '{word[:40]}' is not one of color=…, reason=…, trouble=… or text=….",
                field="filter",
            )
        if field_name in chosen:
            raise ValidationError(f"Filter: {key} is given twice; give it once.", field="filter")
        chosen[field_name] = value if field_name == "text" else value.strip().lower()
    for field_name, allowed in (
        ("color", codes.COLORS),
        ("reason", codes.RED_REASONS),
        ("trouble", ROSTER_TROUBLES),
    ):
        if field_name in chosen and chosen[field_name] not in allowed:
            raise ValidationError(
                f"Filter: {field_name} '{chosen[field_name][:40]}' is not one the roster knows; "
                f"choose one of {', '.join(allowed)}.",
                field="filter",
            )
    return RosterFilter(
        color=cast(Color | None, chosen.get("color")),
        reason=chosen.get("reason"),
        trouble=chosen.get("trouble"),
        text=chosen.get("text", "").strip(),
    )


def check_roster_filter(wanted: RosterFilter) -> None:
    """A roster filter names known colours, reasons and trouble spots only."""
    if wanted.color is not None and wanted.color not in codes.COLORS:
        raise ValidationError(f"There is no portal colour {wanted.color!r}.")
    if wanted.reason is not None and wanted.reason not in codes.RED_REASONS:
        raise ValidationError(f"There is no red reason {wanted.reason!r}.")
    if wanted.trouble is not None and wanted.trouble not in ROSTER_TROUBLES:
        raise ValidationError(f"The roster does not list the trouble spot {wanted.trouble!r}.")
