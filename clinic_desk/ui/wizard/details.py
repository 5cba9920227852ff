"""Labelled facts of a step or tip, one per row: 'Turned off by' / 'dr.kim'."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from clinic_desk.domain.troubleshooting import Detail
from clinic_desk.ui.wizard.text import wrapped_label


class DetailsView(QWidget):
    """The details as a two-column form that wraps its rows when the panel is narrow."""

    def __init__(self, details: Sequence[Detail], object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setAccessibleName("Details")
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(10)
        layout.setVerticalSpacing(4)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.values: dict[str, QLabel] = {}
        for detail in details:
            label = QLabel(detail.label, self)
            label.setProperty("role", "detailLabel")
            value = wrapped_label(detail.value, self, selectable=True)
            value.setAccessibleName(detail.label)
            label.setBuddy(value)
            layout.addRow(label, value)
            self.values[detail.label] = value

    def text(self) -> str:
        """All rows as 'label: value' lines (for screen readers and tests)."""
        return "\n".join(f"{label}: {value.text()}" for label, value in self.values.items())
