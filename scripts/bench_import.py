"""Time `clinic-desk import` of 100,000 patients, as CSV, FHIR NDJSON and a FHIR Bundle, with its peak memory.

    .venv/bin/python scripts/bench_import.py                    # the three files on SQLite and PostgreSQL
    .venv/bin/python scripts/bench_import.py --sqlite --rows 20000 --json import.json

The files are generated under a temporary folder in /tmp (synthetic people, every row valid),
then each is imported into a fresh, empty clinic by its own child process, exactly as a user
types it (`clinic-desk --db URL import FILE`): the wall time runs from that process's start to
its exit, and the peak resident memory is the child's own (``os.wait4``). A second run of the
same CSV (every chart matched, nothing changed) shows the nightly re-import. Goal (issue 16):
100,000 rows in 60 s on each database, memory flat.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.databases import new_postgres_database  # noqa: E402 (after the path above)

PG_SERVER = os.environ.get("CLINIC_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
GOAL_SECONDS = 60.0
FIRST = ("Ana", "Bo", "Cyrus", "Dana", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jo", "Kai", "Lena", "Mo")
LAST = ("Lopez", "Ek", "Nguyen", "Smith", "O'Brien", "Müller", "Kowalski", "Park", "Diaz", "Chen", "Ross")
STATES = ("MA", "NY", "CA", "TX", "IL", "OH", "WA")


def people(rows: int) -> Iterator[dict[str, str]]:
    """Synthetic, valid, distinct patients (MRN, name, birthday, sex, email, phone, address)."""
    for n in range(rows):
        first, last = FIRST[n % len(FIRST)], LAST[(n // len(FIRST)) % len(LAST)]
        yield {
            "mrn": f"EHR-{n:07d}",
            "first": first,
            "last": f"{last}{n // 143}",
            "born": f"{1930 + n % 90}-{1 + n % 12:02d}-{1 + n % 28:02d}",
            "sex": "FM"[n % 2],
            "email": f"p{n}@example.com" if n % 5 else "",
            "phone": f"617555{n % 10000:04d}",
            "street": f"{n % 999 + 1} Main St",
            "city": "Springfield",
            "state": STATES[n % len(STATES)],
            "zip": f"{n % 99999:05d}" if n % 7 else "",
        }


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(
            (
                "MRN",
                "First Name",
                "Last Name",
                "DOB",
                "Sex",
                "Email",
                "Phone",
                "Address",
                "City",
                "State",
                "Zip",
            )
        )
        for p in people(rows):
            out.writerow(p.values())


def fhir_patients(rows: int) -> Iterator[dict[str, object]]:
    mr = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]}
    for p in people(rows):
        telecom = [{"system": "phone", "value": p["phone"]}]
        if p["email"]:
            telecom.append({"system": "email", "value": p["email"]})
        yield {
            "resourceType": "Patient",
            "identifier": [{"type": mr, "value": p["mrn"]}],
            "name": [{"use": "official", "family": p["last"], "given": [p["first"]]}],
            "gender": "female" if p["sex"] == "F" else "male",
            "birthDate": p["born"],
            "telecom": telecom,
            "address": [
                {"use": "home", "line": [p["street"]], "city": p["city"], "state": p["state"],
                 "postalCode": p["zip"]}
            ],
        }  # fmt: skip


def write_ndjson(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for resource in fhir_patients(rows):
            handle.write(json.dumps(resource, separators=(",", ":")) + "\n")


def write_bundle(path: Path, rows: int) -> None:
    """One Bundle, each Patient after an Encounter entry (which the import ignores)."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write('{"resourceType":"Bundle","type":"collection","entry":[')
        for n, resource in enumerate(fhir_patients(rows)):
            other = {"resource": {"resourceType": "Encounter", "status": "finished"}}
            handle.write(("," if n else "") + json.dumps(other) + "," + json.dumps({"resource": resource}))
        handle.write("]}\n")


