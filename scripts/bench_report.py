"""What ``scripts/bench.py`` prints and saves: the table against the goals, and what got worse.

Pure functions over the figures the benchmark scripts write (see ``bench_json.py``), so a
test can run them on hand-made JSON; no timing happens here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

#: A figure "got worse" when it moved the wrong way by more than this share of the previous run.
WORSE_SHARE = 0.20
DATABASE_ORDER = {"sqlite": 0, "postgresql": 1}


def ratio(item: dict[str, Any]) -> float | None:
    """value / goal (None without a goal, or with a goal of 0)."""
    goal = item.get("goal")
    if goal in (None, 0):
        return None
    return float(item["value"]) / float(goal)


def meets_goal(item: dict[str, Any]) -> bool | None:
    """True when the figure meets its goal, False when it misses, None without a goal."""
    if item.get("goal") is None:
        return None
    value, goal = float(item["value"]), float(item["goal"])
    return value <= goal if item.get("lower_is_better", True) else value >= goal


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "–"
    if abs(value) >= 100 or float(value).is_integer():
        text = f"{value:,.0f}"
    else:
        text = f"{value:.3g}" if abs(value) < 1 else f"{value:.1f}"
    return f"{text} {unit}".rstrip()


def table_rows(figures: Iterable[dict[str, Any]]) -> list[list[str]]:
    """One row per figure: figure, database, value, goal, ratio value/goal, ✓ or ✗ (blank: no goal)."""
    rows = []
    for item in figures:
        unit = item.get("unit", "")
        met = meets_goal(item)
        share = ratio(item)
        rows.append(
            [
                f"{item.get('figure', '')}: {item['what']}" if item.get("figure") else item["what"],
                item["database"],
                _number(item["value"], unit),
                _number(item.get("goal"), unit) if item.get("goal") is not None else "–",
                "–" if share is None else f"{share:.2f}",
                "" if met is None else ("✓" if met else "✗"),
            ]
        )
    return rows


def format_table(rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table with a header, columns padded to their widest cell."""
    header = ["figure", "database", "value", "goal", "value/goal", ""]
    every = [header, *rows]
    widths = [max(len(row[column]) for row in every) for column in range(len(header))]
    lines = []
    for number, row in enumerate(every):
        cells = [
            cell.ljust(width) if column < 2 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _key(item: dict[str, Any]) -> tuple[str, str, str]:
    return (item.get("figure", ""), item["what"], item["database"])


def got_worse(previous: Iterable[dict[str, Any]], current: Iterable[dict[str, Any]]) -> list[str]:
    """One line per figure that moved the wrong way by more than WORSE_SHARE since ``previous``."""
    before = {_key(item): item for item in previous}
    lines = []
    for item in current:
        old = before.get(_key(item))
        if old is None or not old["value"]:
            continue
        new_value, old_value = float(item["value"]), float(old["value"])
        change = (new_value - old_value) / abs(old_value)
        if not item.get("lower_is_better", True):
            change = -change
        if change > WORSE_SHARE:
            unit = item.get("unit", "")
            lines.append(
                f"{table_rows([item])[0][0]} ({item['database']}): {_number(old_value, unit)} → "
                f"{_number(new_value, unit)} ({change:+.0%} worse)"
            )
    return lines


def sort_figures(figures: Iterable[dict[str, Any]], order: Sequence[str]) -> list[dict[str, Any]]:
    """Figures in the run's order of figure scripts, SQLite before PostgreSQL within each."""
    place = {name: number for number, name in enumerate(order)}
    return sorted(
        figures,
        key=lambda item: (
            place.get(item.get("figure", ""), len(place)),
            DATABASE_ORDER.get(item["database"], 2),
        ),
    )


def previous_figures(
    folder: Path, current: Path | None = None, *, patients: int | None = None
) -> tuple[list[dict[str, Any]], list[str]]:
    """Each figure's newest earlier value in ``folder`` (runs with ``--only`` hold a few figures).

    Returns the figures and the names of the runs they come from, newest first.
    """
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    sources: list[str] = []
    for path in sorted(folder.glob("*.json"), reverse=True):
        if path == current:
            continue
        run = json.loads(path.read_text(encoding="utf-8"))
        if patients is not None and run.get("patients") != patients:
            continue
        fresh = [item for item in run["figures"] if _key(item) not in found]
        for item in fresh:
            found[_key(item)] = item
        if fresh:
            sources.append(path.name)
    return list(found.values()), sources


def load_figures(path: Path) -> list[dict[str, Any]]:
    """The figures of a saved result (or a bare list as a benchmark script writes it)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return list(data["figures"] if isinstance(data, dict) else data)
