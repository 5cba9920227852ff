"""The lock screen in the light and the dark theme: readable words, a visible focus ring.

The screen is grabbed as drawn: each word's darkest (or brightest) pixel against the
fill around it must read at 4.5:1, and the link-like "Database connection…" button must
show a ring that differs from its unfocused edge by at least 3:1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QWidget

from clinic_desk.ui.colors import DARK, LIGHT, ThemeColors, contrast_ratio
from clinic_desk.ui.theme import apply_theme, reset_theme
from tests.ui.staff.helpers import lock_screen, type_sign_in


@pytest.fixture(params=[LIGHT, DARK], ids=["light", "dark"])
def theme(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[ThemeColors]:
    yield apply_theme(qapp, request.param)
    reset_theme(qapp)


def _words_contrast(image: QImage, area: QRect) -> float:
    """The contrast of the words in ``area`` of ``image``: the commonest colour (the fill) against
    the pixel farthest from it (the core of a letter)."""
    colours = Counter(
        image.pixelColor(x, y).name()
        for x in range(area.left(), area.right() + 1)
        for y in range(area.top(), area.bottom() + 1)
    )
    fill = colours.most_common(1)[0][0]
    return max(contrast_ratio(fill, colour) for colour in colours)


def _area(widget: QWidget, screen: QWidget) -> QRect:
    return QRect(widget.mapTo(screen, QPoint(0, 0)), widget.size())


def test_every_word_on_the_lock_screen_reads_at_4_5_to_1(qtbot, theme, staffed, staff_window):
    clinic, _ids = staffed
    window = staff_window(clinic)
    screen = lock_screen(window)
    form = type_sign_in(qtbot, window, "rosa", "not-her-password-1")
    qtbot.waitUntil(lambda: "do not match" in form.message_text())
    form.username.setText("rosa")
    assert theme.window_bg in screen.styleSheet()  # its own sheet, built for the theme

    image = screen.grab().toImage()
    shown = [
        widget
        for widget in screen.findChildren(QWidget)
        if isinstance(widget, QLabel | QLineEdit | QPushButton) and widget.isVisible() and widget.text()
    ]
    assert {"signInMessage", "lockFooter", "lockConnectionButton"} <= {w.objectName() for w in shown}
    for widget in shown:
        ratio = _words_contrast(image, _area(widget, screen))
        assert ratio >= 4.5, f"{widget.objectName() or widget.text()!r} reads at {ratio:.1f}:1"


def test_the_lock_screen_follows_a_change_of_theme(qtbot, qapp, staffed, staff_window):
    clinic, _ids = staffed
    try:
        apply_theme(qapp, LIGHT)
        window = staff_window(clinic)
        screen = lock_screen(window)
        assert LIGHT.window_bg in screen.styleSheet()
        apply_theme(qapp, DARK)
        qtbot.waitUntil(lambda: DARK.window_bg in screen.styleSheet())
        assert DARK.window_bg in screen.styleSheet() and LIGHT.window_bg not in screen.styleSheet()
    finally:
        reset_theme(qapp)


def _edge(button: QWidget) -> list[str]:
    """The button's two leftmost pixel columns at mid-height, where the ring is drawn."""
    image = button.grab().toImage()
    middle = image.height() // 2
    return [image.pixelColor(x, middle).name() for x in (0, 1)]


def test_database_connection_shows_a_focus_ring(qtbot, theme, staffed, staff_window):
    clinic, _ids = staffed
    window = staff_window(clinic)
    window.activateWindow()
    qtbot.waitActive(window)
    button = window.findChild(QPushButton, "lockConnectionButton")
    qtbot.waitUntil(button.isVisible)
    unfocused = _edge(button)
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(button.hasFocus)
    focused = _edge(button)
    best = max(contrast_ratio(a, b) for a, b in zip(unfocused, focused, strict=True))
    assert best >= 3.0, f"{unfocused} → {focused}"
