"""The real start-up (``clinic-desk`` with no --db) on a new computer: the welcome screen first,
a new clinic's window signed in on the empty dash, and no welcome screen on the next start.

Each start runs in its own process (as the app does), driven by a timer that looks at its windows.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from clinic_desk import places

ROOT = Path(__file__).resolve().parents[3]

# Starts the app as `clinic-desk` does; a timer fills the welcome screen (when it shows) and
# notes what the window shows once it knows who works at it, then closes it.
DRIVE_THE_START = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
from clinic_desk.cli import main

seen = {"welcome": False}

def poll():
    for top in QApplication.topLevelWidgets():
        screen = top.findChild(QWidget, "welcomeScreen")
        if screen is not None and screen.isVisible() and not seen["welcome"]:
            seen["welcome"] = True
            screen.show_new_clinic()
            form = screen.new_clinic
            for field, text in zip(
                (*form.clinic_fields(), *form.administrator.fields()),
                ("Riverside Family Practice", "portal@riverside.example.org",
                 "https://portal.riverside.example.org", "Rosa Diaz", "rosa", "Blue-river-2026!",
                 "Blue-river-2026!"),
            ):
                field.setText(text)
            form.create_button.click()
        if top.objectName() == "mainWindow" and top.isVisible():
            if top.staff_session.mode != "checking":
                seen["mode"] = str(top.staff_session.mode)
                seen["member"] = top.staff_member.username if top.staff_member else None
                seen["hint"] = top.dash.empty_page.hint.text()
                seen["title"] = top.windowTitle()
                top.close()
                return
    QTimer.singleShot(50, poll)

QTimer.singleShot(0, poll)
code = main([])
print("SEEN " + json.dumps(seen))
sys.exit(code)
"""


def _start(home: Path) -> dict[str, object]:
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": os.environ["HOME"],
        "XDG_DATA_HOME": os.environ["XDG_DATA_HOME"],
        "XDG_CONFIG_HOME": os.environ["XDG_CONFIG_HOME"],
        places.CONFIG_DIR_ENV: os.environ[places.CONFIG_DIR_ENV],
    }
    environment.pop("CLINIC_DESK_START_MARKS", None)
    done = subprocess.run(
        [sys.executable, "-c", DRIVE_THE_START],
        env=environment,
        cwd=home,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(line for line in done.stdout.splitlines() if line.startswith("SEEN "))
    result: dict[str, object] = json.loads(line.removeprefix("SEEN "))
    return result


def test_the_first_start_welcomes_and_the_next_start_opens_the_clinic(new_computer: Path) -> None:
    first = _start(new_computer)
    assert first["welcome"] is True
    assert first["mode"] == "signed_in" and first["member"] == "rosa"
    assert "Import patients" in str(first["hint"]) and "Ctrl+N" in str(first["hint"])
    assert "DEMO" not in str(first["title"])
    assert places.default_clinic_file().is_file()

    second = _start(new_computer)
    assert second["welcome"] is False  # a clinic exists: straight to its sign-in
    assert second["mode"] == "signed_out"


def test_the_start_marks_say_welcome_and_quit_creates_nothing(new_computer: Path) -> None:
    # What the installed menu entry's test reads (tests/packaging/test_deb.py): the marks.
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    environment["CLINIC_DESK_START_MARKS"] = "quit"
    done = subprocess.run(
        [sys.executable, "-m", "clinic_desk"],
        env=environment,
        cwd=new_computer,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    marks = [line.split()[2] for line in done.stdout.splitlines() if line.startswith("clinic-desk mark")]
    assert marks == ["painted", "welcome"], done.stdout + done.stderr[-3000:]
    assert places.is_first_start()  # leaving the welcome screen made nothing
