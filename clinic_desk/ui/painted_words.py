"""Words an item view paints in a colour of its own, kept readable in the light and the dark theme.

A table row's colour is set in code (``QTreeWidgetItem.setForeground``), so the
stylesheet cannot follow the theme for it: :func:`tint` remembers the light-theme
colour on the item and paints its stand-in for the current theme; :func:`retint`
paints them again when the theme changes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from clinic_desk.ui.theme import words_color

#: Where an item keeps the light-theme colour it was given.
LIGHT_COLOR_ROLE = int(Qt.ItemDataRole.UserRole) + 41


def tint(item: QTreeWidgetItem, column: int, light: str) -> None:
    """Paint ``item``'s ``column`` in ``light`` (a light-theme colour), readable on this theme."""
    item.setData(column, LIGHT_COLOR_ROLE, light)
    item.setForeground(column, QColor(words_color(light)))


def retint(tree: QTreeWidget) -> None:
    """Paint every tinted cell of ``tree`` again for the current theme."""
    for row in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(row)
        if item is None:
            continue
        for column in range(tree.columnCount()):
            light = item.data(column, LIGHT_COLOR_ROLE)
            if isinstance(light, str) and light:
                item.setForeground(column, QColor(words_color(light)))


def is_theme_change(event: QEvent) -> bool:
    """True for the events a change of theme sends a widget (new stylesheet, new palette)."""
    return event.type() in (QEvent.Type.StyleChange, QEvent.Type.PaletteChange)
