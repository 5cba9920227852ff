"""Where the keyboard goes in a panel: Tab in reading order, the next step to do, always in view."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QRect, Qt
from PySide6.QtWidgets import QScrollArea, QWidget


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


def bring_into_view(scroll_area: QScrollArea, widget: QWidget) -> None:
    """Scroll ``scroll_area`` so ``widget`` (somewhere inside it) is on screen, with some room."""
    settle_layouts()
    scroll_area.ensureWidgetVisible(widget, 10, 40)


def in_viewport(scroll_area: QScrollArea, widget: QWidget) -> bool:
    """True when ``widget`` shows at least partly in the scroll area's viewport."""
    viewport = scroll_area.viewport()
    if not viewport.isAncestorOf(widget):
        return False
    place = QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size())
    return viewport.rect().intersects(place)


def next_focus(candidates: Iterable[tuple[QWidget | None, bool]]) -> QWidget | None:
    """The first target of a step that must be done; else of an optional one; else None.

    ``candidates`` are (target, optional) pairs in plan order; a None target has nothing to do.
    """
    pairs = [(target, optional) for target, optional in candidates if target is not None]
    required = next((target for target, optional in pairs if not optional), None)
    return required or next((target for target, _optional in pairs), None)
