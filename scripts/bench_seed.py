"""Time the demo seed (showcase + bulk charts) on SQLite and PostgreSQL and print rows/second.

    .venv/bin/python scripts/bench_seed.py --patients 1000000 --db sqlite
    .venv/bin/python scripts/bench_seed.py --patients 1000000 --db postgresql
    .venv/bin/python scripts/bench_seed.py --patients 200000 --db sqlite:////tmp/bench.db

"sqlite" makes a fresh file in a temporary folder; "postgresql" makes a fresh database on
127.0.0.1:5432 (user postgres) and drops it afterwards unless --keep is given.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from clinic_desk import Clinic
from clinic_desk.demo import seed_bulk, seed_showcase
from tests.databases import new_postgres_database

PG_SERVER = os.environ.get("CLINIC_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")


def main() -> int:
    """Seed a fresh database and report the timings."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--patients", type=int, default=1_000_000)
    parser.add_argument(
        "--db", default="sqlite", help="sqlite, postgresql or a SQLAlchemy URL of an empty clinic"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database made for the run")
    args = parser.parse_args()

    folder = None
    made = ExitStack()  # drops the PostgreSQL database made for the run (unless --keep)
    if args.db == "sqlite":
        folder = tempfile.mkdtemp(prefix="clinic-bench-")
        url = f"sqlite:///{Path(folder) / 'clinic.db'}"
    elif args.db == "postgresql":
        url = made.enter_context(new_postgres_database(PG_SERVER, "clinic_bench", keep=args.keep))
    else:
        url = args.db
    try:
        clinic = Clinic.open(url)
        print(f"database: {clinic.describe_database()}")
        started = time.perf_counter()
        ids = seed_showcase(clinic)
        showcase_seconds = time.perf_counter() - started
        bulk = max(0, args.patients - len(ids))
        last_report = [started]

        def progress(done: int, total: int) -> None:
            now = time.perf_counter()
            if now - last_report[0] >= 10 or done == total:
                print(f"  {done:>10,} / {total:,} bulk charts", file=sys.stderr)
                last_report[0] = now

        bulk_started = time.perf_counter()
        seed_bulk(clinic, bulk, progress=progress)
        bulk_seconds = time.perf_counter() - bulk_started
        total_seconds = time.perf_counter() - started
        counted_started = time.perf_counter()
        counts = clinic.count_by_color()
        count_seconds = time.perf_counter() - counted_started
        clinic.close()
        print(f"showcase: {len(ids)} charts through the facade in {showcase_seconds:.1f} s")
        print(
            f"bulk:     {bulk:,} charts in {bulk_seconds:.1f} s = "
            f"{bulk / bulk_seconds if bulk_seconds else 0:,.0f} rows/s (patients + portal_accounts pairs)"
        )
        print(
            f"total:    {args.patients:,} charts in {total_seconds:.1f} s"
            f" = {args.patients / total_seconds:,.0f} rows/s"
        )
        print(f"colours:  {counts} (counted in SQL in {count_seconds:.1f} s)")
        if folder:
            size = (Path(folder) / "clinic.db").stat().st_size
            print(f"file:     {size / 1e6:,.0f} MB" + (f" at {folder}" if args.keep else ""))
    finally:
        made.close()
        if folder and not args.keep:
            for path in Path(folder).iterdir():
                path.unlink()
            os.rmdir(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
