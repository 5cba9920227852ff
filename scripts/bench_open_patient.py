"""Count what opening a patient costs: SQL statements, round trips, and wall time through latency.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/bench_open_patient.py
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/bench_open_patient.py --latency 0 50 200 --runs 5

"Opening a patient" is exactly what the window's PatientSession runs on its worker
(``clinic_desk.ui.patient_loader.load_patient``: change stamp, chart, status, photo, recent
emails), with the connection pool warm, as on a workstation that has been running.
Statements are counted with SQLAlchemy's ``before_cursor_execute`` event; commits and
rollbacks with the engine's events; pool pre-pings separately. Round trips are counted
on the wire by a TCP proxy (tests/tcp_proxy.py) between the app and PostgreSQL: each
time the client speaks after the server answered. Patients with 0 and with 20 emails
must cost the same.

"sqlite" uses a fresh file in a temporary folder; "postgresql" a fresh database on
127.0.0.1:5432 (user postgres), dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import Engine, event

from clinic_desk import Clinic
from clinic_desk.ui.patient_loader import load_patient
from tests.databases import new_postgres_database
from tests.tcp_proxy import TcpProxy

PG_SERVER = os.environ.get("CLINIC_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")


@dataclass
class Counts:
    """What one open cost."""

    statements: int = 0
    commits: int = 0
    rollbacks: int = 0
    pings: int = 0

    @property
    def total(self) -> int:
        return self.statements + self.commits + self.rollbacks + self.pings


class Counter:
    """Counts statements, transaction ends and pre-pings on one engine."""

    def __init__(self, engine: Engine) -> None:
        self.counts = Counts()
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._commit)
        event.listen(engine, "rollback", self._rollback)
        dialect = engine.dialect
        real_ping = dialect.do_ping

        def counted_ping(dbapi_connection: Any) -> bool:
            self.counts.pings += 1
            return bool(real_ping(dbapi_connection))

        dialect.do_ping = counted_ping  # type: ignore[method-assign]

    def _statement(self, *_args: Any) -> None:
        self.counts.statements += 1

    def _commit(self, *_args: Any) -> None:
        self.counts.commits += 1

    def _rollback(self, *_args: Any) -> None:
        self.counts.rollbacks += 1

    def measure(self, clinic: Clinic, patient_id: int) -> Counts:
        self.counts = Counts()
        load_patient(clinic, patient_id)
        return self.counts


def make_patients(clinic: Clinic) -> dict[int, int]:
    """Two patients: one with no email in the outbox, one with 20. Returns {emails: patient id}."""
    staff = clinic.staff
    ids: dict[int, int] = {}
    for count in (0, 20):
        pid = staff.add_patient(
            first_name="Bench",
            last_name=f"Emails{count}",
            date_of_birth="1980-01-01",
            email=f"bench{count}@example.com",
            zip_code="02139",
            phone="617-555-0101",
            address_line1="1 Main St",
            city="Boston",
            state="MA",
            actor="bench",
        )
        for _ in range(count):
            staff.send_invitation(pid, actor="bench")
        assert len(clinic.mail.outbox(pid)) == count
        ids[count] = pid
    return ids


def count_statements(url: str, label: str) -> dict[int, Counts]:
    with Clinic.open(url) as clinic:
        ids = make_patients(clinic)
        counter = Counter(clinic.engine)
        for pid in ids.values():
            load_patient(clinic, pid)  # warm the pool
        results = {emails: counter.measure(clinic, pid) for emails, pid in ids.items()}
    for emails, counts in results.items():
        print(
            f"  {label:<10} patient with {emails:>2} emails: {counts.statements} statements, "
            f"{counts.commits} commits, {counts.rollbacks} rollbacks, {counts.pings} pool pre-pings "
            f"= {counts.total} database calls"
        )
    return results


def through_proxy(url: str, latencies: list[int], runs: int) -> None:
    with TcpProxy("127.0.0.1", 5432) as proxy, Clinic.open(proxy.url_for(url)) as clinic:
        ids = make_patients(clinic)
        for pid in ids.values():
            load_patient(clinic, pid)  # warm the pool: connections made once per workstation
        for latency_ms in latencies:
            proxy.latency = latency_ms / 1000
            for emails, pid in ids.items():
                times = []
                trips = []
                for _ in range(runs):
                    before = proxy.round_trips
                    started = time.perf_counter()
                    load_patient(clinic, pid)
                    times.append(time.perf_counter() - started)
                    trips.append(proxy.round_trips - before)
                wall_ms = statistics.median(times) * 1000
                print(
                    f"  latency {latency_ms:>3} ms, {emails:>2} emails: {wall_ms:7.1f} ms "
                    f"(median of {runs}), {statistics.median(trips):.0f} round trips on the wire"
                )
        proxy.latency = 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=int, nargs="+", default=[0, 50, 200], metavar="MS")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    print("Statements per patient open (warm pool):")
    with tempfile.TemporaryDirectory() as folder:
        sqlite = count_statements(f"sqlite:///{Path(folder) / 'bench.db'}", "SQLite")
    with new_postgres_database(PG_SERVER, "clinic_bench") as url:
        postgres = count_statements(url, "PostgreSQL")
        print("Wall time of one patient open through the latency proxy (added round-trip time):")
        through_proxy(url, args.latency, args.runs)
    same = all(len({c.total for c in result.values()}) == 1 for result in (sqlite, postgres))
    print("0 and 20 emails cost the same: " + ("yes" if same else "NO"))
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
