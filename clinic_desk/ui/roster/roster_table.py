"""The roster's table view: whole rows, extended selection, header clicks sort (see PortalRoster)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QSize, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from clinic_desk.ui.roster.roster_words import COLUMNS, REASON_COLUMN

KEYS_HINT = (
    "Arrows, Page Up and Page Down move; Shift or Ctrl with them select several; "
    "Enter opens the patient's dash"
)


def roster_table(parent: QWidget, model: QAbstractItemModel) -> QTableView:
    """A read-only table of the roster: rows only, several at once; Tab leaves it."""
    table = QTableView(parent)
    table.setObjectName("rosterTable")
    table.setAccessibleName("Patients")
    table.setAccessibleDescription(KEYS_HINT)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)
    table.setWordWrap(False)
    table.setIconSize(QSize(20, 20))
    table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
    table.verticalHeader().hide()
    rows = table.verticalHeader()
    rows.setDefaultSectionSize(table.fontMetrics().height() + 12)
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # fixed rows: no measuring while scrolling
    header = table.horizontalHeader()
    header.setSectionsClickable(True)
    header.setSortIndicatorShown(True)
    header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setMinimumSectionSize(60)
    for column, spec in enumerate(COLUMNS):
        table.setColumnWidth(column, spec.width)
    # The main reason takes the room left, so the whole row fits a 1024-px screen without
    # scrolling sideways; cut words end in "…" (the tooltip says them whole).
    header.setStretchLastSection(False)
    header.setSectionResizeMode(REASON_COLUMN, QHeaderView.ResizeMode.Stretch)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    return table
