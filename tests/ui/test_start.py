"""The start-up: the window shell paints before the database layer loads, and what was typed
into it is searched once the clinic is open (DESIGN.md section 5's order still holds)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from clinic_desk import NotFound
from clinic_desk.ui import MainWindow
from clinic_desk.ui.app import open_clinic_at_startup, run_gui
from clinic_desk.ui.shell import WindowShell
from clinic_desk.ui.start import take_over

ROOT = Path(__file__).resolve().parents[2]
DATABASE_LAYER = (
    "sqlalchemy",
    "alembic",
    "clinic_desk.db",
    "clinic_desk.services",
    "clinic_desk.ui.main_window",
)
# Nor the other commands' code, the package metadata or multiprocessing: each cost the start time.
NOT_FOR_THE_WINDOW = ("clinic_desk.cli_commands", "importlib.metadata", "multiprocessing")

# Runs the real entry point (`clinic-desk --db URL`) and notes the loaded modules at each start mark.
START_AND_LIST_MODULES = """
import json, sys
import clinic_desk.ui.start as start

seen = {}
mark = start.start_mark

def noting(name):
    seen[name] = sorted(sys.modules)
    mark(name)

start.start_mark = noting
from clinic_desk.cli import main

code = main(["--db", sys.argv[1]])
print("MODULES " + json.dumps(seen))
sys.exit(code)
"""


def _loaded(modules: list[str]) -> list[str]:
    return [name for name in modules if name.startswith(DATABASE_LAYER)]


def test_the_shell_paints_before_the_database_layer_is_imported(sqlite_url: str, tmp_path: Path) -> None:
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": "offscreen",
        "CLINIC_DESK_START_MARKS": "quit",  # quit once search is usable
        "CLINIC_DESK_CONFIG_DIR": str(tmp_path / "config"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
    }
    done = subprocess.run(
        [sys.executable, "-c", START_AND_LIST_MODULES, sqlite_url],
        capture_output=True,
        text=True,
        timeout=180,
        env=environment,
    )
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if line.startswith("MODULES "))
    seen = json.loads(line.removeprefix("MODULES "))
    assert set(seen) == {"painted", "usable"}
    assert _loaded(seen["painted"]) == []
    assert [name for name in seen["painted"] if name.startswith(NOT_FOR_THE_WINDOW)] == []
    # The same check sees them once the clinic is open (so it can fail).
    assert {"sqlalchemy", "clinic_desk.services.clinic", "clinic_desk.ui.main_window"} <= set(seen["usable"])
    assert "alembic" not in seen["usable"]  # a current schema: no upgrade, no Alembic


def _shell_with_typing(qtbot: Any, typed: str) -> WindowShell:
    shell = WindowShell()  # not given to qtbot: handing over deletes it
    shell.show_at_start()
    qtbot.waitExposed(shell)
    assert shell.focusWidget() is shell.field
    qtbot.keyClicks(shell.field, typed)
    return shell


def _window(qtbot: Any, clinic: Any) -> MainWindow:
    window = MainWindow(clinic, persist=False, send_mail=False, daily_backup=False)
    qtbot.addWidget(window)
    return window


def test_text_typed_into_the_shell_is_searched_when_the_clinic_is_ready(qtbot, seeded) -> None:
    clinic, ids = seeded
    shell = _shell_with_typing(qtbot, "Hughes")
    window = _window(qtbot, clinic)
    take_over(shell, window)
    assert window.isVisible() and not shell.isVisible()
    search = window.search
    qtbot.waitUntil(lambda: search.results_visible() and search.results.patient_rows() == 1)
    assert search.field.text() == "Hughes"
    assert window.focusWidget() is search.field
    assert [found.patient_id for found in search.results.found()] == [ids["gold"]]
    assert window.staff_session.single_user  # no staff: single-user mode, as DESIGN.md section 5 says


def test_enter_pressed_in_the_shell_opens_the_patient_once_ready(qtbot, seeded) -> None:
    clinic, ids = seeded
    shell = _shell_with_typing(qtbot, "Hughes")
    qtbot.keyClick(shell.field, Qt.Key.Key_Return)
    window = _window(qtbot, clinic)
    with qtbot.waitSignal(window.patient_opened, timeout=10_000) as opened:
        take_over(shell, window)
    assert opened.args == [ids["gold"]]


def test_typing_on_after_enter_in_the_shell_only_searches(qtbot, seeded) -> None:
    clinic, _ids = seeded
    shell = _shell_with_typing(qtbot, "Hug")
    qtbot.keyClick(shell.field, Qt.Key.Key_Return)
    qtbot.keyClicks(shell.field, "hes")
    window = _window(qtbot, clinic)
    with qtbot.assertNotEmitted(window.patient_opened, wait=500):
        take_over(shell, window)
        qtbot.waitUntil(lambda: window.search.results_visible() and window.search.results.patient_rows() == 1)


def test_keys_still_on_their_way_to_the_shell_reach_the_window(qtbot, seeded) -> None:
    clinic, _ids = seeded
    shell = _shell_with_typing(qtbot, "Hug")
    window = _window(qtbot, clinic)
    take_over(shell, window)
    qtbot.keyClicks(shell.field, "hes")
    assert window.search.field.text() == "Hughes"
    assert shell.field.text() == "Hug"
    qtbot.waitUntil(lambda: window.search.results_visible() and window.search.results.patient_rows() == 1)


def test_with_staff_the_sign_in_comes_and_the_typed_names_are_not_kept(qtbot, seeded) -> None:
    clinic, _ids = seeded
    clinic.admin.add_staff(
        username="rosa",
        full_name="Rosa Diaz",
        role="admin",
        password="harbor-lantern-quiet-42",
        actor="setup",
    )
    shell = _shell_with_typing(qtbot, "Hughes")
    window = _window(qtbot, clinic)
    take_over(shell, window)
    qtbot.waitUntil(lambda: window.locked)
    assert window.pages.currentWidget() is window.staff_session.lock_screen
    assert window.search.field.text() == ""
    assert not window.search.results_visible()


def test_run_gui_with_a_shell_puts_the_window_in_its_place(qtbot, seeded, qapp, monkeypatch) -> None:
    clinic, _ids = seeded
    shell = _shell_with_typing(qtbot, "O'Neil")
    shell.move(40, 30)
    seen: list[tuple[MainWindow, str]] = []

    def fake_exec() -> int:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        seen.extend((window, window.search.field.text()) for window in windows)
        assert not shell.isVisible()
        for window in windows:
            window.close()
        return 0

    monkeypatch.setattr(qapp, "exec", fake_exec)
    assert run_gui(clinic, shell) == 0
    assert [text for _window, text in seen] == ["O'Neil"]


def _answer_the_box_when_it_shows(qtbot: Any, found: Callable[[QMessageBox], None]) -> None:
    def look() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            found(box)
            box.reject()
        else:
            QTimer.singleShot(50, look)

    QTimer.singleShot(50, look)


def test_a_db_address_that_cannot_be_opened_is_said_over_the_shell(qtbot) -> None:
    shell = _shell_with_typing(qtbot, "")
    words: list[str] = []

    def no_clinic_there() -> Any:
        raise NotFound("Local file /nowhere/clinic.db: there is no clinic database there.")

    _answer_the_box_when_it_shows(qtbot, lambda box: words.append(box.informativeText()))
    with pytest.raises(NotFound):
        open_clinic_at_startup(no_clinic_there, shell=shell)
    assert words == ["Local file /nowhere/clinic.db: there is no clinic database there."]
    assert shell.note.text() == words[0]
    assert not shell.isVisible()
    shell.deleteLater()
