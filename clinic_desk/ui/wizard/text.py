"""Small label helpers: every text in the panel wraps, so nothing forces a horizontal scroll."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget


def wrapped_label(
    text: str, parent: QWidget, *, role: str | None = None, object_name: str = "", selectable: bool = False
) -> QLabel:
    """A plain-text label that wraps at the panel's width."""
    label = QLabel(text, parent)
    make_wrapping(label)
    if role:
        label.setProperty("role", role)
    if object_name:
        label.setObjectName(object_name)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def make_wrapping(label: QLabel) -> None:
    """Plain text that wraps at the panel's width."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)


def set_role(label: QLabel, role: str) -> None:
    """Change a label's ``role`` property and restyle it."""
    label.setProperty("role", role)
    style = label.style()
    style.unpolish(label)
    style.polish(label)


_dying: list[QWidget] = []


def discard(widget: QWidget) -> None:
    """Take ``widget`` out of its parent now (findChild no longer sees it) and delete it later.

    The Python reference is kept until Qt deletes the widget, so Python never deletes a
    widget in the middle of a Qt event.
    """
    widget.hide()
    _dying[:] = [item for item in _dying if shiboken6.isValid(item)]
    _dying.append(widget)
    widget.setParent(None)
    widget.deleteLater()


# At the latest, how long the last patient's hidden plan waits before it is deleted; usually
# the next plan's drawing deletes it first (discard_left_behind). Deleting a plan's cards is
# milliseconds of widgets that would otherwise come before the next patient's first paint.
DISCARD_DELAY_MS = 400
_left_behind: list[QWidget] = []


def discard_soon(widget: QWidget) -> None:
    """Hide ``widget`` now and delete it later (see :func:`discard_left_behind`), without
    reparenting it.

    Cheaper than :func:`discard` (leaving its parent re-styles the whole subtree): for widgets
    whose replacements come in a later turn, e.g. the last patient's plan when another opens.
    """
    widget.hide()
    _left_behind.append(widget)
    QTimer.singleShot(DISCARD_DELAY_MS, widget, widget.deleteLater)


def discard_left_behind() -> None:
    """Delete (next turn) every widget :func:`discard_soon` hid: their replacements are coming now."""
    for widget in _left_behind:
        if shiboken6.isValid(widget):
            widget.deleteLater()
    _left_behind.clear()
