"""How fast the clinic-wide audit log reads at scale: ``clinic.audit(...)`` pages over a big log.

    PYTHONPATH=$PWD python scripts/bench_audit_log.py                 # 1,000,000 entries
    PYTHONPATH=$PWD python scripts/bench_audit_log.py --rows 50000    # a quick run

Fills ``audit_log`` of a new SQLite file and a new PostgreSQL database (tests/databases.py)
with ``--rows`` entries in bulk, then times each kind of page the audit viewer asks for,
``--repeat`` times each, and prints p50/p95 in milliseconds. Entries look like a clinic's
(40 staff, 10 workstations, the usual actions, 100,000 patients, two years) but their hash
chain is NOT valid: the fill writes placeholder hashes for speed, so ``clinic.verify_audit()``
would report the log as tampered with. That is fine here: only reads are timed.

Wide date ranges (hundreds of thousands of entries) are shown but not held to ``--limit-ms``:
their cost grows with the entries in the range.

Like the app, the benchmark never runs ANALYZE (autovacuum is off on the test server): the
plans must be good without table statistics.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from clinic_desk import Clinic
from tests import databases

STAFF = [f"staff.{number:02d}" for number in range(40)]
DESKS = [f"desk-{number}" for number in range(10)]
# (action, share of entries, names a patient)
ACTIONS = [
    ("chart_opened", 55, True),
    ("update_contact", 12, True),
    ("chart_printed", 6, True),
    ("send_invitation", 6, True),
    ("add_patient", 5, True),
    ("portal_access_on", 4, True),
    ("portal_access_off", 3, True),
    ("set_credentials", 2, True),
    ("unlock_account", 2, True),
    ("set_patient_status", 1, True),
    ("chart_exported", 1, True),
    ("staff_signed_in", 2, False),
    ("settings_changed", 1, False),
]
PATIENTS = 100_000
START = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
SPAN = timedelta(days=730)
PAGE = 200
# Shown, but not held to the limit: their cost grows with the number of entries in the range
# (hundreds of thousands here), because the page is in id order and the range is in time.
WIDE = (
    "wide: from a date to now",
    "wide: up to a date",
    "wide: a whole year",
)
CHUNK = 20_000


def _rows(count: int, seed: int = 12) -> Iterator[tuple[Any, ...]]:
    """``count`` entries, oldest first, with placeholder hashes (the chain does not verify)."""
    pick = random.Random(seed)
    actions = [name for name, share, _ in ACTIONS for _ in range(share)]
    with_patient = {name for name, _, named in ACTIONS if named}
    # Some staff are busier than others, as at a real desk.
    staff_weights = [1 + (number % 7) ** 2 for number in range(len(STAFF))]
    step = SPAN / max(count, 1)
    for number in range(1, count + 1):
        action = pick.choice(actions)
        at = START + step * number
        patient = pick.randint(1, PATIENTS) if action in with_patient else None
        after = json.dumps({"zip_code": "02139"}) if action == "update_contact" else None
        yield (
            number,
            at,
            pick.choices(STAFF, staff_weights)[0],
            pick.choice(DESKS),
            action,
            patient,
            None,
            after,
            None,
            f"{number - 1:064x}",
            f"{number:064x}",
        )


COLUMNS = "id, at, actor, workstation, action, patient_id, before, after, note, prev_hash, entry_hash"


def _fill_sqlite(path: Path, count: int) -> None:
    connection = sqlite3.connect(path)
    try:
        # The append-only trigger refusing REPLACE looks up each id: skipped for the fill only.
        connection.execute("DROP TRIGGER IF EXISTS audit_log_no_replace")
        statement = f"INSERT INTO audit_log ({COLUMNS}) VALUES ({', '.join('?' * 11)})"
        batch: list[tuple[Any, ...]] = []
        for row in _rows(count):
            # Stored as the app's UTCDateTime stores it on SQLite.
            batch.append((*row[:1], row[1].strftime("%Y-%m-%d %H:%M:%S.%f"), *row[2:]))
            if len(batch) == CHUNK:
                connection.executemany(statement, batch)
                batch.clear()
        connection.executemany(statement, batch)
        connection.commit()
    finally:
        connection.close()


def _fill_postgres(url: str, count: int) -> None:
    import psycopg

    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain) as connection, connection.cursor() as cursor:
        # As the superuser: skip the per-row change notification trigger for the fill.
        cursor.execute("SET session_replication_role = replica")
        with cursor.copy(f"COPY audit_log ({COLUMNS}) FROM STDIN") as copy:
            for row in _rows(count):
                copy.write_row(row)
        cursor.execute("SELECT setval(pg_get_serial_sequence('audit_log', 'id'), %s)", (count,))
        connection.commit()


def _sqlite_fill_uses_app_format(clinic: Clinic) -> None:
    """Check one filled row reads back as the app reads its own (the time format matters)."""
    entry = clinic.audit(limit=1)[0]
    assert entry.at.tzinfo is not None, "the fill's time format is not the app's"


@contextmanager
def _database(backend: str) -> Iterator[tuple[str, Callable[[int], None]]]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bench.db"
            yield f"sqlite:///{path}", lambda count: _fill_sqlite(path, count)
    else:
        with databases.new_postgres_database(databases.PG_SERVER, "clinic_bench") as url:
            yield url, lambda count: _fill_postgres(url, count)


def _a_patient(clinic: Clinic, count: int) -> int:
    """A patient with entries in the log (from the middle of it)."""
    for entry in clinic.audit(before_id=count // 2 + 2, limit=50):
        if entry.patient_id is not None:
            return entry.patient_id
    return 1


def _kinds(count: int, patient: int) -> dict[str, dict[str, Any]]:
    """Each kind of page the audit viewer asks for, as ``clinic.audit`` keyword arguments."""
    middle = (START + SPAN / 2).date()
    return {
        "newest page": {},
        "page 500 (before_id)": {"before_id": max(count - 499 * PAGE, 2)},  # 499 pages read before it
        "by actor (busy)": {"actor": STAFF[6]},
        "by actor (quiet)": {"actor": STAFF[0]},
        "by action (common)": {"action": "update_contact"},
        "by action (rare)": {"action": "settings_changed"},
        "by patient": {"patient_id": patient},
        "by date range (a week, a year ago)": {"since": middle, "until": middle + timedelta(days=6)},
        "by date range (one day, first week)": {
            "since": START.date() + timedelta(days=3),
            "until": START.date() + timedelta(days=3),
        },
        "combined (actor+action+month)": {
            "actor": STAFF[6],
            "action": "update_contact",
            "since": middle,
            "until": middle + timedelta(days=30),
        },
        "combined (actor+patient)": {"actor": STAFF[6], "patient_id": 4242},
        "nothing matches (unknown actor)": {"actor": "nobody.here"},
        WIDE[0]: {"since": middle},
        WIDE[1]: {"until": middle},
        WIDE[2]: {"since": middle - timedelta(days=182), "until": middle + timedelta(days=182)},
    }


def _time(clinic: Clinic, arguments: dict[str, Any], repeat: int) -> tuple[float, float, int]:
    clinic.audit(limit=PAGE, **arguments)  # warm the cache and the connection
    times = []
    found = 0
    for _ in range(repeat):
        started = time.perf_counter()
        found = len(clinic.audit(limit=PAGE, **arguments))
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--rows", type=int, default=1_000_000, help="audit entries to fill (default 1,000,000)"
    )
    parser.add_argument("--repeat", type=int, default=30, help="timed runs of each kind of page")
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    parser.add_argument("--limit-ms", type=float, default=100.0, help="the p95 every kind must stay under")
    options = parser.parse_args()
    slow: list[str] = []
    for backend in options.backends.split(","):
        with _database(backend) as (url, fill):
            Clinic.open(url).close()  # the schema, as a desk makes it
            started = time.perf_counter()
            fill(options.rows)
            print(f"\n{backend}: {options.rows:,} entries filled in {time.perf_counter() - started:.1f} s")
            with Clinic.open(url) as clinic:
                _sqlite_fill_uses_app_format(clinic)
                print(f"{'kind':40} {'p50 ms':>8} {'p95 ms':>8} {'rows':>6}")
                for kind, arguments in _kinds(options.rows, _a_patient(clinic, options.rows)).items():
                    p50, p95, found = _time(clinic, arguments, options.repeat)
                    print(f"{kind:40} {p50:8.1f} {p95:8.1f} {found:6d}")
                    if p95 > options.limit_ms and kind not in WIDE:
                        slow.append(f"{backend}: {kind} ({p95:.0f} ms)")
    if slow:
        print("\nSlower than", options.limit_ms, "ms at p95:", "; ".join(slow))
        raise SystemExit(1)
    print(f"\nEvery kind but the wide ranges stays under {options.limit_ms:.0f} ms at p95.")


if __name__ == "__main__":
    main()
