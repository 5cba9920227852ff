"""Time the clinic-wide counts at scale: by colour, by red reason and by trouble spot.

    .venv/bin/python scripts/bench_counts.py                       # builds 1M SQLite and PostgreSQL demos
    .venv/bin/python scripts/bench_counts.py --sqlite /tmp/1m.db --postgres postgresql+psycopg://...
    .venv/bin/python scripts/bench_counts.py --patients 100000 --json counts.json

Each count is called --repeat times (after one warm-up call); prints p50 and p95 in ms and
the ratio of p95 to the 100 ms goal. Databases made for the run are seeded with
``clinic-desk seed-demo`` (slow at 1M) and dropped afterwards unless --keep is given.
Numbers, never a pass/fail: the machine is noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from clinic_desk import Clinic
from tests.databases import new_postgres_database

PG_SERVER = os.environ.get("CLINIC_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
GOAL_MS = 100.0


def seed(url: str, patients: int) -> None:
    """Build the demo clinic with the command line, as a clinic would."""
    command = [sys.executable, "-m", "clinic_desk", "seed-demo", "--patients", str(patients), "--db", url]
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    print(f"  seeded {patients:,} patients in {time.perf_counter() - started:.0f} s")


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[max(0, round(len(ordered) * share) - 1)]


def measure(clinic: Clinic, database: str, repeat: int) -> list[dict[str, Any]]:
    """p50 and p95 of each count on one clinic."""
    calls: dict[str, Callable[[], dict[str, int]]] = {
        "count_by_color": lambda: dict(clinic.count_by_color()),
        "count_by_reason": clinic.count_by_reason,
        "count_by_trouble": clinic.count_by_trouble,
    }
    results: list[dict[str, Any]] = []
    patients = sum(clinic.count_by_color().values())
    print(f"{clinic.describe_database()}: {patients:,} patients")
    print(f"  {'count':<18} {'p50 ms':>8} {'p95 ms':>8} {'p95 / goal':>11}")
    for name, call in calls.items():
        call()  # warm the cache
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
        p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
        print(f"  {name:<18} {p50:>8.1f} {p95:>8.1f} {p95 / GOAL_MS:>11.2f}")
        for label, value in (("p50", p50), ("p95", p95)):
            results.append(
                {
                    "what": f"{name} {label} at {patients:,} patients",
                    "database": database,
                    "value": round(value, 2),
                    "unit": "ms",
                    "goal": GOAL_MS if label == "p95" else None,
                    "lower_is_better": True,
                }
            )
    return results


def run_on_both(
    description: str | None,
    measure_one: Callable[[Clinic, str, int], list[dict[str, Any]]],
    *,
    name: str,
    repeat: int,
) -> int:
    """The command line the counts and roster benchmarks share: seed (or reuse) a SQLite file
    and a PostgreSQL database, measure each, print, and save the numbers as JSON."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--patients", type=int, default=1_000_000, help="size of the databases built here")
    parser.add_argument("--sqlite", help="an already seeded SQLite file to reuse")
    parser.add_argument("--postgres", help="the URL of an already seeded PostgreSQL clinic to reuse")
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="measure one database")
    parser.add_argument("--repeat", type=int, default=repeat)
    parser.add_argument("--keep", action="store_true", help="keep the databases built for the run")
    parser.add_argument("--json", type=Path, help="also write the numbers to this JSON file")
    args = parser.parse_args()

    results: list[dict[str, Any]] = []
    with ExitStack() as made:
        if args.only != "postgresql":
            if args.sqlite:
                url = f"sqlite:///{Path(args.sqlite).resolve()}"
            else:
                folder = Path(tempfile.mkdtemp(prefix=f"clinic-bench-{name}-"))
                url = f"sqlite:///{folder / 'clinic.db'}"
                if not args.keep:
                    made.callback(shutil.rmtree, folder, ignore_errors=True)
                seed(url, args.patients)
            with Clinic.open(url) as clinic:
                results += measure_one(clinic, "sqlite", args.repeat)
        if args.only != "sqlite":
            url = args.postgres
            if not url:
                url = made.enter_context(
                    new_postgres_database(PG_SERVER, f"clinic_bench_{name}", keep=args.keep)
                )
                seed(url, args.patients)
            with Clinic.open(url) as clinic:
                results += measure_one(clinic, "postgresql", args.repeat)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


def main() -> int:
    """Measure the counts on SQLite and PostgreSQL and print (and save) the numbers."""
    return run_on_both(__doc__, measure, name="counts", repeat=30)


if __name__ == "__main__":
    raise SystemExit(main())
