"""What the audit log's hash chain costs: time per audited action, and the time spent taking
the chain's lock and reading its end, with one desk and with several desks writing at once
(each desk changing its own chart's contact details).

    PYTHONPATH=$PWD python scripts/bench_audit_chain.py --actions 150 --desks 4

Runs on a SQLite file, a PostgreSQL and a MariaDB database made for the run (tests/databases.py).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import select

from clinic_desk import Clinic
from clinic_desk.db.models import AuditEntry
from clinic_desk.domain.audit_chain import GENESIS
from clinic_desk.services import audit_chain
from clinic_desk.services.hashing import use_cheapest_hashing
from tests import databases

_chain_times: list[float] = []
_lock = threading.Lock()
_original_chain_end = audit_chain._chain_end
_unlocked = threading.Event()


def _end_without_lock(session: Any) -> tuple[int, str]:
    """The baseline: the chain's end read with no lock (concurrent desks then fork the chain)."""
    newest = select(AuditEntry.id, AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)
    row = session.execute(newest).first()
    return (row[0], row[1]) if row else (0, GENESIS)


def _timed_chain_end(session: Any) -> tuple[int, str]:
    started = time.perf_counter()
    try:
        return _end_without_lock(session) if _unlocked.is_set() else _original_chain_end(session)
    finally:
        with _lock:
            _chain_times.append(time.perf_counter() - started)


@contextmanager
def _database(backend: str) -> Iterator[str]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'bench.db'}"
    elif backend == "postgresql":
        with databases.new_postgres_database(databases.PG_SERVER, "clinic_bench") as url:
            yield url
    else:
        with databases.mariadb_database() as url:
            yield url


def _run(url: str, desks: int, actions: int) -> tuple[float, list[float]]:
    """Every desk adds ``actions`` charts; returns the wall time and each action's time."""
    clinics = [Clinic.open(url) for _ in range(desks)]
    times: list[float] = []

    def work(clinic: Clinic, desk: int) -> None:
        # Each desk edits its own chart: nothing is shared but the audit log (adding charts
        # would queue on the MRN counter instead).
        patient = clinic.staff.add_patient(
            first_name=f"Desk{desk}", last_name="Patient", date_of_birth="1980-01-01", actor="frontdesk"
        )
        for n in range(actions):
            started = time.perf_counter()
            clinic.staff.update_contact(patient, zip_code=f"{2139 + n % 2:05d}", actor="frontdesk")
            with _lock:
                times.append(time.perf_counter() - started)

    problems: list[BaseException] = []

    def guarded(clinic: Clinic, desk: int) -> None:
        try:
            work(clinic, desk)
        except Exception as error:  # without the lock, desks clash on the entry id
            problems.append(error)

    threads = [threading.Thread(target=guarded, args=(clinic, desk)) for desk, clinic in enumerate(clinics)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    report = clinics[0].verify_audit()
    assert _unlocked.is_set() or (report.ok and report.entries_checked >= desks * actions), report
    verify_started = time.perf_counter()
    clinics[0].verify_audit()
    verify_ms = (time.perf_counter() - verify_started) * 1000
    print(
        f"    verify of {report.entries_checked} entries: {verify_ms:.0f} ms; failed actions: {len(problems)}"
    )
    for clinic in clinics:
        clinic.close()
    return wall, times


def _ms(values: list[float], pick: Callable[[list[float]], float]) -> str:
    return f"{pick(values) * 1000:6.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--actions", type=int, default=150, help="charts each desk adds")
    parser.add_argument("--desks", type=int, default=4, help="desks writing at once")
    parser.add_argument("--backends", default="sqlite,postgresql,mariadb")
    parser.add_argument(
        "--without-lock", action="store_true", help="baseline: no chain lock (forks the chain)"
    )
    args = parser.parse_args()
    use_cheapest_hashing()
    if args.without_lock:
        _unlocked.set()
    audit_chain._chain_end = _timed_chain_end  # type: ignore[assignment]
    p95: Callable[[list[float]], float] = lambda values: statistics.quantiles(values, n=20)[-1]  # noqa: E731
    for backend in args.backends.split(","):
        for desks in (1, args.desks):
            with _database(backend) as url:
                _chain_times.clear()
                wall, times = _run(url, desks, args.actions)
                print(
                    f"{backend:10} {desks} desk(s): {len(times) / wall:7.1f} actions/s; "
                    f"action median {_ms(times, statistics.median)}, p95 {_ms(times, p95)}; "
                    f"chain lock+end median {_ms(_chain_times, statistics.median)}, "
                    f"p95 {_ms(_chain_times, p95)}"
                )


if __name__ == "__main__":
    main()
