"""Replay what a patient typed on the portal's "I am a registered patient" page.

The portal lets an existing patient create their own account when the email, last
name, date of birth and ZIP code they type all match exactly one chart, and portal
access is on for it (DESIGN.md section 1). When it refuses, the receptionist types
here what the patient typed; :func:`check_match` compares it with candidate charts
the same way the portal does and says, in plain words, which field does not match.

Pure: the candidate charts are plain values read by the caller.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

from clinic_desk.domain import codes
from clinic_desk.domain.access import status_allows_portal
from clinic_desk.domain.email_checks import DEFAULT_PLACEHOLDER_DOMAIN
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.search_keys import name_key
from clinic_desk.domain.validation import clean_date_of_birth, clean_email, clean_name, clean_zip
from clinic_desk.domain.wording import join_words, plural

__all__ = [
    "ACCESS_OFF",
    "CAN_CREATE",
    "FIELDS",
    "FIELD_LABELS",
    "HAS_USERNAME",
    "INVALID_INPUT",
    "NO_MATCH",
    "SEVERAL_MATCH",
    "CandidateChart",
    "ChartComparison",
    "FieldCheck",
    "MatchOutcome",
    "MatchReport",
    "check_match",
]

MatchOutcome = Literal[
    "can_create", "no_match", "several_match", "access_off", "has_username", "invalid_input"
]
CAN_CREATE: Final = "can_create"
NO_MATCH: Final = "no_match"
SEVERAL_MATCH: Final = "several_match"
ACCESS_OFF: Final = "access_off"
HAS_USERNAME: Final = "has_username"
INVALID_INPUT: Final = "invalid_input"

# The four details the portal asks for, in the order it asks.
FIELDS: Final = ("email", "last_name", "date_of_birth", "zip_code")
FIELD_LABELS: Final = {
    "email": "Email",
    "last_name": "Last name",
    "date_of_birth": "Date of birth",
    "zip_code": "ZIP code",
}
# How a field is named inside a sentence ("the ZIP code differs").
_FIELD_WORDS: Final = {
    "email": "the email",
    "last_name": "the last name",
    "date_of_birth": "the date of birth",
    "zip_code": "the ZIP code",
}


@dataclass(frozen=True)
class CandidateChart:
    """One chart the typed details may belong to (plain values, read by the caller)."""

    patient_id: int
    name: str
    email: str | None
    last_name: str
    date_of_birth: date | None
    zip_code: str | None
    access_enabled: bool
    has_username: bool
    patient_status: str = codes.ACTIVE
    mrn: str | None = None

    @property
    def label(self) -> str:
        """'Ana Lopez (MRN 1042)', how a chart is named in a verdict."""
        return f"{self.name} (MRN {self.mrn})" if self.mrn else self.name


@dataclass(frozen=True)
class FieldCheck:
    """One of the four details compared with one chart."""

    field: str  # "email" | "last_name" | "date_of_birth" | "zip_code"
    label: str  # "ZIP code"
    typed: str  # what was typed, as shown to staff
    on_file: str | None  # what the chart has, as shown to staff; None when the chart has nothing
    matches: bool
    readable: bool = True  # False when the portal cannot read what was typed

    @property
    def message(self) -> str:
        """'ZIP code: typed 02140, chart has 02139' or 'ZIP code: matches (02139)'."""
        if self.matches:
            return f"{self.label}: matches ({self.on_file})"
        typed = self.typed if self.readable else f"{self.typed} (the portal cannot read it)"
        return f"{self.label}: typed {typed}, chart has {self.on_file or 'none'}"

    @property
    def difference(self) -> str:
        """'the ZIP code differs (typed 02140, on file 02139)', for a verdict sentence."""
        word = _FIELD_WORDS[self.field]
        if self.on_file is None:
            return f"the chart has no {word.removeprefix('the ')} (typed {self.typed})"
        if not self.readable:
            return f"{word} typed ({self.typed}) cannot be read"
        return f"{word} differs (typed {self.typed}, on file {self.on_file})"


@dataclass(frozen=True)
class ChartComparison:
    """The four details compared with one candidate chart."""

    chart: CandidateChart
    checks: tuple[FieldCheck, ...]

    @property
    def mismatches(self) -> tuple[FieldCheck, ...]:
        """The details that do not match, in the portal's order."""
        return tuple(check for check in self.checks if not check.matches)

    @property
    def matches(self) -> bool:
        """True when all four details match this chart."""
        return not self.mismatches

    def check(self, field: str) -> FieldCheck:
        """The comparison of one detail ('email', 'last_name', 'date_of_birth', 'zip_code')."""
        return next(check for check in self.checks if check.field == field)


