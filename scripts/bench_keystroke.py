"""Time each keystroke in the real window's search field until the list is painted with its answer.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/bench_keystroke.py --sqlite /tmp/bench-1m.db
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/bench_keystroke.py \\
        --postgres postgresql+psycopg://postgres@127.0.0.1:5432/clinic_bench_1m --json out.json
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/bench_keystroke.py --patients 100000

A real ``MainWindow`` is opened on the clinic; each query (a last-name prefix, "john smi", an
MRN, a date of birth, an email prefix, a phone number) is typed one key event at a time into
its search field. For each key the clock runs from just before the key press until the result
list's viewport has been painted holding the answer for the text now in the field (the
search's ``results_shown`` signal, then the viewport's next paint, flushed). The next key is
typed only then, so each figure is one keystroke's whole path: the edit, the search on a
worker, the answer back on the GUI thread, the list filled, placed and painted.

Without ``--sqlite``/``--postgres`` a fresh SQLite clinic of ``--patients`` charts is seeded in
a temporary folder first. Prints p50/p95 per query kind and overall, and the ratio to the 50 ms
goal; ``--json PATH`` writes the figures for ``scripts/bench.py``. Numbers, never pass/fail.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_json import database_kind, figure, percentile, sqlite_url, write_json
from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from clinic_desk import Clinic
from clinic_desk.demo import seed_demo
from clinic_desk.demo.people import DEMO_PASSWORD
from clinic_desk.domain.chart import PatientSummary
from clinic_desk.ui import MainWindow
from clinic_desk.ui.patient.patient_session import wait_for_listeners
from clinic_desk.ui.patient.search import PatientSearchBox
from clinic_desk.ui.tasks import wait_for_tasks

GOAL_MS = 50.0
TIMEOUT_MS = 10_000  # a keystroke whose list is not painted by then is reported, not waited for


class PaintClock:
    """Waits for the search list to be painted with the answer for the field's text.

    ``wait()`` returns when the search said it shows the answer for ``awaited`` and the
    list's viewport then got a paint event (the loop quits after that event is handled).
    """

    def __init__(self, box: PatientSearchBox) -> None:
        self._box = box
        self._awaited = ""
        self._answered = False
        self._loop: QEventLoop | None = None
        box.results_shown.connect(self._on_results_shown)
        self._viewport: QObject | None = None

    def watch_viewport(self) -> None:
        results = self._box.results
        assert results is not None, "type a first query before watching the list"
        self._viewport = results.viewport()
        self._filter = _Filter(self, self._viewport)
        self._viewport.installEventFilter(self._filter)

    def arm(self, text: str) -> None:
        self._awaited = text
        self._answered = False

    def _on_results_shown(self, text: str) -> None:
        if text == self._awaited:
            self._answered = True

    def painted(self) -> None:
        if self._answered and self._loop is not None:
            self._loop.quit()

    def wait(self) -> bool:
        """Run the event loop until painted; False after TIMEOUT_MS."""
        loop = QEventLoop()
        self._loop = loop
        timer = QTimer()
        timer.setSingleShot(True)
        timed_out = [False]

        def give_up() -> None:
            timed_out[0] = True
            loop.quit()

        timer.timeout.connect(give_up)
        timer.start(TIMEOUT_MS)
        loop.exec()
        timer.stop()
        self._loop = None
        return not timed_out[0]


class _Filter(QObject):
    def __init__(self, clock: PaintClock, parent: QObject) -> None:
        super().__init__(parent)
        self._clock = clock

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self._clock.painted()  # the loop quits once this paint has been handled
        return False


def queries(clinic: Clinic) -> list[tuple[str, str]]:
    """(kind, text) to type, the MRN, birthday, email and phone taken from a real chart."""
    smiths = clinic.staff.find_patients("smith", limit=50)
    chosen: PatientSummary | None = next((p for p in smiths if p.email and p.phone), None)
    if chosen is None:  # a clinic without Smiths: any chart with an email and a phone
        chosen = next(p for p in clinic.staff.find_patients("a", limit=200) if p.email and p.phone)
    born = chosen.date_of_birth
    assert chosen.email is not None and chosen.phone is not None
    return [
        ("last name prefix", "smi"),
        ("first and last", "john smi"),
        ("MRN", chosen.mrn),
        ("date of birth", f"{born.month:02d}/{born.day:02d}/{born.year}"),
        ("email prefix", chosen.email.split("@")[0] + "@"),
        ("phone", chosen.phone),
    ]


def type_query(window: MainWindow, clock: PaintClock, text: str) -> list[float]:
    """Type ``text`` into the emptied search field, one key at a time; ms per key until painted."""
    field = window.search.field
    field.selectAll()
    QTest.keyClick(field, Qt.Key.Key_Backspace)  # an edit to empty: the list closes (not timed)
    times: list[float] = []
    for char in text:
        started = time.perf_counter()
        clock.arm((field.text() + char).strip())
        QTest.keyClicks(field, char)
        if not clock.wait():
            print(f"  no painted answer within {TIMEOUT_MS} ms after typing {char!r}", file=sys.stderr)
            times.append(float(TIMEOUT_MS))
            continue
        times.append((time.perf_counter() - started) * 1000)
    return times


@contextmanager
def seeded_sqlite(patients: int) -> Iterator[str]:
    """A fresh SQLite clinic of ``patients`` demo charts in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="clinic-keystroke-") as folder:
        url = sqlite_url(Path(folder) / "clinic.db")
        print(f"seeding {patients:,} charts in {folder} ...", file=sys.stderr)
        with Clinic.open(url) as clinic:
            seed_demo(clinic, patients)
        yield url


