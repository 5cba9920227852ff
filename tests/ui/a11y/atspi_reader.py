"""Read Clinic Desk through AT-SPI, as a screen reader does, and print what it heard as JSON.

Runs under the system's Python (Debian's ``python3-pyatspi``), inside a private D-Bus
session with the accessibility bus and an X server (``xvfb-run dbus-run-session``):

    python3 atspi_reader.py SCENARIO.json -- APP_COMMAND...

It starts the app (APP_COMMAND, with Qt's AT-SPI bridge on), listens for the events Orca
listens for (focus, announcements, text and name changes), presses keys through the
AT-SPI registry (which types them on the X server, so they reach the app like real keys)
and answers the scenario's questions about the accessibility tree. The scenario is a JSON
object: ``{"ready": words the icon's name holds once the patient is open, "steps": [...]}``;
each step is ``{"name", "keys": ["ctrl+t", "Return", "type:Patel", ...], "wait_for": words
an announcement must carry (or null), "focus_passes": the name of a widget the focus only waits
on (or null), "find": [{"role", "name"}...]}``. Printed: one line, REPORT_MARK and a JSON
object, ``{"ready": seconds, "steps": [{"name", "announcements", "texts", "focus" (each focus
event's widget, in order), "focus_now" (the widget the tree says is focused), "found"}]}``.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time

import gi

gi.require_version("Atspi", "2.0")
import pyatspi  # noqa: E402  (after gi.require_version)
from gi.repository import Atspi, GLib  # noqa: E402

KEYSYMS = {"Return": 0xFF0D, "Down": 0xFF54, "Up": 0xFF52, "Tab": 0xFF09, "Escape": 0xFF1B, "F1": 0xFFBE}
CONTROL_MASK = 1 << 2
REPORT_MARK = "ATSPI-REPORT "  # the line the test reads (the bus daemons print too)
START_TIMEOUT = 40.0
STEP_TIMEOUT = 20.0
SETTLE = 0.8  # seconds without a focus move: the focus has landed
EVENTS = (
    "object:announcement",
    "object:state-changed:focused",
    "object:text-changed:insert",
    "object:property-change:accessible-name",
    "object:property-change:accessible-description",
)

heard: list[dict[str, object]] = []
started = time.monotonic()


def describe(accessible: object) -> dict[str, object]:
    """Role, name, description and whether it holds the focus now (``alive`` False: deleted)."""
    try:
        states = accessible.getState()
        text = ""
        with contextlib.suppress(NotImplementedError):  # a widget without text
            text = accessible.queryText().getText(0, -1)
        return {
            "alive": True,
            "role": accessible.getRoleName(),
            "name": accessible.name or "",
            "description": accessible.description or "",
            "text": text,
            "focused": states.contains(pyatspi.STATE_FOCUSED),
            "showing": states.contains(pyatspi.STATE_SHOWING),
        }
    except Exception:  # a widget deleted since: AT-SPI says so by failing
        return {"alive": False, "role": "", "name": "", "description": "", "text": "", "focused": False}


def on_event(event: object) -> None:
    record = {"at": round(time.monotonic() - started, 2), "type": event.type, "detail1": event.detail1}
    record["data"] = event.any_data if isinstance(event.any_data, str) else ""
    if is_focus(record):  # where the focus is, asked at once (it may move on)
        record["source"] = describe(event.source)
    else:  # the many name changes of a redraw: only who said it (one call each)
        try:
            record["source"] = {"name": event.source.name or ""}
        except Exception:
            record["source"] = {"name": ""}
    heard.append(record)


def pump(seconds: float) -> None:
    """Let the D-Bus events in for ``seconds``."""
    context = GLib.MainContext.default()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        while context.iteration(False):
            pass
        time.sleep(0.01)


def wait_until(condition: object, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        pump(0.05)
    return condition()


def press(key: str) -> None:
    """One key chord, or ``type:TEXT``, typed on the X server through the AT-SPI registry."""
    synth = Atspi.KeySynthType
    if key.startswith("type:"):
        Atspi.generate_keyboard_event(0, key[5:], synth.STRING)
    elif key.startswith("ctrl+"):
        Atspi.generate_keyboard_event(CONTROL_MASK, None, synth.LOCKMODIFIERS)
        Atspi.generate_keyboard_event(ord(key[5:]), None, synth.SYM)
        Atspi.generate_keyboard_event(CONTROL_MASK, None, synth.UNLOCKMODIFIERS)
    else:
        Atspi.generate_keyboard_event(KEYSYMS[key], None, synth.SYM)
    pump(0.3)


def find(root: object, role: str, name: str) -> list[dict[str, object]]:
    """The showing nodes under ``root`` of ``role`` whose name holds ``name``."""

    def wanted(node: object) -> bool:
        try:
            return node.getRoleName() == role and name in (node.name or "")
        except Exception:
            return False

    found = [describe(node) for node in pyatspi.findAllDescendants(root, wanted)]
    return [node for node in found if node.get("showing")]


def app_frame() -> object | None:
    desktop = pyatspi.Registry.getDesktop(0)
    for app in desktop:
        if app is not None and app.name == "Clinic Desk":
            for child in app:
                if child is not None and child.getRoleName() == "frame":
                    return child
    return None


def is_focus(event: dict[str, object]) -> bool:
    return str(event["type"]).startswith("object:state-changed:focused")


def focus_settled(since: int, passing: str) -> bool:
    """The focus moved and then stayed put for SETTLE seconds, elsewhere than on ``passing``."""
    moves = [event for event in heard[since:] if is_focus(event) and event["detail1"]]
    if not moves or (passing and moves[-1]["source"]["name"] == passing):
        return False
    return time.monotonic() - started - moves[-1]["at"] >= SETTLE


def announced(since: int, words: str) -> bool:
    return any(event["type"] == "object:announcement" and words in event["data"] for event in heard[since:])


def run_step(frame: object, step: dict[str, object]) -> dict[str, object]:
    since = len(heard)
    for key in step.get("keys", []):
        press(key)
    words = step.get("wait_for")
    if words:
        wait_until(lambda: announced(since, words), STEP_TIMEOUT)
    if step.get("keys"):
        wait_until(lambda: focus_settled(since, step.get("focus_passes", "")), STEP_TIMEOUT)
    events = heard[since:]
    focus_moves = [event["source"] for event in events if is_focus(event) and event["detail1"]]
    focus_now = [found for found in (describe_focus(frame),) if found]
    return {
        "name": step["name"],
        "announcements": [event["data"] for event in events if event["type"] == "object:announcement"],
        "texts": [
            {"type": event["type"], "data": event["data"], "source": event["source"]}
            for event in events
            if not is_focus(event) and event["data"]
        ],
        "focus": focus_moves,
        "focus_now": focus_now[0] if focus_now else None,
        "found": [find(frame, query["role"], query["name"]) for query in step.get("find", [])],
    }


def describe_focus(frame: object) -> dict[str, object] | None:
    """The node the tree itself says is focused (state FOCUSED), searched from the window."""

    def focused(node: object) -> bool:
        try:
            return node.getState().contains(pyatspi.STATE_FOCUSED)
        except Exception:
            return False

    node = pyatspi.findDescendant(frame, focused)
    return describe(node) if node is not None else None


def main(argv: list[str]) -> int:
    with open(argv[1], encoding="utf-8") as file:
        scenario = json.load(file)
    app_command = argv[argv.index("--") + 1 :]
    pyatspi.Registry.registerEventListener(on_event, *EVENTS)
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1")
    app = subprocess.Popen(app_command, env=env, stdin=subprocess.PIPE)
    report: dict[str, object] = {"steps": []}
    try:
        ready = scenario["ready"]
        icon_named = lambda: any(  # noqa: E731
            event["type"] == "object:property-change:accessible-name" and ready in event["data"]
            for event in heard
        )
        if not wait_until(lambda: app_frame() is not None and icon_named(), START_TIMEOUT):
            report["error"] = "the window did not show the patient in time"
            return 0
        frame = app_frame()
        pump(SETTLE)  # the panel's plan comes after the status
        report["ready"] = round(time.monotonic() - started, 2)
        for step in scenario["steps"]:
            report["steps"].append(run_step(frame, step))
    finally:
        app.stdin.close()
        try:
            app.wait(timeout=15)
        except subprocess.TimeoutExpired:
            app.kill()
        print(REPORT_MARK + json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
