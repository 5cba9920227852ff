"""Keep the Tab order of a panel the same as what staff see, top to bottom, left to right."""

from __future__ import annotations

import functools
import itertools

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QRect, Qt
from PySide6.QtWidgets import QWidget


def settle_layouts() -> None:
    """Lay out what was just added now, so it has its real place on screen."""
    for _ in range(3):  # a layout request can post another one for the parent
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


def _place(widget: QWidget, root: QWidget) -> QRect:
    return QRect(widget.mapTo(root, QPoint(0, 0)), widget.size())


def _reading_order(first: QRect, second: QRect) -> int:
    """Above comes first; side by side (overlapping rows), left comes first."""
    if first.bottom() < second.top():
        return -1
    if second.bottom() < first.top():
        return 1
    return (first.left() > second.left()) - (first.left() < second.left())


def focus_chain(root: QWidget) -> list[QWidget]:
    """The shown widgets under ``root`` that take Tab focus, in reading order."""
    settle_layouts()
    widgets = [
        widget
        for widget in root.findChildren(QWidget)
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisibleTo(root)
    ]
    places = {id(widget): _place(widget, root) for widget in widgets}
    return sorted(
        widgets,
        key=functools.cmp_to_key(lambda a, b: _reading_order(places[id(a)], places[id(b)])),
    )


def fix_tab_order(root: QWidget) -> list[QWidget]:
    """Make Tab visit the shown widgets under ``root`` in reading order; returns the chain."""
    chain = focus_chain(root)
    for first, second in itertools.pairwise(chain):
        QWidget.setTabOrder(first, second)
    return chain
