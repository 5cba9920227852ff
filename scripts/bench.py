"""The one benchmark command: every figure of issue 14 on SQLite and PostgreSQL, against its goal.

    .venv/bin/python scripts/bench.py                       # everything, at 1,000,000 patients
    .venv/bin/python scripts/bench.py --only keystroke --only search
    .venv/bin/python scripts/bench.py --patients 100000     # a smaller clinic while developing
    .venv/bin/python scripts/bench.py --rebuild             # seed the cached databases again

The seeded clinics are built once and kept: a SQLite file under ~/.cache/clinic-desk-bench/
and the PostgreSQL database ``clinic_bench_<patients>`` on 127.0.0.1:5432 (CLINIC_BENCH_PG
names another server). They are built again with ``--rebuild``, or when this version of
Clinic Desk has a newer schema revision than the one they were seeded at.

Each figure script (scripts/bench_<name>.py) runs as its own process with ``--json PATH``,
and with ``--sqlite FILE --postgres URL`` when it measures an existing database (its
``--help`` says so); a script not there yet, or without ``--json``, is skipped with a note.
The table says each figure's value, goal, value/goal and ✓/✗; the run is saved with the
date and the machine to benchmarks/results/<date>-<time>.json, and the figures that got
more than 20 % worse than their newest saved value (same number of patients; a run made
with --only holds only its figures) are listed. Numbers, never pass/fail:
the exit status is 0 unless a figure script failed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_report import (
    format_table,
    got_worse,
    load_figures,
    previous_figures,
    sort_figures,
    table_rows,
)

ROOT = Path(__file__).resolve().parents[1]
#: The figure scripts, in the order of issue 14's table, and the extra arguments each gets.
FIGURES: dict[str, list[str]] = {
    "start": [],
    "open_patient": [],
    "counts": [],
    "roster": [],
    "seed": [],
    "search": [],
    "keystroke": [],
    "import": [],
}
#: Figure scripts that make their own fresh clinics: never handed the cached ones (an import
#: would change them for every later run; a seed builds a new clinic, in a new file).
OWN_CLINICS = frozenset({"import", "seed"})
CACHE = Path(os.environ.get("CLINIC_BENCH_CACHE", Path.home() / ".cache" / "clinic-desk-bench"))
PG_SERVER = os.environ.get("CLINIC_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
RESULTS = ROOT / "benchmarks" / "results"
FIGURE_TIMEOUT_S = 3600


# -- the cached clinics ------------------------------------------------------------------------------
def _stamp_path(kind: str, patients: int) -> Path:
    return CACHE / f"{kind}-{patients}.json"


def _stamp_says_current(kind: str, patients: int, revision: str) -> bool:
    stamp = _stamp_path(kind, patients)
    if not stamp.exists():
        return False
    facts = json.loads(stamp.read_text(encoding="utf-8"))
    return bool(facts.get("revision") == revision and facts.get("patients") == patients)


def _seed(url: str, patients: int) -> float:
    """Seed the demo clinic of ``patients`` charts at ``url``; returns the seconds it took."""
    from clinic_desk import Clinic
    from clinic_desk.demo import seed_demo

    last = [time.monotonic()]

    def progress(done: int, total: int) -> None:
        if time.monotonic() - last[0] >= 15 or done == total:
            print(f"    {done:>10,} / {total:,} charts", flush=True)
            last[0] = time.monotonic()

    started = time.perf_counter()
    with Clinic.open(url) as clinic:
        seed_demo(clinic, patients, progress=progress)
    return time.perf_counter() - started


def sqlite_clinic(patients: int, revision: str, rebuild: bool) -> Path:
    """The cached SQLite clinic file of ``patients`` charts, seeded when missing or stale."""
    path = CACHE / f"clinic-{patients}.db"
    if path.exists() and not rebuild and _stamp_says_current("sqlite", patients, revision):
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    print(f"  seeding {patients:,} charts into {path} ...", flush=True)
    seconds = _seed(f"sqlite:///{path}", patients)
    _write_stamp("sqlite", patients, revision, seconds)
    return path


def postgres_clinic(patients: int, revision: str, rebuild: bool) -> str:
    """The cached PostgreSQL clinic of ``patients`` charts, seeded when missing or stale."""
    from sqlalchemy import create_engine, text

    name = f"clinic_bench_{patients}"
    url = f"{PG_SERVER}/{name}"
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            cached = exists and not rebuild and _stamp_says_current("postgresql", patients, revision)
            if cached and _revision_at(url) == revision:
                return url
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    print(f"  seeding {patients:,} charts into PostgreSQL database {name} ...", flush=True)
    seconds = _seed(url, patients)
    _write_stamp("postgresql", patients, revision, seconds)
    return url


def _revision_at(url: str) -> str | None:
    from sqlalchemy import create_engine

    from clinic_desk.db import schema

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return schema.current_revision(connection)
    finally:
        engine.dispose()


def _write_stamp(kind: str, patients: int, revision: str, seconds: float) -> None:
    facts = {
        "patients": patients,
        "revision": revision,
        "seeded_at": _now().isoformat(),
        "seconds": round(seconds),
    }
    _stamp_path(kind, patients).write_text(json.dumps(facts, indent=2) + "\n", encoding="utf-8")


# -- the machine -------------------------------------------------------------------------------------
def machine(postgres_url: str | None) -> dict[str, Any]:
    """What the numbers were measured on: cores, memory, CPU, and the versions that matter."""
    facts: dict[str, Any] = {
        "cores": os.cpu_count(),
        "memory_gb": None,
        "cpu": platform.processor() or platform.machine(),
        "system": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": None,
        "commit": _git("rev-parse", "--short", "HEAD"),
    }
    try:
        meminfo = Path("/proc/meminfo").read_text(encoding="utf-8")
        kilobytes = next(
            int(line.split()[1]) for line in meminfo.splitlines() if line.startswith("MemTotal:")
        )
        facts["memory_gb"] = round(kilobytes / 1024 / 1024, 1)
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8")
        facts["cpu"] = next(
            line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    if postgres_url:
        from sqlalchemy import create_engine, text

        engine = create_engine(postgres_url)
        try:
            with engine.connect() as connection:
                facts["postgresql"] = connection.scalar(text("SHOW server_version"))
        finally:
            engine.dispose()
    return facts


def _git(*args: str) -> str | None:
    try:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


# -- running the figure scripts ----------------------------------------------------------------------
def script_help(script: Path) -> str:
    """The script's ``--help`` text ("" when it does not run)."""
    try:
        done = subprocess.run(
            [sys.executable, str(script), "--help"],
            capture_output=True,
            text=True,
            timeout=120,
            env=_env(),
            check=False,
        )
    except subprocess.TimeoutExpired:
        return ""
    return done.stdout if done.returncode == 0 else ""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


