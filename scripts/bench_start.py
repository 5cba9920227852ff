"""Time a cold start of the whole app against a bare PySide6 window with a line edit.

    .venv/bin/python scripts/bench_start.py [--runs 7] [--sqlite FILE] [--postgres URL] [--json PATH]

Each run starts a new Python process: the bare window, then ``python -m clinic_desk --db
sqlite:///FILE`` (and ``--db URL`` with ``--postgres``), in turns. The app prints start
marks (``CLINIC_DESK_START_MARKS``): *painted* when the window shell with its focused
search field is first painted, *usable* when the full window searches the open clinic
(or, on a clinic with staff, shows its sign-in). Times run from just before the process
is started to the mark. Prints min/median/max, and the median of the run-by-run ratios
to the bare window. Numbers, never a pass/fail.

Without ``--sqlite`` a demo clinic (``clinic-desk seed-demo``) is made in a temp folder
first. ``QT_QPA_PLATFORM`` is kept when set (``offscreen`` without a screen).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_json import figure

ROOT = Path(__file__).resolve().parents[1]
MARK_PREFIX = "clinic-desk mark"
GOAL_RATIO = 1.5

BARE_WINDOW = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
field = QLineEdit(window)
window.setCentralWidget(field)


class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not hasattr(self, "done"):
            self.done = True
            QTimer.singleShot(0, self.mark)
        return False

    def mark(self):
        now = time.time_ns()
        print(f"MARK painted {now}", flush=True)
        print(f"MARK usable {now}", flush=True)
        app.quit()


watcher = FirstPaint()
field.installEventFilter(watcher)
window.resize(1280, 800)
window.show()
field.setFocus()
sys.exit(app.exec())
""".replace("MARK", MARK_PREFIX)


def _environment(folder: Path) -> dict[str, str]:
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environment.get("PYTHONPATH")]))
    if not (environment.get("DISPLAY") or environment.get("WAYLAND_DISPLAY")):
        environment.setdefault("QT_QPA_PLATFORM", "offscreen")
    environment["CLINIC_DESK_START_MARKS"] = "quit"
    # An installed app runs from compiled bytecode: let the warm-up run write it, as pip would.
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    # Neither the user's saved connection nor their window layout is read or changed.
    environment["CLINIC_DESK_CONFIG_DIR"] = str(folder / "config")
    environment["XDG_CONFIG_HOME"] = str(folder / "xdg-config")
    return environment


def _timed_marks(command: list[str], environment: dict[str, str]) -> dict[str, float]:
    """Start ``command`` and return ms from just before the start to each mark it printed."""
    started = time.time_ns()
    done = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=180)
    marks: dict[str, float] = {}
    for line in done.stdout.splitlines():
        if line.startswith(MARK_PREFIX):
            name, stamp = line.removeprefix(MARK_PREFIX).split()
            marks[name] = (int(stamp) - started) / 1e6
    if done.returncode != 0 or {"painted", "usable"} - marks.keys():
        raise SystemExit(f"{command[:3]} exited {done.returncode} without its marks:\n{done.stderr[-2000:]}")
    return marks


def _seed_demo(folder: Path, patients: int, environment: dict[str, str]) -> Path:
    path = folder / "demo.db"
    command = [sys.executable, "-m", "clinic_desk", "--db", f"sqlite:///{path}", "seed-demo"]
    subprocess.run([*command, "--patients", str(patients)], env=environment, check=True, capture_output=True)
    return path


def _summary(values: list[float]) -> str:
    return f"min {min(values):6.0f}  median {statistics.median(values):6.0f}  max {max(values):6.0f} ms"


def _paired_ratio(app: list[float], bare: list[float]) -> float:
    """The median of run-by-run ratios: each app run against the bare run just before it."""
    return statistics.median(a / b for a, b in zip(app, bare, strict=True))


def main() -> int:
    """Run the bare window and the app in turns and print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7, help="processes of each kind (default 7)")
    parser.add_argument(
        "--sqlite", type=Path, help="an existing clinic file to start on (default: a new demo)"
    )
    parser.add_argument(
        "--postgres", metavar="URL", help="also start on this existing PostgreSQL clinic (not changed)"
    )
    parser.add_argument("--patients", type=int, default=2000, help="charts in the new demo (default 2000)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-start-") as temp:
        folder = Path(temp)
        environment = _environment(folder)
        clinic_file = args.sqlite or _seed_demo(folder, args.patients, environment)
        bare = [sys.executable, "-c", BARE_WINDOW]
        starts = {"sqlite": f"sqlite:///{clinic_file.resolve()}"}
        if args.postgres:
            starts["postgresql"] = args.postgres
        commands = {"bare": bare} | {
            database: [sys.executable, "-m", "clinic_desk", "--db", url] for database, url in starts.items()
        }
        for command in commands.values():
            _timed_marks(command, environment)  # warm the file cache and write the bytecode: not counted
        runs: dict[str, list[dict[str, float]]] = {kind: [] for kind in commands}
        for _ in range(args.runs):
            for kind, command in commands.items():  # in turns, so a slower spell hits every kind
                runs[kind].append(_timed_marks(command, environment))

    def values(kind: str, mark: str) -> list[float]:
        return [run[mark] for run in runs[kind]]

    bare_paint = values("bare", "painted")
    print(
        f"Cold start, {args.runs} processes of each (ratios: median of run-by-run ratios to the bare window):"
    )
    print(f"  bare PySide6 window with a line edit, start → painted : {_summary(bare_paint)}")
    figures = [
        figure("start → first paint, bare PySide6 window", "sqlite", statistics.median(bare_paint), "ms")
    ]
    for database in starts:
        paint_ratio = _paired_ratio(values(database, "painted"), bare_paint)
        usable_ratio = _paired_ratio(values(database, "usable"), bare_paint)
        where = clinic_file.name if database == "sqlite" else "PostgreSQL"
        print(f"  Clinic Desk on {where}:")
        print(f"    start → window shell painted, takes typing : {_summary(values(database, 'painted'))}")
        print(f"    start → search works on the open clinic    : {_summary(values(database, 'usable'))}")
        print(f"    first paint vs the bare window: {paint_ratio:.2f}×  (goal ≤ {GOAL_RATIO}×)")
        print(f"    search working vs the bare window: {usable_ratio:.2f}×")
        figures += [
            figure("start → first paint", database, statistics.median(values(database, "painted")), "ms"),
            figure("start → search usable", database, statistics.median(values(database, "usable")), "ms"),
            figure(
                "start → first paint, ratio to a bare PySide6 window",
                database,
                paint_ratio,
                "ratio",
                GOAL_RATIO,
            ),
            figure("start → search usable, ratio to a bare PySide6 window", database, usable_ratio, "ratio"),
        ]
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
