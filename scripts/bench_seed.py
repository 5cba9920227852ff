"""Time `clinic-desk seed-demo` as a whole process, with its peak memory, on SQLite and PostgreSQL.

    .venv/bin/python scripts/bench_seed.py --patients 1000000
    .venv/bin/python scripts/bench_seed.py --patients 100000 --db sqlite --json seed.json
    .venv/bin/python scripts/bench_seed.py --sqlite /data/demo-1m.db --postgres postgresql+psycopg://postgres@127.0.0.1/demo_1m

Each seed runs in its own child process, exactly as a user types it; the wall time
runs from the start of that process to its exit, and the peak resident memory is the
child's own (``os.wait4``). By default a fresh SQLite file (in a temporary folder) and a
fresh PostgreSQL database on 127.0.0.1:5432 are made and dropped afterwards.
``--sqlite FILE`` / ``--postgres URL`` build the demo there instead and keep it, so the
other benchmarks can reuse that seeded database (the file must not exist yet; the
PostgreSQL database must exist and be empty).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.databases import new_postgres_database  # noqa: E402 (after the path above)

PG_SERVER = os.environ.get("CLINIC_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
GOAL_SECONDS = 60.0
GOAL_MB = 300.0


@dataclass(frozen=True)
class SeedRun:
    """One `seed-demo` child process: how long it ran and its peak memory."""

    database: str  # "sqlite" | "postgresql"
    patients: int
    seconds: float
    peak_mb: float
    cpu_seconds: float  # the child's own user + system time (a busy machine stretches the wall time)
    output: str


def run_seed(url: str, patients: int, database: str) -> SeedRun:
    """Run `clinic-desk --db URL seed-demo --patients N` in a child process and measure it."""
    command = [sys.executable, "-m", "clinic_desk", "--db", url, "seed-demo", "--patients", str(patients)]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read().decode(errors="replace")
    if child.returncode != 0:
        raise SystemExit(f"seed-demo failed on {database} (exit {child.returncode}):\n{output}")
    # ru_maxrss is in KiB on Linux.
    cpu = usage.ru_utime + usage.ru_stime
    return SeedRun(database, patients, seconds, usage.ru_maxrss / 1024, cpu, output)


def measurements(run: SeedRun) -> list[dict[str, object]]:
    """The run as entries of the common benchmark JSON."""
    what = f"seed-demo --patients {run.patients:,}"
    return [
        {
            "what": f"{what}: wall time",
            "database": run.database,
            "value": round(run.seconds, 2),
            "unit": "s",
            "goal": GOAL_SECONDS,
            "lower_is_better": True,
        },
        {
            "what": f"{what}: CPU time of the seed process",
            "database": run.database,
            "value": round(run.cpu_seconds, 2),
            "unit": "s",
            "goal": None,
            "lower_is_better": True,
        },
        {
            "what": f"{what}: peak RSS",
            "database": run.database,
            "value": round(run.peak_mb, 1),
            "unit": "MB",
            "goal": GOAL_MB,
            "lower_is_better": True,
        },
    ]


def _row(run: SeedRun) -> str:
    rate = run.patients / run.seconds if run.seconds else 0.0
    return (
        f"{run.database:<11} {run.patients:>11,} {run.seconds:>8.1f} s"
        f" ({run.seconds / GOAL_SECONDS:4.2f}× goal)"
        f" {run.peak_mb:>7.0f} MB ({run.peak_mb / GOAL_MB:4.2f}× goal)  {rate:>9,.0f} charts/s"
        f"  (its CPU {run.cpu_seconds:.1f} s, load average {os.getloadavg()[0]:.1f})"
    )


def main() -> int:
    """Seed the asked databases, print a table and (with --json) save the numbers."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--patients", type=int, default=1_000_000)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--sqlite", metavar="FILE", help="build the SQLite demo in this new file and keep it")
    parser.add_argument("--postgres", metavar="URL", help="build the PostgreSQL demo in this empty database")
    parser.add_argument("--json", metavar="PATH", help="also write the numbers as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the databases made for the run")
    parser.add_argument("--show-output", action="store_true", help="print what seed-demo printed")
    args = parser.parse_args()

    wanted = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    if args.sqlite or args.postgres:
        wanted = [name for name, given in (("sqlite", args.sqlite), ("postgresql", args.postgres)) if given]
    runs: list[SeedRun] = []
    with ExitStack() as made:
        for database in wanted:
            if database == "sqlite":
                if args.sqlite:
                    if Path(args.sqlite).exists():
                        raise SystemExit(f"{args.sqlite} already exists: seed-demo builds a new clinic")
                    url = f"sqlite:///{Path(args.sqlite).resolve()}"
                else:
                    folder = tempfile.mkdtemp(prefix="clinic-bench-seed-")
                    url = f"sqlite:///{Path(folder) / 'clinic.db'}"
                    if args.keep:
                        print(f"keeping {url}")
                    else:
                        made.callback(_remove_folder, Path(folder))
            else:
                url = args.postgres or made.enter_context(
                    new_postgres_database(PG_SERVER, "clinic_bench_seed", keep=args.keep)
                )
            print(f"seeding {args.patients:,} patients on {database}...", file=sys.stderr, flush=True)
            run = run_seed(url, args.patients, database)
            if args.show_output:
                print(run.output)
            runs.append(run)
    print(f"{'database':<11} {'patients':>11} {'wall time':>10} {'':>13} {'peak RSS':>10}")
    for run in runs:
        print(_row(run))
    if args.json:
        entries = [entry for run in runs for entry in measurements(run)]
        Path(args.json).write_text(json.dumps(entries, indent=2) + "\n", encoding="utf-8")
    return 0


def _remove_folder(folder: Path) -> None:
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()


if __name__ == "__main__":
    raise SystemExit(main())