@dataclass
class Outcome:
    """What one figure script gave: its figures (tagged with its name), or why there are none."""

    figures: list[dict[str, Any]] = field(default_factory=list)
    note: str | None = None
    failed: bool = False


def run_figure(name: str, sqlite_file: Path | None, postgres_url: str | None, patients: int) -> Outcome:
    """Run scripts/bench_<name>.py with ``--json`` (and the cached clinics when it takes them)."""
    script = ROOT / "scripts" / f"bench_{name}.py"
    if not script.exists():
        return Outcome(note=f"skipped: {script.name} is not in this branch yet")
    usage = script_help(script)
    if "--json" not in usage:
        return Outcome(note=f"skipped: {script.name} does not take --json yet")
    with tempfile.TemporaryDirectory(prefix="clinic-bench-") as folder:
        out = Path(folder) / "figures.json"
        command = [sys.executable, str(script), "--json", str(out), *FIGURES.get(name, [])]
        cached = name not in OWN_CLINICS
        if cached and "--sqlite" in usage and sqlite_file is not None:
            command += ["--sqlite", str(sqlite_file)]
        if cached and "--postgres" in usage and postgres_url is not None:
            command += ["--postgres", postgres_url]
        if "--pg-patients" in usage and postgres_url is not None:
            command += ["--pg-patients", str(patients)]  # a never-analysed clinic of the same size
        if "--patients" in usage and not ({"--sqlite", "--postgres"} & set(command)):
            command += ["--patients", str(patients)]  # a script that builds its own clinic (the seed)
        print(f"\n== {name}: {' '.join(command[1:])}", flush=True)
        started = time.perf_counter()
        try:
            done = subprocess.run(command, cwd=ROOT, env=_env(), timeout=FIGURE_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            return Outcome(note=f"{script.name} ran over {FIGURE_TIMEOUT_S} s and was stopped", failed=True)
        print(f"   ({time.perf_counter() - started:.0f} s)", flush=True)
        if done.returncode != 0 or not out.exists():
            return Outcome(note=f"{script.name} failed (exit status {done.returncode})", failed=True)
        figures = json.loads(out.read_text(encoding="utf-8"))
    return Outcome([{"figure": name, **item} for item in figures])


def main() -> int:
    """Build (or reuse) the seeded clinics, run every figure script, print the table, save the run."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=list(FIGURES),
        metavar="NAME",
        help=f"one of {', '.join(FIGURES)} (repeatable)",
    )
    parser.add_argument("--patients", type=int, default=1_000_000, help="charts in the cached clinics")
    parser.add_argument("--rebuild", action="store_true", help="seed the cached clinics again")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--build-only", action="store_true", help="build the cached clinics, run nothing")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where runs are saved")
    parser.add_argument(
        "--compare", type=Path, help="a saved run to compare with (default: each figure's newest saved value)"
    )
    args = parser.parse_args()

    from clinic_desk.db import schema

    revision = schema.head_revision()
    names = args.only or list(FIGURES)
    started = _now()
    print(
        f"Clinic databases of {args.patients:,} patients (schema {revision}), cached in {CACHE}:", flush=True
    )
    sqlite_file = sqlite_clinic(args.patients, revision, args.rebuild)
    print(f"  SQLite: {sqlite_file}")
    postgres_url = None if args.no_postgres else postgres_clinic(args.patients, revision, args.rebuild)
    if postgres_url:
        print(f"  PostgreSQL: {postgres_url}")
    if args.build_only:
        return 0

    figures: list[dict[str, Any]] = []
    notes: list[str] = []
    failed = False
    for name in names:
        outcome = run_figure(name, sqlite_file, postgres_url, args.patients)
        figures += outcome.figures
        if outcome.note:
            notes.append(f"{name}: {outcome.note}")
        failed = failed or outcome.failed
    figures = sort_figures(figures, list(FIGURES))

    print(f"\nIssue 14 figures, {args.patients:,} patients, {started:%Y-%m-%d %H:%M} UTC")
    print(format_table(table_rows(figures)))
    for note in notes:
        print(f"  {note}")

    args.results.mkdir(parents=True, exist_ok=True)
    saved = args.results / f"{started:%Y-%m-%d-%H%M}.json"
    run = {
        "date": started.isoformat(),
        "patients": args.patients,
        "schema_revision": revision,
        "machine": machine(postgres_url),
        "figures": figures,
        "skipped": notes,
    }
    saved.write_text(json.dumps(run, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nSaved to {saved.relative_to(ROOT) if saved.is_relative_to(ROOT) else saved}")
    if args.compare:
        before, sources = load_figures(args.compare), [args.compare.name]
    else:
        before, sources = previous_figures(args.results, saved, patients=args.patients)
    if before:
        worse = got_worse(before, figures)
        print(
            f"Compared with {', '.join(sources)}: "
            + ("nothing got more than 20 % worse." if not worse else "worse by more than 20 %:")
        )
        for line in worse:
            print(f"  {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
