"""What opening a patient costs: round trips on the wire, time through latency, open → icon painted,
and the open on a never-analysed PostgreSQL database.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/bench_open_patient.py
    .venv/bin/python scripts/bench_open_patient.py --sqlite big.db --pg-patients 1000000 --json out.json
    .venv/bin/python scripts/bench_open_patient.py --postgres postgresql://postgres@127.0.0.1/clinic_1m

"Opening a patient" is what the window's PatientSession runs on its worker
(``clinic_desk.ui.patient_loader.load_patient``), with the pool warm, as on a desk that
has been running. Figures:

- round trips on the wire to PostgreSQL for a patient with 0 and with 20 emails, counted by
  the project's TCP proxy (tests/tcp_proxy.py); database calls on SQLite by a statement counter;
- the median time of one open through the proxy adding 50 ms (or ``--latency``) per round trip;
- open → icon painted on SQLite: from ``MainWindow.open_patient`` to the secure-message icon's
  first paint after the patient arrived (p50/p95 over random charts of ``--sqlite FILE``, or of
  a file seeded here with ``--sqlite-patients``);
- the open on PostgreSQL that was never analysed (p50/p95): a database filled by the server
  itself (tests/bulk_sql.py, ``--pg-patients``) whose planner has no statistics; with
  ``--postgres URL`` that database is measured too, as it is (its label says whether it was
  analysed).

Databases made here are temporary (dropped afterwards). ``--json PATH`` writes the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_json import figure
from sqlalchemy import Engine, create_engine, event, text

from clinic_desk import Clinic
from clinic_desk.db.engine import normalize_url
from clinic_desk.ui.patient_loader import load_patient
from tests.bulk_sql import fill_without_statistics, never_analysed
from tests.databases import new_postgres_database
from tests.tcp_proxy import TcpProxy

PG_SERVER = os.environ.get("CLINIC_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
GOAL_TRIPS = 2
GOAL_LATENCY_MS = 150
GOAL_UNANALYSED_P95_MS = 30
GOAL_PAINT_P95_MS = 15

Figure = dict[str, Any]


def say(row: Figure) -> None:
    goal = row["goal"]
    ratio = f"  ({row['value'] / goal:.2f}× the goal {goal:g})" if goal else ""
    print(f"  {row['database']:<10} {row['what']}: {row['value']:g} {row['unit']}{ratio}", flush=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class Counts:
    """What one open cost, as SQLAlchemy saw it."""

    statements: int = 0
    commits: int = 0
    rollbacks: int = 0

    @property
    def total(self) -> int:
        return self.statements + self.commits + self.rollbacks


def count_calls(engine: Engine, action: Callable[[], object]) -> Counts:
    counts = Counts()

    def statement(*_args: Any) -> None:
        counts.statements += 1

    def commit(*_args: Any) -> None:
        counts.commits += 1

    def rollback(*_args: Any) -> None:
        counts.rollbacks += 1

    listeners = (("before_cursor_execute", statement), ("commit", commit), ("rollback", rollback))
    for name, listener in listeners:
        event.listen(engine, name, listener)
    try:
        action()
    finally:
        for name, listener in listeners:
            event.remove(engine, name, listener)
    return counts


def make_patients(clinic: Clinic) -> dict[int, int]:
    """Two patients: one with no email in the outbox, one with 20. Returns {emails: patient id}."""
    ids: dict[int, int] = {}
    for count in (0, 20):
        pid = clinic.staff.add_patient(
            first_name="Bench",
            last_name=f"Emails{count}",
            date_of_birth="1980-01-01",
            email=f"bench{count}@example.com",
            zip_code="02139",
            actor="bench",
        )
        for _ in range(count):
            clinic.staff.send_invitation(pid, actor="bench")
        ids[count] = pid
    return ids


def sqlite_calls(folder: Path) -> list[Figure]:
    rows = []
    with Clinic.open(f"sqlite:///{folder / 'calls.db'}") as clinic:
        for emails, pid in make_patients(clinic).items():
            load_patient(clinic, pid)
            counts = count_calls(clinic.engine, partial(load_patient, clinic, pid))
            # The session's COMMIT at the end finds no transaction open: sqlite3 skips it.
            what = f"open a patient ({emails} emails): SQL statements"
            rows.append(figure(what, "sqlite", counts.statements, "count", None))
    return rows


def postgres_wire(latency_ms: int, runs: int) -> list[Figure]:
    rows = []
    with (
        new_postgres_database(PG_SERVER, "clinic_bench") as url,
        TcpProxy("127.0.0.1", 5432) as proxy,
        Clinic.open(proxy.url_for(url)) as clinic,
    ):
        ids = make_patients(clinic)
        for pid in ids.values():
            load_patient(clinic, pid)  # a warm pool: connections are made once per workstation
        for emails, pid in ids.items():
            before = proxy.round_trips
            load_patient(clinic, pid)
            trips = proxy.round_trips - before
            rows.append(
                figure(
                    f"open a patient ({emails} emails): round trips on the wire",
                    "postgresql",
                    trips,
                    "count",
                    GOAL_TRIPS,
                )
            )
        proxy.latency = latency_ms / 1000
        times = []
        for _ in range(runs):
            for pid in ids.values():
                started = time.perf_counter()
                load_patient(clinic, pid)
                times.append((time.perf_counter() - started) * 1000)
        proxy.latency = 0
    rows.append(
        figure(
            f"open a patient with {latency_ms} ms added latency (median)",
            "postgresql",
            statistics.median(times),
            "ms",
            GOAL_LATENCY_MS,
        )
    )
    return rows


def random_ids(engine: Engine, count: int, seed: int = 14) -> list[int]:
    with engine.connect() as connection:
        low, high = connection.execute(text("SELECT min(id), max(id) FROM patients")).one()
    rng = random.Random(seed)
    return [rng.randint(int(low), int(high)) for _ in range(count)]


def timed_opens(url: str, opens: int) -> list[float]:
    engine = create_engine(normalize_url(url))
    ids = random_ids(engine, opens)
    engine.dispose()
    times = []
    with Clinic.open(url, upgrade=False) as clinic:
        load_patient(clinic, ids[0])
        for pid in ids:
            started = time.perf_counter()
            try:
                load_patient(clinic, pid)
            except Exception as error:  # an id the load skipped: not an open
                if type(error).__name__ != "NotFound":
                    raise
                continue
            times.append((time.perf_counter() - started) * 1000)
    return times


def postgres_opens(url: str, opens: int) -> list[Figure]:
    """Opens on an existing database, labelled by whether its planner has statistics."""
    engine = create_engine(normalize_url(url))
    label = "never analysed" if never_analysed(engine) else "analysed"
    with engine.connect() as connection:
        count = int(connection.execute(text("SELECT count(*) FROM patients")).scalar_one())
    engine.dispose()
    return _open_figures(label, count, timed_opens(url, opens))


def postgres_never_analysed(patients: int, opens: int) -> list[Figure]:
    """Opens on a database the server filled itself and never analysed (made and dropped here)."""
    with new_postgres_database(PG_SERVER, "clinic_unanalysed") as made:
        Clinic.open(made).close()
        engine = create_engine(normalize_url(made))
        started = time.perf_counter()
        fill_without_statistics(engine, patients)
        print(
            f"  (filled {patients:,} charts in {time.perf_counter() - started:.0f} s, no ANALYZE)", flush=True
        )
        label = "never analysed" if never_analysed(engine) else "analysed"
        engine.dispose()
        return _open_figures(label, patients, timed_opens(made, opens))


def _open_figures(label: str, count: int, times: list[float]) -> list[Figure]:
    size = f"{count / 1_000_000:g}M" if count >= 1_000_000 else f"{count // 1000}k"
    what = f"open a patient, {label} {size} (p50)"
    return [
        figure(what, "postgresql", percentile(times, 0.5), "ms", None),
        figure(
            what.replace("p50", "p95"), "postgresql", percentile(times, 0.95), "ms", GOAL_UNANALYSED_P95_MS
        ),
    ]


def paint_times(path: Path, opens: int) -> list[float]:
    """From ``MainWindow.open_patient`` to the icon's first paint after the patient arrived."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from clinic_desk.ui import MainWindow
    from clinic_desk.ui.patient.patient_session import wait_for_listeners
    from clinic_desk.ui.patient.secure_message_icon import SecureMessageIcon
    from clinic_desk.ui.tasks import wait_for_tasks

    app = QApplication.instance() or QApplication([])
    loop = QEventLoop()

    class PaintClock(QObject):
        """Notes the icon's first paint showing the opened patient's status, and ends the wait."""

        def __init__(self) -> None:
            super().__init__()
            self.patient_id = 0
            self.arrived = 0.0
            self.painted = 0.0
            self.icon: Any = None

        def on_loaded(self, _view: object) -> None:
            self.arrived = time.perf_counter()

        def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not self.painted:
                status = self.icon.model().status
                if status is not None and status.patient_id == self.patient_id:
                    self.painted = time.perf_counter()
                    QTimer.singleShot(0, loop.quit)
            return False

    url = f"sqlite:///{path}"
    engine = create_engine(url)
    ids = random_ids(engine, opens + 1)
    engine.dispose()
    times = []
    with Clinic.open(url, upgrade=False) as clinic:
        window = MainWindow(clinic, persist=False)
        window.show()
        icon = window.findChild(SecureMessageIcon)
        assert icon is not None
        clock = PaintClock()
        clock.icon = icon
        icon.installEventFilter(clock)
        window.session.patient_loaded.connect(clock.on_loaded)
        for pid in ids:
            clock.arrived = clock.painted = 0.0
            clock.patient_id = pid
            started = time.perf_counter()
            window.open_patient(pid)
            QTimer.singleShot(10_000, loop.quit)
            loop.exec()
            if not clock.arrived:  # painted before the dash had its turn: wait for the rest too
                QTimer.singleShot(10_000, loop.quit)
                window.session.patient_loaded.connect(loop.quit)
                loop.exec()
                window.session.patient_loaded.disconnect(loop.quit)
            if clock.painted:
                times.append((clock.painted - started) * 1000)
            wait_for_tasks(10_000)  # the History card's read: not part of the icon
            app.processEvents()
        window.close()
        window.session.stop()
        wait_for_tasks(10_000)
        wait_for_listeners(5.0)
    return times[1:]  # the first open warms the window


