"""The preview table: the file's first rows as they will be stored, problems said in words."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from clinic_desk.domain.patient_import import PreviewRow
from clinic_desk.ui.patient_import.import_words import field_words, reason_words

_Index = QModelIndex | QPersistentModelIndex
OK_WORDS = "OK"
_PROBLEM_TINT = QColor(200, 40, 40, 40)  # a hint only: the "Will be stored" column says it in words


class PreviewModel(QAbstractTableModel):
    """Row number, 'OK' or 'Rejected: why', then one column per field the rows carry."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PreviewRow] = []
        self._fields: list[str] = []

    @property
    def fields(self) -> list[str]:
        """The fields shown, in the services' order."""
        return list(self._fields)

    def set_preview(self, rows: list[PreviewRow], fields: list[str]) -> None:
        """Show ``rows`` (``PreviewRow`` values) with one column per field in ``fields``."""
        self.beginResetModel()
        self._rows = list(rows)
        self._fields = list(fields)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else 2 + len(self._fields)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == 0:
            return "Row"
        if section == 1:
            return "Will be stored"
        return field_words(self._fields[section - 2])

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return str(row.row_number)
            if column == 1:
                return _verdict(row)
            return row.values.get(self._fields[column - 2], "")
        if role == Qt.ItemDataRole.BackgroundRole and row.problem:
            return _PROBLEM_TINT
        if role == Qt.ItemDataRole.AccessibleTextRole and column == 1:
            return f"Row {row.row_number}: {_verdict(row)}"
        return None

    def cell(self, row: int, column: int) -> str:
        """The text in one cell (tests and screen readers read the same words)."""
        return str(self.data(self.index(row, column)) or "")


def _verdict(row: PreviewRow) -> str:
    """'OK'; 'OK, but Phone '555-0100' was not imported: …'; or 'Rejected: why'."""
    if row.problem:
        return f"Rejected: {reason_words(row.row_number, row.problem)}"
    if row.warnings:
        return f"{OK_WORDS}, but " + "; ".join(row.warnings)
    return OK_WORDS
