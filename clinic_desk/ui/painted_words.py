"""Words an item view paints in a colour of its own, kept readable in the light and the dark theme.

A table row's colour is set in code (``QTreeWidgetItem.setForeground``), so the
stylesheet cannot follow the theme for it: :func:`tint` remembers the light-theme
colour on the item and paints its stand-in for the current theme; :func:`follow_tints`
has :func:`retint` paint them again when the theme changes.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from clinic_desk.ui.colors import ThemeColors
from clinic_desk.ui.theme import theme_signals, words_color

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


class _TintFollower(QObject):
    """Paints a tree's tinted cells again when the theme changes (a child of the tree)."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self._tree = tree
        theme_signals().colors_changed.connect(self._on_theme_colors_changed)

    @Slot(object)
    def _on_theme_colors_changed(self, _colors: ThemeColors) -> None:
        retint(self._tree)


def follow_tints(tree: QTreeWidget) -> None:
    """Keep ``tree``'s tinted cells readable through every change of theme."""
    _TintFollower(tree)
