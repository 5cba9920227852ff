"""The first window fits the screen it opens on; saved geometry that no longer fits is corrected."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QByteArray, QMargins, QRect, QSettings, QSize
from PySide6.QtGui import QGuiApplication

from clinic_desk.ui.main_window import GEOMETRY_KEY
from clinic_desk.ui.window_fit import (
    ASSUMED_FRAME,
    DOCK_WIDTH_NARROW,
    PREFERRED_SIZE,
    first_window_rect,
    fits,
)


@pytest.mark.parametrize(
    ("available", "expected_size"),
    [
        (QRect(0, 0, 1920, 1040), PREFERRED_SIZE),  # a large monitor: the preferred 1280x800
        (QRect(0, 0, 1366, 728), QSize(1280, 665)),  # 1366x768 less a 40-px panel
        (QRect(0, 0, 1024, 768), QSize(990, 705)),  # 1024x768, no panel
        (QRect(0, 0, 1366, 768), QSize(1280, 705)),  # 2732x1536 at a 2x scale factor
        (QRect(1920, 0, 1280, 1024), QSize(1246, 800)),  # the second monitor, to the right
    ],
)
def test_the_window_takes_the_preferred_size_or_what_fits(available, expected_size):
    rect = first_window_rect(available)
    assert rect.size() == expected_size
    assert fits(rect, available, ASSUMED_FRAME)  # title bar and status bar both on screen
    assert available.contains(rect.marginsAdded(ASSUMED_FRAME).center())  # centred on that screen


def test_a_window_without_a_frame_is_centred():
    rect = first_window_rect(QRect(0, 0, 1600, 900), frame=QMargins())
    assert rect == QRect(160, 50, 1280, 800)


def test_fits_says_when_saved_geometry_hangs_off_the_screen():
    screen = QRect(0, 0, 1024, 768)
    assert fits(QRect(10, 10, 1000, 700), screen)
    assert not fits(QRect(0, 0, 1280, 800), screen)  # saved on a bigger monitor
    assert not fits(QRect(1500, 100, 800, 600), screen)  # saved on a monitor since unplugged


def _available():
    return QGuiApplication.primaryScreen().availableGeometry()


def test_the_main_window_opens_inside_the_screen_with_its_status_bar(qtbot, clinic, make_window):
    window = make_window(clinic, persist=False)
    available = _available()
    assert available.contains(window.frameGeometry())
    bar = window.statusBar()
    assert bar.isVisible()
    assert available.contains(bar.mapToGlobal(bar.rect().bottomRight()))
    if window.width() < 1200:
        assert window.troubleshooting_dock.width() <= DOCK_WIDTH_NARROW + 1


def test_saved_geometry_too_big_for_this_screen_is_corrected(qtbot, clinic, make_window):
    from clinic_desk.ui import MainWindow

    available = _available()
    big = MainWindow(clinic, persist=False, send_mail=False, daily_backup=False)
    qtbot.addWidget(big)
    big.setGeometry(QRect(available.right() + 200, 0, available.width() + 400, available.height() + 300))
    saved = big.saveGeometry()
    big.close()
    QSettings().setValue(GEOMETRY_KEY, QByteArray(saved))
    window = make_window(clinic)
    assert available.contains(window.frameGeometry())
