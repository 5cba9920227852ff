"""Visible focus: every kind of control shows a ring that differs clearly from its unfocused look.

Each control sits on a card beside a plain button; Tab moves the focus onto it and back,
and its left edge is grabbed both ways. The focused edge must contrast at least 3:1 with
the unfocused one (WCAG 2.4.11/2.4.13), in the light and the dark theme, including the blue
primary buttons inside the troubleshooting panel and the lock screen, whose own
stylesheets used to hide the ring.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFrame,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.ui.colors import DARK, LIGHT, ThemeColors, contrast_ratio
from clinic_desk.ui.focus_style import FOCUSABLE_KINDS
from clinic_desk.ui.own_style import SheetBuilder, follow_theme, no_sheet
from clinic_desk.ui.staff.lock_style import lock_stylesheet
from clinic_desk.ui.theme import apply_theme, reset_theme
from clinic_desk.ui.wizard.style import panel_stylesheet


def _tree() -> QTreeWidget:
    tree = QTreeWidget()
    tree.setHeaderLabels(["Email", "Sent to"])
    QTreeWidgetItem(tree, ["Invitation", "ana@example.com"])
    return tree


def _primary() -> QPushButton:
    button = QPushButton("&Confirm")
    button.setProperty("role", "primary")
    return button


def _default() -> QPushButton:
    button = QPushButton("&Unlock")
    button.setDefault(True)
    return button


def _combo() -> QComboBox:
    combo = QComboBox()
    combo.addItems(["Front desk", "Manager"])
    return combo


#: (name, control factory, the container's own stylesheet builder, the container's objectName)
CONTROLS: list[tuple[str, Callable[[], QWidget], SheetBuilder, str]] = [
    ("button", lambda: QPushButton("&Save"), no_sheet, "plainCard"),
    ("primary button in the wizard panel", _primary, panel_stylesheet, "troubleshootingWizardPanel"),
    ("default button on the lock screen", _default, lock_stylesheet, "lockCard"),
    ("radio button", lambda: QRadioButton("Send a new &invitation"), no_sheet, "plainCard"),
    ("check box", lambda: QCheckBox("&Remember"), no_sheet, "plainCard"),
    ("line edit", lambda: QLineEdit("ana@example.com"), no_sheet, "plainCard"),
    ("line edit in the wizard panel", lambda: QLineEdit("ana@example.com"), panel_stylesheet, "wizardBody"),
    ("combo box", _combo, no_sheet, "plainCard"),
    ("table", _tree, no_sheet, "plainCard"),
    ("list", lambda: QListWidget(), no_sheet, "plainCard"),
    ("text box", lambda: QPlainTextEdit("A note"), no_sheet, "plainCard"),
]


@pytest.fixture(params=[LIGHT, DARK], ids=["light", "dark"])
def theme(request, qapp: QApplication) -> Iterator[ThemeColors]:
    yield apply_theme(qapp, request.param)
    reset_theme(qapp)


def _left_edge(widget: QWidget) -> list[QColor]:
    """The two leftmost pixel columns at mid-height (where the ring is drawn)."""
    image = widget.grab().toImage()
    middle = image.height() // 2
    return [image.pixelColor(x, middle) for x in (0, 1, 2)]


def _best_contrast(before: list[QColor], after: list[QColor]) -> float:
    return max(contrast_ratio(a.name(), b.name()) for a, b in zip(before, after, strict=True))


@pytest.mark.parametrize(("name", "make", "sheet", "holder"), CONTROLS, ids=[c[0] for c in CONTROLS])
def test_focus_shows_with_3_to_1_contrast(qtbot, theme, name, make, sheet, holder):
    card = QFrame()
    card.setObjectName(holder)
    card.setProperty("card", True)
    follow_theme(card, sheet)
    layout = QVBoxLayout(card)
    before_it = QPushButton("&Back", card)
    control = make()
    control.setParent(card)
    layout.addWidget(before_it)
    layout.addWidget(control)
    qtbot.addWidget(card)
    card.show()
    qtbot.waitExposed(card)
    card.activateWindow()
    qtbot.waitActive(card)
    before_it.setFocus()
    qtbot.waitUntil(before_it.hasFocus)
    unfocused = _left_edge(control)
    qtbot.keyClick(before_it, Qt.Key.Key_Tab)
    qtbot.waitUntil(control.hasFocus)
    focused = _left_edge(control)
    assert _best_contrast(unfocused, focused) >= 3.0, f"{name}: {[c.name() for c in unfocused]} → " + str(
        [c.name() for c in focused]
    )


def test_every_focusable_kind_has_a_rule(theme):
    from clinic_desk.ui.focus_style import focus_rules

    rules = focus_rules(theme)
    for kind in FOCUSABLE_KINDS:
        assert f"{kind}:focus" in rules, kind
