"""Open the main window at a size that fits the screen it opens on.

A receptionist's screen may be 1024x768 or 1366x768: a 1280x800 window would hide its
own status bar (and the warnings in it) below the screen's edge. The first window takes
the preferred size or the screen's free area less a margin, whichever is smaller,
centred on that screen; saved geometry that no longer fits (a smaller monitor, a
laptop off its dock) is corrected the same way.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QMainWindow

#: The size the window prefers on a large screen.
PREFERRED_SIZE = QSize(1280, 800)
#: Room left free around the window on a small screen.
SCREEN_MARGIN = 16
#: The window manager's frame, assumed before the window is shown (title bar on top).
ASSUMED_FRAME = QMargins(1, 30, 1, 1)
#: The troubleshooting panel's width: roomy on a wide window, narrower on a small one.
DOCK_WIDTH_WIDE = 400
DOCK_WIDTH_NARROW = 310  # the widest wizard step (a row of buttons) fits with its scroll bar
NARROW_WINDOW = 1200
NO_FRAME = QMargins()


def first_window_rect(
    available: QRect,
    preferred: QSize = PREFERRED_SIZE,
    frame: QMargins = ASSUMED_FRAME,
    margin: int = SCREEN_MARGIN,
) -> QRect:
    """The window's inner geometry on a screen whose free area is ``available``.

    The size is ``preferred`` or what fits inside ``available`` (less ``margin`` on each
    side and the window ``frame``), whichever is smaller; the framed window is centred.
    """
    room = available.marginsRemoved(QMargins(margin, margin, margin, margin)).marginsRemoved(frame)
    size = preferred.boundedTo(room.size()).expandedTo(QSize(1, 1))
    outer = QSize(size.width() + frame.left() + frame.right(), size.height() + frame.top() + frame.bottom())
    left = available.x() + max(0, (available.width() - outer.width()) // 2) + frame.left()
    top = available.y() + max(0, (available.height() - outer.height()) // 2) + frame.top()
    return QRect(left, top, size.width(), size.height())


def fits(geometry: QRect, available: QRect, frame: QMargins = NO_FRAME) -> bool:
    """True when ``geometry`` with its ``frame`` lies wholly inside ``available``."""
    return available.contains(geometry.marginsAdded(frame))


def _available(window: QMainWindow) -> QRect:
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def _frame(window: QMainWindow) -> QMargins:
    if not window.isVisible():
        return ASSUMED_FRAME
    outer, inner = window.frameGeometry(), window.geometry()
    return QMargins(
        inner.left() - outer.left(),
        inner.top() - outer.top(),
        outer.right() - inner.right(),
        outer.bottom() - inner.bottom(),
    )


def _narrow_docks(window: QMainWindow, width: int) -> None:
    docks = window.findChildren(QDockWidget)
    if docks:
        from PySide6.QtCore import Qt  # its first use is slow: not on the shell's first paint

        dock_width = DOCK_WIDTH_NARROW if width < NARROW_WINDOW else DOCK_WIDTH_WIDE
        window.resizeDocks(docks, [dock_width] * len(docks), Qt.Orientation.Horizontal)


def place_on_screen(window: QMainWindow) -> None:
    """Size and place ``window`` for the screen it opens on (its first appearance)."""
    rect = first_window_rect(_available(window), frame=_frame(window))
    window.setGeometry(rect)
    _narrow_docks(window, rect.width())


def keep_on_screen(window: QMainWindow) -> None:
    """Place ``window`` anew when its (restored) geometry does not fit its screen."""
    if not fits(window.geometry(), _available(window), _frame(window)):
        place_on_screen(window)
