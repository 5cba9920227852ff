"""The clinic-wide audit log as a table model, and the filter it is read with.

Reading happens on worker threads (:mod:`clinic_desk.ui.admin.audit_log`); the model only
holds the plain :class:`AuditRecord` values of the page on show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from clinic_desk.ui.admin.audit_words import COLUMNS, record_cells
from clinic_desk.ui.admin.cells_model import CellsTableModel

if TYPE_CHECKING:
    from clinic_desk import Clinic

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class AuditQuery:
    """What the log is narrowed to (every part optional): who, what, which patient, which days."""

    actor: str | None = None
    action: str | None = None
    patient_id: int | None = None
    since: date | None = None
    until: date | None = None  # that whole day included


def read_page(
    clinic: Clinic, query: AuditQuery, *, before_id: int | None, limit: int, viewer: str
) -> list[Any]:
    """One page of the log, newest first (blocking: worker threads only)."""
    return clinic.audit(
        patient_id=query.patient_id,
        actor=query.actor,
        action=query.action,
        since=query.since,
        until=query.until,
        before_id=before_id,
        limit=limit,
        viewer=viewer,
    )


class AuditTableModel(CellsTableModel):
    """One page of audit entries: when, who, workstation, what, patient, before → after, note."""

    columns = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._records: list[Any] = []

    def set_records(self, records: Sequence[Any]) -> None:
        """Show ``records`` (newest first)."""
        self.beginResetModel()
        self._records = list(records)
        self._cells = [record_cells(record) for record in self._records]
        self.endResetModel()

    @property
    def records(self) -> list[Any]:
        """The entries on show."""
        return list(self._records)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        text = self._cells[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return text
        if role == Qt.ItemDataRole.ToolTipRole and len(text) > 40:
            return text
        return None