def close_window(window: MainWindow) -> None:
    """Close and delete the window as the app does on quit, while its Python side is whole."""
    window.close()
    window.session.stop()
    wait_for_tasks(30_000)
    wait_for_listeners(2.0)
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def sign_in(clinic: Clinic, username: str | None) -> Any:
    """The staff member to open the window as (None: single-user mode, a clinic without staff)."""
    if not clinic.admin.has_staff():
        return None
    if username is None:
        raise SystemExit("this clinic has staff accounts: give --as USER (password: CLINIC_BENCH_PASSWORD)")
    return clinic.admin.sign_in(username, os.environ.get("CLINIC_BENCH_PASSWORD", DEMO_PASSWORD))


def measure(url: str, rounds: int, username: str | None) -> list[dict[str, Any]]:
    """Type every query ``rounds`` times in a real window on ``url``; print and return the figures."""
    kind = database_kind(url)
    with Clinic.open(url) as clinic:
        window = MainWindow(
            clinic, persist=False, send_mail=False, daily_backup=False, staff=sign_in(clinic, username)
        )
        window.show()
        QTest.qWaitForWindowExposed(window)
        wait_for_tasks(60_000)  # the window's own start-up reads
        window.focus_search()
        clock = PaintClock(window.search)
        plan = queries(clinic)
        clock.arm(plan[0][1][0])
        QTest.keyClicks(window.search.field, plan[0][1][0])  # makes the list (and warms the pool)
        clock.wait()
        clock.watch_viewport()
        for _kind, text in plan:
            type_query(window, clock, text)  # warm-up round, not counted
        by_kind: dict[str, list[float]] = {name: [] for name, _text in plan}
        for _ in range(rounds):
            for name, text in plan:
                by_kind[name].extend(type_query(window, clock, text))
        patients = sum(clinic.count_by_color().values())
        close_window(window)
    print(f"{kind}: {patients:,} patients, {rounds} rounds, key → list painted")
    print(f"  {'query kind':<18} {'keys':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    every: list[float] = []
    for name, times in by_kind.items():
        every.extend(times)
        print(
            f"  {name:<18} {len(times):>5} {statistics.median(times):>8.1f} "
            f"{percentile(times, 0.95):>8.1f} {max(times):>8.1f}"
        )
    p50, p95 = statistics.median(every), percentile(every, 0.95)
    print(f"  {'all':<18} {len(every):>5} {p50:>8.1f} {p95:>8.1f} {max(every):>8.1f}")
    print(f"  p95 / {GOAL_MS:.0f} ms goal: {p95 / GOAL_MS:.2f}")
    return [
        figure("keystroke → list painted p50", kind, p50, "ms"),
        figure("keystroke → list painted p95", kind, p95, "ms", GOAL_MS),
    ]


def main() -> int:
    """Measure on the databases given (or a freshly seeded SQLite file) and print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sqlite", metavar="FILE", help="an already seeded SQLite clinic file")
    parser.add_argument(
        "--postgres", metavar="URL", help="an already seeded PostgreSQL clinic (SQLAlchemy URL)"
    )
    parser.add_argument(
        "--patients", type=int, default=100_000, help="charts to seed when no database is given"
    )
    parser.add_argument("--rounds", type=int, default=3, help="times each query is typed (after one warm-up)")
    parser.add_argument("--as", dest="username", help="staff member to sign in as, when the clinic has staff")
    parser.add_argument("--json", metavar="PATH", help="write the figures as JSON for scripts/bench.py")
    args = parser.parse_args()

    app = QApplication.instance() or QApplication(sys.argv[:1])
    settings = tempfile.TemporaryDirectory(prefix="clinic-keystroke-settings-")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)  # never the user's own settings
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings.name)
    app.setOrganizationName("Clinic Desk Bench")
    app.setApplicationName("Clinic Desk Bench")

    figures: list[dict[str, Any]] = []
    if args.sqlite:
        figures += measure(sqlite_url(args.sqlite), args.rounds, args.username)
    if args.postgres:
        figures += measure(args.postgres, args.rounds, args.username)
    if not (args.sqlite or args.postgres):
        with seeded_sqlite(args.patients) as url:
            figures += measure(url, args.rounds, args.username)
    write_json(args.json, figures)
    settings.cleanup()
    app.shutdown()  # Qt's objects go now, not during the interpreter's own teardown
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
