"""The import dialog's widgets and layout, apart from what it does with them."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.patient_import import ImportPreview
from clinic_desk.ui.own_style import follow_theme, message_sheet, muted_sheet, no_sheet
from clinic_desk.ui.patient_import.mapping_panel import MappingPanel
from clinic_desk.ui.patient_import.preview_model import PreviewModel
from clinic_desk.ui.patient_import.report_view import ReportView

_FORMAT_WORDS = {"csv": "CSV", "fhir-ndjson": "FHIR NDJSON", "fhir-bundle": "FHIR Bundle"}


STATUS_WIDTH = 260
PREFERRED_SIZE = (1100, 700)


class ImportDialogParts(QDialog):
    """File row, column mapping beside the preview table, report, progress, and the buttons."""

    def __init__(self, fields: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle("Import patients")
        self.setAccessibleName("Import patients")
        self.setAccessibleDescription(
            "Bring patients in from a CSV or FHIR file: look at the first rows, check, then import"
        )
        self._fields = list(fields)

        file_label = QLabel("&File:", self)
        file_label.setObjectName("importFileLabel")
        self.path_field = QLineEdit(self)
        self.path_field.setObjectName("importFilePath")
        self.path_field.setAccessibleName("File to import")
        self.path_field.setAccessibleDescription("Type a path and press Enter, or choose the file")
        self.path_field.setPlaceholderText("A CSV file, FHIR NDJSON or a FHIR Bundle (JSON)")
        file_label.setBuddy(self.path_field)
        self.choose_button = self._button("C&hoose file…", "importChooseButton", "Pick the file to import")
        file_row = QHBoxLayout()
        file_row.addWidget(file_label)
        file_row.addWidget(self.path_field, 1)
        file_row.addWidget(self.choose_button)

        self.file_info = QLabel(self)
        self.file_info.setObjectName("importFileInfo")
        self.file_info.setTextFormat(Qt.TextFormat.PlainText)
        follow_theme(self.file_info, muted_sheet)

        self.mapping_panel = MappingPanel(self._fields, self)
        self.mapping_panel.hide()
        self.preview_model = PreviewModel(self)
        self.preview_table = self._preview_table()
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("importSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.mapping_panel)
        splitter.addWidget(self.preview_table)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([340, 720])

        self.message = QLabel(self)
        self.message.setObjectName("importMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.hide()
        self.report_view = ReportView(self)

        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("importProgress")
        self.progress_bar.setAccessibleName("Import progress")
        self.progress_bar.setAccessibleDescription("Rows read so far")
        self.progress_bar.hide()
        self.status_label = QLabel(self)
        self.status_label.setObjectName("importStatus")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        follow_theme(self.status_label, muted_sheet)

        self.clear_empty_box = QCheckBox("&Empty cells clear what the chart has", self)
        self.clear_empty_box.setObjectName("importClearEmpty")
        self.clear_empty_box.setAccessibleName("Empty cells clear what the chart has")
        self.clear_empty_box.setAccessibleDescription(
            "When on, an empty cell in a mapped column clears that optional field on a known chart; "
            "off keeps what the chart has"
        )
        self.check_button = self._button(
            "&Check (dry run)", "importCheckButton", "Say what an import would do, saving nothing"
        )
        self.import_button = self._button(
            "&Import", "importStartButton", "Import the whole file, batch by batch"
        )
        self.cancel_button = self._button(
            "Ca&ncel import", "importCancelButton", "Stop after the current batch; what is saved stays"
        )
        self.save_report_button = self._button(
            "&Save report…", "importSaveReportButton", "Save this report as a CSV file only you can read"
        )
        self.close_button = self._button("Close", "importCloseButton", "Close the import window")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.clear_empty_box)
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_report_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addWidget(self.file_info)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.report_view)  # its list, when it has one, asks for the room itself
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)
        self._fit_screen(parent)
        self.order_tabs()

    def _fit_screen(self, parent: QWidget | None) -> None:
        """1100x700, or less on a small screen (1024x768 leaves room for the frame and task bar)."""
        screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
        free = screen.availableGeometry()
        self.resize(min(PREFERRED_SIZE[0], free.width() - 48), min(PREFERRED_SIZE[1], free.height() - 80))

    def _button(self, text: str, name: str, description: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.setAccessibleDescription(description)
        button.setAutoDefault(False)  # Enter in the path field previews; it never starts an import
        return button

    def _preview_table(self) -> QTableView:
        table = QTableView(self)
        table.setObjectName("importPreview")
        table.setAccessibleName("Preview of the first rows")
        table.setAccessibleDescription("The file's first rows as they will be stored; rejected rows say why")
        table.setModel(self.preview_model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setTabKeyNavigation(False)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def order_tabs(self) -> None:
        """Tab follows the screen: file, the column combos (made per file), preview, then the buttons."""
        chain: list[QWidget] = [self.path_field, self.choose_button]
        chain += [self.mapping_panel.combo(column) for column in self.mapping_panel.columns()]
        chain += [self.mapping_panel.save_button, self.preview_table, self.report_view.details]
        chain += [
            self.clear_empty_box,
            self.check_button,
            self.import_button,
            self.cancel_button,
            self.save_report_button,
        ]
        chain.append(self.close_button)
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    # -- showing ------------------------------------------------------------------------------------
    def show_preview(self, preview: ImportPreview) -> None:
        """Put ``preview`` (an ``ImportPreview``) in the table and say what the file is."""
        wanted = {field for row in preview.rows for field, value in row.values.items() if value}
        wanted |= set(preview.mapping.values())
        fields = [field for field in self._fields if field in wanted]
        self.preview_model.set_preview(list(preview.rows), fields)
        self.show_status("")
        self.preview_table.resizeColumnsToContents()
        # A long reason would push the values out of sight: it is cut here, whole in the tooltip and report.
        self.preview_table.setColumnWidth(1, min(self.preview_table.columnWidth(1), STATUS_WIDTH))
        kind = _FORMAT_WORDS.get(str(preview.format), str(preview.format).upper())
        problems = sum(1 for row in preview.rows if row.problem)
        words = f"{kind}, {preview.encoding} · the first {len(preview.rows)} rows as they will be stored"
        if problems:
            words += f" · {problems} of them would be rejected (they say why)"
        self.file_info.setText(words)
        self.file_info.setAccessibleDescription(words)

    def show_message(self, words: str, *, error: bool = False) -> None:
        """One line above the report: a problem (error) or a result."""
        self.message.setText(words)
        self.message.setAccessibleDescription(words)
        follow_theme(self.message, message_sheet("error") if error else no_sheet)
        self.message.show()

    def hide_message(self) -> None:
        """No message any more."""
        self.message.hide()
        self.message.clear()

    def message_text(self) -> str:
        """The message on show ('' when none)."""
        return self.message.text() if not self.message.isHidden() else ""

    def show_status(self, words: str) -> None:
        """The line under the progress bar: what is going on now."""
        self.status_label.setText(words)
        self.status_label.setAccessibleDescription(words)