@dataclass(frozen=True)
class MatchReport:
    """What the portal makes of the typed details, and why."""

    outcome: MatchOutcome
    verdict: str
    matches: tuple[CandidateChart, ...]
    near_misses: tuple[ChartComparison, ...]  # charts with some details matching, closest first
    problems: tuple[str, ...]  # typed values the portal cannot read, in plain words
    comparisons: tuple[ChartComparison, ...]  # every candidate, in the order given

    @property
    def ok(self) -> bool:
        """True when the patient can create the account with these details."""
        return self.outcome == CAN_CREATE

    def comparison_for(self, patient_id: int) -> ChartComparison | None:
        """The comparison with one candidate chart, or None when it was not a candidate."""
        return next((item for item in self.comparisons if item.chart.patient_id == patient_id), None)


@dataclass(frozen=True)
class _Typed:
    """One typed detail: what is shown, the key the portal compares, or why it cannot be read."""

    shown: str
    key: object | None
    problem: str | None


def _read_email(value: str | None, placeholder_domain: str) -> _Typed:
    text = (value or "").strip()
    if not text:
        return _Typed("nothing", None, "Email is required.")
    try:
        cleaned = clean_email(text, placeholder_domain)
    except ValidationError as error:
        return _Typed(text, None, error.message)
    return _Typed(text, (cleaned or "").lower(), None)


def _read_last_name(value: str | None) -> _Typed:
    text = (value or "").strip()
    try:
        cleaned = clean_name(text, "Last name")
    except ValidationError as error:
        return _Typed(text or "nothing", None, error.message)
    return _Typed(cleaned, name_key(cleaned), None)


def _show_date(value: date) -> str:
    return f"{value.month:02d}/{value.day:02d}/{value.year}"


def _read_date_of_birth(value: date | str | None, today: date | None) -> _Typed:
    if value is None or (isinstance(value, str) and not value.strip()):
        return _Typed("nothing", None, "Date of birth is required.")
    shown = value.strip() if isinstance(value, str) else _show_date(value)
    try:
        born = clean_date_of_birth(value, today or date.max)
    except ValidationError as error:
        return _Typed(shown, None, error.message)
    return _Typed(_show_date(born), born, None)


def _read_zip(value: str | None) -> _Typed:
    text = (value or "").strip()
    if not text:
        return _Typed("nothing", None, "ZIP code is required.")
    try:
        cleaned = clean_zip(text)
    except ValidationError as error:
        return _Typed(text, None, error.message)
    return _Typed(text, (cleaned or "")[:5], None)


def _compare(chart: CandidateChart, typed: dict[str, _Typed]) -> ChartComparison:
    email_on_file = (chart.email or "").strip() or None
    zip_on_file = (chart.zip_code or "").strip() or None
    on_file: dict[str, tuple[str | None, object | None]] = {
        "email": (email_on_file, email_on_file.lower() if email_on_file else None),
        "last_name": (chart.last_name.strip() or None, name_key(chart.last_name) or None),
        "date_of_birth": (
            _show_date(chart.date_of_birth) if chart.date_of_birth else None,
            chart.date_of_birth,
        ),
        "zip_code": (zip_on_file, zip_on_file[:5] if zip_on_file else None),
    }
    checks = []
    for name in FIELDS:
        detail = typed[name]
        shown, key = on_file[name]
        checks.append(
            FieldCheck(
                field=name,
                label=FIELD_LABELS[name],
                typed=detail.shown,
                on_file=shown,
                matches=detail.key is not None and key is not None and detail.key == key,
                readable=detail.problem is None,
            )
        )
    return ChartComparison(chart=chart, checks=tuple(checks))


