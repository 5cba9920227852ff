"""Time the portal roster at scale: a page of 100 rows by every sort, and the roster's counts.

    .venv/bin/python scripts/bench_roster.py                       # builds 1M SQLite and PostgreSQL demos
    .venv/bin/python scripts/bench_roster.py --sqlite /tmp/1m.db --postgres postgresql+psycopg://...
    .venv/bin/python scripts/bench_roster.py --patients 100000 --json roster.json

For each sort (name, MRN, date of birth, colour), both ways, with no filter and with each
colour's filter, pages are fetched from the top and from a random chart's place in the
list (as a scroll bar dragged there, then the next pages, each from the last row of the one
before; a list of one colour lands only on that colour's places): p50 and p95 in ms of all those
fetches per sort and filter kind, against the 100 ms goal. The counts are timed without
text (the kept counts) and with a typed name. Numbers, never a pass/fail.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_counts import percentile, run_on_both
from sqlalchemy import func, select

from clinic_desk import Clinic
from clinic_desk.db.models import Patient
from clinic_desk.db.roster import sort_key
from clinic_desk.domain import codes
from clinic_desk.domain.roster import ROSTER_SORTS, RosterFilter

GOAL_MS = 100.0
PAGE = 100


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = call()
    return (time.perf_counter() - started) * 1000, value


def _random_key(
    clinic: Clinic, wanted: RosterFilter, sort: Any, rng: random.Random
) -> tuple[Any, ...] | None:
    """The sort key of a random chart on this list: where a dragged scroll bar lands (a list of
    one colour holds only that colour's places)."""
    same = [] if wanted.color is None else [Patient.color_rank == codes.COLORS.index(wanted.color)]
    with clinic.reading() as session:
        if same and session.scalar(select(Patient.id).where(*same).limit(1)) is None:
            return None  # nobody has that colour: the list is empty, from the top
        top = int(session.scalar(select(func.max(Patient.id))) or 1)
        for _ in range(20):
            row = session.execute(
                select(*sort_key(sort))
                .where(Patient.id >= rng.randint(1, top), *same)
                .order_by(Patient.id)
                .limit(1)
            ).first()
            if row is not None:
                return tuple(row)
    return None  # that colour's list is empty (or nearly): from the top


def _pages(clinic: Clinic, wanted: RosterFilter, sort: Any, rng: random.Random, repeat: int) -> list[float]:
    times: list[float] = []
    for turn in range(repeat):
        descending = turn % 2 == 1
        after = None if turn % 3 == 0 else _random_key(clinic, wanted, sort, rng)
        for _ in range(3):  # that page and the next two, as the list scrolls on
            took, page = _timed(
                lambda after=after, descending=descending: clinic.roster(
                    wanted, sort=sort, descending=descending, after=after, limit=PAGE
                )
            )
            times.append(took)
            if page.next_after is None:
                break
            after = page.next_after
    return times


def _figure(name: str, database: str, patients: int, times: list[float]) -> list[dict[str, Any]]:
    p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
    print(f"  {name:<34} {p50:>8.1f} {p95:>8.1f} {p95 / GOAL_MS:>11.2f}")
    return [
        {
            "what": f"{name} {label} at {patients:,} patients",
            "database": database,
            "value": round(value, 2),
            "unit": "ms",
            "goal": GOAL_MS if label == "p95" else None,
            "lower_is_better": True,
        }
        for label, value in (("p50", p50), ("p95", p95))
    ]


def measure(clinic: Clinic, database: str, repeat: int) -> list[dict[str, Any]]:
    """p50 and p95 of page fetches by sort and filter, and of the counts."""
    rng = random.Random(15)
    patients = clinic.roster_counts().total  # also classifies anything loaded around the services
    print(f"{clinic.describe_database()}: {patients:,} patients")
    print(f"  {'what':<34} {'p50 ms':>8} {'p95 ms':>8} {'p95 / goal':>11}")
    results: list[dict[str, Any]] = []
    for sort in ROSTER_SORTS:
        clinic.roster(sort=sort)  # warm the cache
        results += _figure(
            f"roster page by {sort}", database, patients, _pages(clinic, RosterFilter(), sort, rng, repeat)
        )
        coloured: list[float] = []
        for color in codes.COLORS:
            coloured += _pages(clinic, RosterFilter(color=color), sort, rng, max(3, repeat // 3))
        results += _figure(f"roster page by {sort}, one colour", database, patients, coloured)
    for label, text in (("roster counts", ""), ("roster counts, typed name", "smi")):
        clinic.roster_counts(text)
        times = [_timed(lambda text=text: clinic.roster_counts(text))[0] for _ in range(repeat)]
        results += _figure(label, database, patients, times)
    return results


def main() -> int:
    """Measure the roster on SQLite and PostgreSQL and print (and save) the numbers."""
    return run_on_both(__doc__, measure, name="roster", repeat=12)


if __name__ == "__main__":
    raise SystemExit(main())
