"""The figures a benchmark script hands to ``scripts/bench.py``: one JSON list, written with ``--json PATH``.

Each figure is ``{"what", "database", "value", "unit", "goal", "lower_is_better"}``; ``database`` is
"sqlite" or "postgresql", ``unit`` one of ms, s, MB, ratio, count, and ``goal`` a number or null.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

UNITS = ("ms", "s", "MB", "ratio", "count")


def figure(
    what: str,
    database: str,
    value: float,
    unit: str,
    goal: float | None = None,
    *,
    lower_is_better: bool = True,
) -> dict[str, Any]:
    """One measured number, as ``bench.py`` reads it."""
    if database not in ("sqlite", "postgresql"):
        raise ValueError(f"database must be sqlite or postgresql, not {database!r}")
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
    return {
        "what": what,
        "database": database,
        "value": round(float(value), 3),
        "unit": unit,
        "goal": goal,
        "lower_is_better": lower_is_better,
    }


def write_json(path: str | Path | None, figures: Sequence[dict[str, Any]]) -> None:
    """Write ``figures`` to ``path`` (nothing when no path was given)."""
    if path:
        Path(path).write_text(
            json.dumps(list(figures), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )


def database_kind(url: str) -> str:
    """ "sqlite" or "postgresql" for a SQLAlchemy URL."""
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def sqlite_url(path: str | Path) -> str:
    """The SQLAlchemy URL of a SQLite file given as a path (or already as a URL)."""
    text = str(path)
    return text if text.startswith("sqlite:") else f"sqlite:///{Path(text).resolve()}"


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (``share`` 0.95 for p95) of ``values``."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]
