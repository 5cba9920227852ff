"""The staff accounts as a table model: full name, username, role, active, last sign-in, locked until."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from clinic_desk.ui.admin.audit_words import local_time
from clinic_desk.ui.admin.cells_model import CellsTableModel
from clinic_desk.ui.theme import current_colors

COLUMNS = ("Full name", "Username", "Role", "Active", "Last sign-in", "Locked until")
_Index = QModelIndex | QPersistentModelIndex


def locked_words(member: Any, now: datetime) -> str:
    """'11:45' while the sign-in is locked ('' when it is not)."""
    until = member.locked_until
    if until is None or until <= now:
        return ""
    return local_time(until)


def member_cells(member: Any, now: datetime) -> tuple[str, ...]:
    """One ``StaffAccount`` as the table's cells."""
    return (
        member.full_name,
        member.username,
        member.role_label,
        "Yes" if member.active else "No (turned off)",
        local_time(member.last_sign_in_at) or "never",
        locked_words(member, now),
    )


class StaffTableModel(CellsTableModel):
    """Every staff account, disabled ones too (they stay: the audit log keeps their names)."""

    columns = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._members: list[Any] = []

    def set_members(self, members: Sequence[Any], now: datetime) -> None:
        """Show ``members`` (``now`` decides which lockouts are still running)."""
        self.beginResetModel()
        self._members = list(members)
        self._cells = [member_cells(member, now) for member in self._members]
        self.endResetModel()

    @property
    def members(self) -> list[Any]:
        """The accounts on show, in table order."""
        return list(self._members)

    def member(self, row: int) -> Any:
        """The account on ``row``, or None."""
        return self._members[row] if 0 <= row < len(self._members) else None

    def row_of(self, username: str) -> int:
        """The row showing ``username`` (any case), or -1."""
        key = username.casefold()
        return next((i for i, m in enumerate(self._members) if m.username.casefold() == key), -1)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and not self._members[index.row()].active:
            return QColor(current_colors().text_muted)  # painted now: the theme of the moment
        return None