def sqlite_paint(path: Path | None, patients: int, opens: int, folder: Path) -> list[Figure]:
    if path is None:
        from clinic_desk.demo.seed import seed_bulk

        path = folder / "paint.db"
        with Clinic.open(f"sqlite:///{path}") as clinic:
            seed_bulk(clinic, patients)
    else:
        engine = create_engine(f"sqlite:///{path}")
        patients = int(engine.connect().execute(text("SELECT count(*) FROM patients")).scalar_one())
        engine.dispose()
    times = paint_times(path, opens)
    size = f"{patients / 1_000_000:g}M" if patients >= 1_000_000 else f"{patients // 1000}k"
    # The read alone, as the worker runs it: the database's share of the open.
    reads = timed_opens(f"sqlite:///{path}", opens)
    return [
        figure(
            f"open a patient, {size}: the read on the worker (p50)",
            "sqlite",
            percentile(reads, 0.5),
            "ms",
            None,
        ),
        figure(
            f"open a patient, {size}: the read on the worker (p95)",
            "sqlite",
            percentile(reads, 0.95),
            "ms",
            None,
        ),
        figure(f"open → icon painted, {size} (p50)", "sqlite", percentile(times, 0.5), "ms", None),
        figure(
            f"open → icon painted, {size} (p95)", "sqlite", percentile(times, 0.95), "ms", GOAL_PAINT_P95_MS
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--latency", type=int, default=50, metavar="MS", help="added per round trip (50)")
    parser.add_argument("--runs", type=int, default=5, help="opens per patient through the latency (5)")
    parser.add_argument("--opens", type=int, default=200, help="random charts opened for p50/p95 (200)")
    parser.add_argument("--sqlite", type=Path, help="an already seeded SQLite file for open → painted")
    parser.add_argument(
        "--sqlite-patients", type=int, default=100_000, help="charts to seed without --sqlite"
    )
    parser.add_argument("--postgres", help="an already seeded PostgreSQL database for the open p50/p95")
    parser.add_argument(
        "--pg-patients",
        type=int,
        default=100_000,
        help="charts to fill in a never-analysed database (0: none; it is made besides --postgres)",
    )
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()

    rows: list[Figure] = []

    def add(found: list[Figure]) -> None:
        for row in found:
            say(row)
        rows.extend(found)

    print("Opening a patient:", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        add(sqlite_calls(Path(folder)))
        add(postgres_wire(args.latency, args.runs))
        if args.postgres:
            add(postgres_opens(args.postgres, args.opens))
        if args.pg_patients:
            add(postgres_never_analysed(args.pg_patients, args.opens))
        add(sqlite_paint(args.sqlite, args.sqlite_patients, args.opens, Path(folder)))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    missed = [row for row in rows if row["goal"] is not None and row["value"] > row["goal"]]
    for row in missed:
        print(f"  goal missed: {row['database']} {row['what']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
