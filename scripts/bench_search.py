"""Time patient search at scale: prefix searches against a seeded clinic, median and p95 in ms.

    .venv/bin/python scripts/bench_seed.py --patients 1000000 --db sqlite:////tmp/bench.db
    .venv/bin/python scripts/bench_search.py --db sqlite:////tmp/bench.db

Prints each query's median and 95th percentile over repeated runs, the number of rows found,
and the ratio to the 20 ms target. Numbers, never a pass/fail: the machine is noisy.
"""

from __future__ import annotations

import argparse
import statistics
import time

from clinic_desk import Clinic

QUERIES = (
    "smi",  # a common last-name prefix: many matches, sorted, first 20 shown
    "john smi",  # first and last name
    "garc",
    "nguyen, m",
    "zzq",  # nothing
    "03/14/1980",  # date of birth
    "617-555",  # phone prefix
    "jsmith@",  # email prefix
    "100500",  # MRN
)


def main() -> int:
    """Run every query many times and print the timings."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", required=True, help="SQLAlchemy URL of a seeded clinic")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--limit", type=int, default=20, help="rows the type-ahead list asks for")
    args = parser.parse_args()
    with Clinic.open(args.db) as clinic:
        print(f"{clinic.describe_database()}: {sum(clinic.count_by_color().values()):,} patients")
        print(f"{'query':<14} {'found':>6} {'median ms':>10} {'p95 ms':>8} {'p95 / 20 ms':>12}")
        for query in QUERIES:
            clinic.staff.find_patients(query, limit=args.limit)  # warm the cache
            times = []
            found = 0
            for _ in range(args.repeat):
                start = time.perf_counter()
                found = len(clinic.staff.find_patients(query, limit=args.limit))
                times.append((time.perf_counter() - start) * 1000)
            times.sort()
            p95 = times[int(len(times) * 0.95) - 1]
            print(f"{query:<14} {found:>6} {statistics.median(times):>10.2f} {p95:>8.2f} {p95 / 20:>12.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
