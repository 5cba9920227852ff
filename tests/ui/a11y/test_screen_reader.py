"""What a screen reader hears from the real window, read through AT-SPI as Orca reads it.

One run of the real app (an X server, a private D-Bus session with the accessibility bus,
Qt's AT-SPI bridge) on a copy of the demo clinic, with Maria Gonzalez open (an online
registration with a mistyped email). A separate reader (``atspi_reader.py``, the system's
Python with pyatspi) presses keys on the X server and records the AT-SPI events and tree.
The Qt-side tests look at Qt's own objects; this one checks what crosses the bus.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
REPO = HERE.parents[2]
SYSTEM_PYTHON = "/usr/bin/python3"
REPORT_MARK = "ATSPI-REPORT "
SEARCH_FIELD = "Find patient"
FEEDBACK = "What just happened"  # the panel's feedback line: the focus waits there during an action


def _missing() -> str:
    """What this machine lacks for the test ("" when nothing)."""
    for tool in ("xvfb-run", "dbus-run-session"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    if not Path("/usr/libexec/at-spi-bus-launcher").exists():
        return "at-spi2-core is not installed"
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, check=False)
    if probe.returncode != 0:
        return "python3-pyatspi is not installed for the system's Python"
    return ""


MISSING = _missing() if sys.platform.startswith("linux") else "AT-SPI is Linux only"
if MISSING and os.environ.get("CI") == "true":
    pytestmark = pytest.mark.slow  # in CI the test runs, and fails below, rather than skip
else:
    pytestmark = [
        pytest.mark.slow,
        pytest.mark.skipif(bool(MISSING), reason=f"{MISSING} (scripts/bootstrap.sh installs it)"),
    ]

SCENARIO = {
    "ready": "Secure messaging: Portal access off",
    "steps": [
        {
            "name": "open",
            "keys": [],
            "find": [
                {"role": "push button", "name": "Secure messaging"},
                {"role": "filler", "name": "Portal status"},
            ],
        },
        {"name": "why", "keys": ["F1"]},
        {"name": "close why", "keys": ["Escape"]},
        {"name": "troubleshoot", "keys": ["ctrl+t"]},
        {"name": "confirm email", "keys": ["Return"]},
        {"name": "save email", "keys": ["Return"], "wait_for": "Saved", "focus_passes": FEEDBACK},
        {"name": "confirm access", "keys": ["Return"]},
        {
            "name": "turn access on",
            "keys": ["Return"],
            "wait_for": "Portal access is on",
            "focus_passes": FEEDBACK,
        },
        {
            "name": "search",
            "keys": ["ctrl+f", "type:Patel"],
            "wait_for": "3 patients",
            "find": [{"role": "list", "name": "Matching patients"}, {"role": "label", "name": "3 patients"}],
        },
        {"name": "first match", "keys": ["Down"]},
    ],
}


@pytest.fixture(scope="module")
def heard(demo_template: tuple[Path, dict[str, int]], tmp_path_factory: Any) -> dict[str, Any]:
    """Run the scenario once against the real app: the reader's report, step name -> step."""
    if MISSING:
        pytest.fail(f"CI must run the screen-reader test: {MISSING}")
    source, ids = demo_template
    folder = tmp_path_factory.mktemp("a11y")
    clinic_file = folder / "demo.db"
    shutil.copyfile(source, clinic_file)
    scenario = folder / "scenario.json"
    scenario.write_text(json.dumps(SCENARIO), encoding="utf-8")
    env = dict(
        os.environ,
        PYTHONPATH=str(REPO),
        XDG_CONFIG_HOME=str(folder / "config"),
        XDG_DATA_HOME=str(folder / "data"),
        XDG_CACHE_HOME=str(folder / "cache"),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        CLINIC_DESK_THEME="light",
    )
    env.pop("QT_QPA_PLATFORM", None)  # the reader starts the app on xcb: offscreen has no AT-SPI bridge
    command = [
        *("xvfb-run", "-a", "-s", "-screen 0 1366x768x24", "dbus-run-session", "--"),
        *(SYSTEM_PYTHON, str(HERE / "atspi_reader.py"), str(scenario), "--"),
        *(sys.executable, str(HERE / "desk_app.py"), str(clinic_file), str(ids["red_unconfirmed"])),
    ]
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=150, check=False)
    lines = [line for line in run.stdout.splitlines() if line.startswith(REPORT_MARK)]
    assert lines, f"no report from the AT-SPI reader:\n{run.stdout[-2000:]}\n{run.stderr[-3000:]}"
    report = json.loads(lines[-1][len(REPORT_MARK) :])
    assert "error" not in report, report["error"]
    return {step["name"]: step for step in report["steps"]}