def check_match(
    candidates: Iterable[CandidateChart],
    *,
    email: str | None,
    last_name: str | None,
    date_of_birth: date | str | None,
    zip_code: str | None,
    patient_id: int | None = None,
    placeholder_domain: str = DEFAULT_PLACEHOLDER_DOMAIN,
    today: date | None = None,
) -> MatchReport:
    """Say whether the portal would let the patient create an account with what they typed.

    ``candidates`` are the charts worth comparing (the caller reads, for example, every
    chart with the same email, or the same last name and date of birth). ``patient_id``
    is the patient on screen: the verdict talks about that chart when it is a candidate.
    ``today`` enables the portal's "date of birth is in the future" check. Never raises
    for what was typed: unreadable values come back as ``problems`` in plain words.
    """
    typed = {
        "email": _read_email(email, placeholder_domain),
        "last_name": _read_last_name(last_name),
        "date_of_birth": _read_date_of_birth(date_of_birth, today),
        "zip_code": _read_zip(zip_code),
    }
    problems = tuple(detail.problem for detail in typed.values() if detail.problem)

    seen: set[int] = set()
    comparisons: list[ChartComparison] = []
    for chart in candidates:
        if chart.patient_id in seen:
            continue
        seen.add(chart.patient_id)
        comparisons.append(_compare(chart, typed))

    exact = tuple(item.chart for item in comparisons if item.matches)
    # sorted() is stable: charts equally close keep the order they were given in.
    near_misses = tuple(
        sorted(
            (item for item in comparisons if 0 < len(item.mismatches) < len(FIELDS)),
            key=lambda item: len(item.mismatches),
        )
    )
    outcome, verdict = _verdict(problems, exact, near_misses, comparisons, patient_id)
    return MatchReport(
        outcome=outcome,
        verdict=verdict,
        matches=exact if not problems else (),
        near_misses=near_misses,
        problems=problems,
        comparisons=tuple(comparisons),
    )


def _chart_words(chart: CandidateChart) -> str:
    """How a verdict names a chart: Ana Lopez's chart (MRN 1042)."""
    return f"{chart.name}'s chart" + (f" (MRN {chart.mrn})" if chart.mrn else "")


def _verdict(
    problems: tuple[str, ...],
    exact: tuple[CandidateChart, ...],
    near_misses: tuple[ChartComparison, ...],
    comparisons: list[ChartComparison],
    patient_id: int | None,
) -> tuple[MatchOutcome, str]:
    if problems:
        return (
            INVALID_INPUT,
            "The portal cannot accept what was typed. "
            + " ".join(problems)
            + " Ask the patient to check it and type it again.",
        )
    if len(exact) > 1:
        names = join_words([chart.label for chart in exact])
        return (
            SEVERAL_MATCH,
            f"{len(exact)} charts match these details ({names}), so the portal refuses to create "
            "the account and tells the patient to call the clinic. Give each chart its own email "
            "address, or set the username and password by hand.",
        )
    if len(exact) == 1:
        chart = exact[0]
        other = ""
        if patient_id is not None and chart.patient_id != patient_id:
            other = f" Note: it is {_chart_words(chart)}, not this patient's."
        if not status_allows_portal(chart.patient_status):
            if chart.patient_status == codes.DECEASED:
                return ACCESS_OFF, "The chart matches but the patient is marked deceased." + other
            return (
                ACCESS_OFF,
                "The chart matches but portal access is off: make the patient active again and "
                "turn portal access on first." + other,
            )
        if not chart.access_enabled:
            return ACCESS_OFF, "The chart matches but portal access is off: turn it on first." + other
        if chart.has_username:
            return (
                HAS_USERNAME,
                "This chart already has a username: use password reset instead (the patient can "
                "click 'Forgot password', or send a password-reset email from here)." + other,
            )
        return CAN_CREATE, "Exactly one chart matches: the patient can create the account." + other

    if not near_misses:
        return (
            NO_MATCH,
            "No chart matches: no chart has any of these details. Check the email with the "
            "patient first, letter by letter.",
        )
    own = next(
        (item for item in comparisons if patient_id is not None and item.chart.patient_id == patient_id),
        None,
    )
    focus = own or near_misses[0]
    differences = join_words([check.difference for check in focus.mismatches])
    if own is not None or (patient_id is None and len(comparisons) == 1):
        verdict = f"No chart matches: {differences}."
    else:
        verdict = f"No chart matches. The closest is {_chart_words(focus.chart)}: {differences}."
    closest = near_misses[0]
    if own is not None and closest is not own and len(closest.mismatches) < len(own.mismatches):
        verdict += (
            f" {_chart_words(closest.chart)} is closer "
            f"({plural(len(closest.mismatches), 'detail')} differ"
            f"{'s' if len(closest.mismatches) == 1 else ''}): "
            "is the patient typing a family member's details?"
        )
    return NO_MATCH, verdict
