"""The adoption chart's numbers in words (whole percentages, months, the median), for screen readers."""

from __future__ import annotations

from typing import Final

from clinic_desk.domain.codes import Color
from clinic_desk.domain.roster import Adoption, AdoptionMonth

#: Bottom to top in a bar, and the order the words say them: the goal first.
SHARE_ORDER: Final[tuple[Color, ...]] = ("blue", "gold", "red")
LEGEND_WORDS: Final[dict[str, str]] = {
    "blue": "blue: portal active",
    "gold": "gold: on, never logged in",
    "red": "red: access off",
}
EMPTY_WORDS: Final = "No portal history recorded yet"


def shares(month: AdoptionMonth) -> dict[Color, int]:
    """Whole percentages of the month's active patients per colour, summing to 100 (0s when none).

    Largest remainders get the leftover points, so 1/3 each reads 34, 33, 33 and never 99 in all.
    """
    counts: dict[Color, int] = {"blue": month.blue, "gold": month.gold, "red": month.red}
    total = sum(counts.values())
    if total <= 0:
        return dict.fromkeys(SHARE_ORDER, 0)
    exact = {color: counts[color] * 100 / total for color in SHARE_ORDER}
    whole = {color: int(value) for color, value in exact.items()}
    leftover = 100 - sum(whole.values())
    for color in sorted(SHARE_ORDER, key=lambda c: (-(exact[c] - whole[c]), SHARE_ORDER.index(c)))[:leftover]:
        whole[color] += 1
    return whole


def month_words(month: AdoptionMonth) -> str:
    """'November 2026: 62% blue, 25% gold, 13% red'."""
    share = shares(month)
    parts = ", ".join(f"{share[color]}% {color}" for color in SHARE_ORDER)
    return f"{month.month:%B %Y}: {parts}"


def median_words(adoption: Adoption, *, short: bool = False) -> str:
    """The caption under the bars: the median days from chart creation to first login
    (``short``: the few words a narrow chart has room for)."""
    days = adoption.median_days_to_first_login
    if days is None:
        return "No first logins yet" if short else "No patient has logged in for the first time yet"
    rounded = round(days)
    unit = "day" if rounded == 1 else "days"
    if short:
        return f"Median to first login: {rounded} {unit}"
    return f"Median time from chart creation to first portal login: {rounded} {unit}"


def describe(adoption: Adoption | None) -> str:
    """The whole chart in words, newest month first, then the median."""
    if adoption is None or not adoption.months:
        return EMPTY_WORDS + "."
    months = "; ".join(month_words(month) for month in reversed(adoption.months))
    return (
        f"Share of active patients by portal colour, newest month first. {months}. {median_words(adoption)}."
    )
