"""Every widget's own stylesheet is written in the current theme's colours (issue 13, dark desktop).

The window with a patient open, the troubleshooting panel, the clinic settings and the staff
list are opened in the dark theme, switched to light and back: no sheet of their own keeps a
light fill (#FFFFFF, #FFF4D6, #E3F2E8…), and the words each one colours read at 4.5:1 on their
fill. The theme does this without an application-wide event filter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import SIGNAL, QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from clinic_desk.ui.colors import DARK, LIGHT, ThemeColors, contrast_ratio, relative_luminance
from clinic_desk.ui.own_style import follow_theme, message_sheet
from clinic_desk.ui.theme import apply_theme, reset_theme, theme_signals
from tests.ui.admin.staff_helpers import add_staff, make_signed_in_window

TIMEOUT = 10_000
_RULE = re.compile(r"(?P<selectors>[^{}]*)\{(?P<body>[^{}]*)\}")
_DECLARATION = re.compile(r"(?<![\w-])(?P<prop>[a-z-]+)\s*:\s*(?P<value>[^;{}]*)")
_HEX = re.compile(r"#[0-9A-Fa-f]{6}\b")
#: Above this luminance a fill is light: white, the pale tints of the light theme.
LIGHT_FILL = 0.3


def _rules(sheet: str) -> list[tuple[str, dict[str, str]]]:
    """(selectors, {property: value}) for each rule; a bare sheet is one rule with no selector."""
    found = [(m["selectors"].strip(), m["body"]) for m in _RULE.finditer(sheet)] or [("", sheet)]
    return [(sel, _declared(body)) for sel, body in found]


def _declared(body: str) -> dict[str, str]:
    return {d["prop"]: d["value"].strip() for d in _DECLARATION.finditer(body)}


def _fill(declared: dict[str, str]) -> str:
    found = _HEX.search(declared.get("background", declared.get("background-color", "")))
    return found[0] if found else ""


def sheet_problems(widget: QWidget, colors: ThemeColors) -> list[str]:
    """What in ``widget``'s own sheet is not drawn in ``colors``: a light fill on the dark theme,
    words under 4.5:1 on their fill (their rule's own, else the cards and the window)."""
    name = widget.objectName() or type(widget).__name__
    problems = []
    for selectors, declared in _rules(widget.styleSheet()):
        fill = _fill(declared)
        if colors is DARK and fill and relative_luminance(fill) > LIGHT_FILL:
            problems.append(f"{name}: {selectors or 'sheet'} has the light fill {fill}")
        words = _HEX.search(declared.get("color", ""))
        if words is None or ":disabled" in selectors:  # greyed-out words need not read (WCAG 1.4.3)
            continue
        for under in [fill] if fill else [colors.card_bg, colors.window_bg]:
            ratio = contrast_ratio(words[0], under)
            if ratio < 4.5:
                rule = selectors or "sheet"
                problems.append(f"{name}: {rule} words {words[0]} on {under} at {ratio:.2f}:1")
    return problems


def all_problems(colors: ThemeColors) -> tuple[int, list[str]]:
    """(how many widgets have a sheet of their own, the problems found in them)."""
    own = [w for w in QApplication.allWidgets() if w.styleSheet()]
    return len(own), [p for w in own for p in sheet_problems(w, colors)]


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[QApplication]:
    yield qapp
    reset_theme(qapp)


def test_the_checker_finds_a_light_sheet(qtbot, themed):
    apply_theme(themed, DARK)
    label = QLabel("Saved.")
    qtbot.addWidget(label)
    label.setStyleSheet("QLabel { background: #E3F2E8; color: #1E6B3A; }")  # written for the light window
    assert len(sheet_problems(label, DARK)) == 1  # the fill; the words read on it
    label.setStyleSheet("color: #1565C0;")  # the light accent as words on a dark card
    assert sheet_problems(label, DARK)
    follow_theme(label, message_sheet("ok"))
    assert sheet_problems(label, DARK) == []


def _open_everything(qtbot: Any, window: Any, patient_id: int) -> None:
    """A patient with the troubleshooting panel, the clinic settings and the staff list, all shown."""
    with qtbot.waitSignal(window.patient_opened, timeout=TIMEOUT):
        window.open_patient(patient_id)
    window.show_troubleshooting()
    panel = window.troubleshooting_dock.widget()
    qtbot.waitUntil(lambda: panel.plan is not None and panel.plan.patient_id == patient_id, timeout=TIMEOUT)
    settings = window.mail_tools.open_settings()
    qtbot.waitUntil(settings.isVisible, timeout=TIMEOUT)
    staff_list = window.admin_tools.open_staff_list()
    assert staff_list is not None
    qtbot.waitUntil(lambda: staff_list.isVisible() and staff_list.model.rowCount() >= 3, timeout=TIMEOUT)
    staff_list.open_add_form().fill(full_name="Sam Ortiz", username="sortiz", role="manager", password="x")
    staff_list.confirm.ask("Switch off Sam?", "&Switch off")


def test_no_light_colour_is_left_in_a_sheet_of_its_own(qtbot, themed, seeded, make_window):
    clinic, ids = seeded
    staff = add_staff(clinic)
    apply_theme(themed, DARK)
    window = make_signed_in_window(make_window, clinic, staff["admin"])
    _open_everything(qtbot, window, ids["gold"])
    own, problems = all_problems(DARK)
    assert own >= 15 and problems == []  # the panel, the dash's words, the dialogs' message lines…
    for colors in (LIGHT, DARK):  # the desktop switches while it is all on screen
        apply_theme(themed, colors)
        own_now, problems = all_problems(colors)
        assert own_now >= own and problems == [], colors.name
    panel = window.troubleshooting_dock.widget()
    assert f"background: {DARK.input_bg}" in panel.styleSheet()  # the panel's fields, dark


def test_the_theme_installs_no_application_wide_event_filter(qtbot, themed, monkeypatch):
    installed: list[QObject] = []
    original = themed.installEventFilter

    def recording(watcher: QObject) -> None:
        installed.append(watcher)
        original(watcher)

    monkeypatch.setattr(themed, "installEventFilter", recording)
    label = QLabel("Saved.")
    qtbot.addWidget(label)
    follow_theme(label, message_sheet("ok"))
    for colors in (DARK, LIGHT, DARK):
        apply_theme(themed, colors)
    reset_theme(themed)
    assert installed == []
    theme_modules = {"clinic_desk.ui.theme", "clinic_desk.ui.own_style"}
    assert [c for c in themed.children() if type(c).__module__ in theme_modules] == []  # no keeper on the app


def test_a_widget_that_is_gone_stops_following_the_theme(themed):
    signals = theme_signals()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # earlier tests' widgets go first
    listening = signals.receivers(SIGNAL("colors_changed(PyObject)"))
    labels = [QLabel("Saved.") for _ in range(20)]
    for label in labels:
        follow_theme(label, message_sheet("ok"))
        follow_theme(label, message_sheet("error"))  # a second call replaces the builder
    assert signals.receivers(SIGNAL("colors_changed(PyObject)")) == listening + 20
    for label in labels:
        label.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert signals.receivers(SIGNAL("colors_changed(PyObject)")) == listening
    apply_theme(themed, DARK)  # nothing left to call