@dataclass(frozen=True)
class ImportRun:
    """One `clinic-desk import` child process."""

    database: str
    kind: str  # "csv", "ndjson", "bundle", "csv again"
    rows: int
    seconds: float
    peak_mb: float
    cpu_seconds: float
    summary: str


def _child(command: list[str]) -> tuple[float, float, float, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        out.seek(0)
        output = out.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command[2:])} failed:\n{output}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, output


def run_import(url: str, file: Path, database: str, kind: str, rows: int) -> ImportRun:
    """Import the file in a child process (the clinic made first, not timed)."""
    seconds, peak, cpu, output = _child(
        [sys.executable, "-m", "clinic_desk", "--db", url, "import", str(file)]
    )
    return ImportRun(database, kind, rows, seconds, peak, cpu, output.splitlines()[0] if output else "")


def measurements(run: ImportRun) -> list[dict[str, object]]:
    """The run as entries of the common benchmark JSON."""
    what = f"import {run.rows:,} rows ({run.kind})"
    return [
        {"what": f"{what}: wall time", "database": run.database, "value": round(run.seconds, 2), "unit": "s",
         "goal": GOAL_SECONDS, "lower_is_better": True},
        {"what": f"{what}: rows per second", "database": run.database,
         "value": round(run.rows / run.seconds), "unit": "rows/s", "goal": None, "lower_is_better": False},
        {"what": f"{what}: peak RSS", "database": run.database, "value": round(run.peak_mb, 1), "unit": "MB",
         "goal": None, "lower_is_better": True},
    ]  # fmt: skip


def _row(run: ImportRun) -> str:
    return (
        f"{run.database:<11} {run.kind:<10} {run.rows:>9,} {run.seconds:>7.1f} s"
        f" ({run.seconds / GOAL_SECONDS:4.2f}× goal)"
        f" {run.rows / run.seconds:>8,.0f} rows/s {run.peak_mb:>6.0f} MB  (its CPU {run.cpu_seconds:.1f} s)"
        f"  {run.summary}"
    )


def _fresh_clinic(made: ExitStack, database: str, folder: Path, name: str) -> str:
    if database == "sqlite":
        url = f"sqlite:///{folder / (name + '.db')}"
    else:
        url = made.enter_context(new_postgres_database(PG_SERVER, f"clinic_bench_import_{name}"))
    _child([sys.executable, "-m", "clinic_desk", "--db", url, "db", "upgrade"])
    return url


def main() -> int:
    """Generate the files, import each into fresh clinics, print a table and (with --json) save it."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--sqlite", action="store_true", help="SQLite only (default: SQLite and PostgreSQL)")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL only")
    parser.add_argument("--json", metavar="PATH", help="also write the numbers as JSON")
    args = parser.parse_args()
    wanted = [name for name, flag in (("sqlite", args.sqlite), ("postgresql", args.postgres)) if flag]
    runs: list[ImportRun] = []
    with (
        tempfile.TemporaryDirectory(prefix="clinic-bench-import-", dir="/tmp") as folder,
        ExitStack() as made,
    ):
        files = {
            "csv": Path(folder) / "patients.csv",
            "ndjson": Path(folder) / "Patient.000.ndjson",
            "bundle": Path(folder) / "bundle.json",
        }
        write_csv(files["csv"], args.rows)
        write_ndjson(files["ndjson"], args.rows)
        write_bundle(files["bundle"], args.rows)
        for database in wanted or ["sqlite", "postgresql"]:
            for kind, file in files.items():
                url = _fresh_clinic(made, database, Path(folder), kind)
                print(f"importing {args.rows:,} rows ({kind}) on {database}...", file=sys.stderr, flush=True)
                runs.append(run_import(url, file, database, kind, args.rows))
                if kind == "csv":
                    runs.append(run_import(url, file, database, "csv again", args.rows))
    print(f"{'database':<11} {'file':<10} {'rows':>9} {'wall time':>9}")
    for run in runs:
        print(_row(run))
    if args.json:
        entries = [entry for run in runs for entry in measurements(run)]
        Path(args.json).write_text(json.dumps(entries, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
