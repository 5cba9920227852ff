"""The CSV column mapping: one combo per file column (a field or "(skip)"), and "Save for next time".

Signals:
    mapping_changed(dict): staff picked another field for a column ({column: field}).
    save_requested(dict): staff asked to keep this mapping for the next import.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.ui.patient_import.import_words import SKIP, field_words


class MappingPanel(QWidget):
    """Which desk field each column of a CSV file fills (hidden for FHIR files).

    Signals:
        mapping_changed(dict): the mapping after staff changed one column ({column: field}).
        save_requested(dict): "Save this mapping for next time" was pressed.
    """

    mapping_changed = Signal(dict)
    save_requested = Signal(dict)

    def __init__(self, fields: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importMapping")
        self.setAccessibleName("Column mapping")
        self.setAccessibleDescription(
            "Which chart field each column of the file fills; skipped columns are ignored"
        )
        self._fields = list(fields)
        self._combos: dict[str, QComboBox] = {}

        title = QLabel("Columns of the file", self)
        title.setObjectName("importMappingTitle")
        self._form_host = QWidget(self)
        self._form_host.setObjectName("importMappingColumns")
        self._form = QFormLayout(self._form_host)
        self._form.setContentsMargins(0, 0, 4, 0)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        scroll = QScrollArea(self)
        scroll.setObjectName("importMappingScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # combos shrink instead
        scroll.setWidget(self._form_host)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the combos, not the scroll area

        self.save_button = QPushButton("Save this &mapping for next time", self)
        self.save_button.setObjectName("importSaveMappingButton")
        self.save_button.setAccessibleName("Save this mapping for next time")
        self.save_button.setAccessibleDescription("The next CSV file with these columns is read the same way")
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self._on_save_button_clicked)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.save_button)

    def combo(self, column: str) -> QComboBox:
        """The combo choosing the field for ``column``."""
        return self._combos[column]

    def columns(self) -> list[str]:
        """The file's columns, in the file's order."""
        return list(self._combos)

    def set_columns(self, columns: Sequence[str], mapping: dict[str, str]) -> None:
        """Show one combo per column, set to ``mapping`` (a column not in it is skipped)."""
        while self._form.rowCount():
            self._form.removeRow(0)
        self._combos = {}
        for position, column in enumerate(columns):
            combo = QComboBox(self._form_host)
            combo.setObjectName(f"importMappingCombo{position}")
            combo.setAccessibleName(f"Field for column {column}")
            combo.setAccessibleDescription(
                f"Which chart field the file's column “{column}” fills, or skip it"
            )
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)  # fits the panel; the open list shows whole names
            combo.addItem(SKIP, "")
            for field in self._fields:
                combo.addItem(field_words(field), field)
            chosen = combo.findData(mapping.get(column, ""))
            combo.setCurrentIndex(max(chosen, 0))
            combo.currentIndexChanged.connect(self._on_combo_current_index_changed)
            label = QLabel(column, self._form_host)
            label.setObjectName(f"importMappingColumn{position}")
            label.setTextFormat(Qt.TextFormat.PlainText)  # the file's own words, never markup
            label.setBuddy(combo)
            self._form.addRow(label, combo)
            self._combos[column] = combo

    def mapping(self) -> dict[str, str]:
        """{column: field} for every column; '' for a skipped one (else the services would guess it)."""
        return {column: combo.currentData() or "" for column, combo in self._combos.items()}

    def choose(self, column: str, field: str) -> None:
        """Set ``column`` to ``field`` ('' skips it), as staff would."""
        combo = self._combos[column]
        combo.setCurrentIndex(max(combo.findData(field), 0))

    def _on_combo_current_index_changed(self, _index: int) -> None:
        self.mapping_changed.emit(self.mapping())

    def _on_save_button_clicked(self) -> None:
        self.save_requested.emit(self.mapping())