def landed(step: dict[str, Any]) -> dict[str, Any]:
    """Where the focus ended after the step's keys, as the last focus event said it."""
    assert step["focus"], f"{step['name']}: no focus event"
    return dict(step["focus"][-1])


def assert_focus_named_and_real(step: dict[str, Any]) -> dict[str, Any]:
    """The last focus event names a widget that really has the focus, by a non-empty name."""
    last = landed(step)
    assert last["name"], f"{step['name']}: the focus landed on a {last['role']} without a name"
    now = step["focus_now"]
    assert now is not None and last["focused"], f"{step['name']}: told {last}, but the focus is on {now}"
    assert (now["role"], now["name"]) == (last["role"], last["name"])
    return last


def assert_never_via_search(step: dict[str, Any]) -> None:
    """No focus event on the search box while a wizard step works (screen readers say each one)."""
    moves = [(move["role"], move["name"]) for move in step["focus"]]
    assert ("text", SEARCH_FIELD) not in moves, f"{step['name']}: the focus went via the search box: {moves}"


def test_the_icon_says_its_colour_and_why_in_words(heard):
    icons, rows = heard["open"]["found"]
    assert len(icons) == 1
    icon = icons[0]
    assert icon["name"] == "Secure messaging: Portal access off (red)"
    assert "registration not confirmed" in icon["description"]
    assert len(rows) == 1
    assert rows[0]["description"].startswith("Portal access off (red). Portal access is off")


def test_f1_reads_the_explanation_without_a_mouse(heard):
    card = landed(heard["why"])
    assert card["focused"] and card["name"]
    assert "registration" in card["text"] + card["description"]
    assert "Ctrl+T" in card["text"] + card["description"]  # the key hint, not "click the icon"
    assert landed(heard["close why"])["name"] == SEARCH_FIELD  # Esc gives the focus back


def test_ctrl_t_names_the_first_step_not_the_panel(heard):
    box = assert_focus_named_and_real(heard["troubleshoot"])
    assert box["role"] == "text" and box["name"] == "Email"
    assert box["text"] == "maria.gonzalez@gmail.com"  # the suggested spelling, read out


def test_each_step_is_announced_from_the_feedback_line(heard):
    saved = heard["save email"]
    assert "Saved: email maria.gonzalez@gmail.com." in saved["announcements"]
    feedback = [
        change["data"] for change in saved["texts"] if change["source"]["name"] == "What just happened"
    ]
    assert any("Saved" in words for words in feedback)
    assert "Portal access is on." in heard["turn access on"]["announcements"]


def test_the_focus_after_each_step_is_named_and_never_the_search_box(heard):
    for name in ("confirm email", "confirm access"):
        assert assert_focus_named_and_real(heard[name])["name"] == "Confirm"
    for name in ("save email", "turn access on"):
        step = heard[name]
        assert_never_via_search(step)
        assert assert_focus_named_and_real(step)["name"] != SEARCH_FIELD
    assert landed(heard["save email"])["name"] == "Note (optional)"  # the next step: turn access on


def test_the_search_list_says_its_count_and_its_highlight(heard):
    search = heard["search"]
    assert any(words.startswith("3 patients") for words in search["announcements"])
    lists, status_lines = search["found"]
    assert len(lists) == 1 and lists[0]["description"].startswith("3 patients")
    assert status_lines, "the status line's count is not in the tree"
    row = landed(heard["first match"])
    assert row["role"] == "list item" and row["name"].endswith(", 1 of 3") and "Patel" in row["name"]
