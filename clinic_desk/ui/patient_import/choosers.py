"""The two file dialogs of an import: the file to read, and where to save the report."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget

FILE_FILTERS = ";;".join(
    (
        "Patient files (*.csv *.ndjson *.jsonl *.json)",
        "CSV (*.csv)",
        "FHIR NDJSON (*.ndjson *.jsonl)",
        "FHIR Bundle (*.json)",
    )
)


def import_file_chooser(parent: QWidget) -> QFileDialog:
    """Pick an existing CSV, NDJSON or JSON file (deleted on close; not yet shown)."""
    chooser = QFileDialog(parent, "Import patients from a file")
    chooser.setObjectName("importFileChooser")
    chooser.setFileMode(QFileDialog.FileMode.ExistingFile)
    chooser.setNameFilter(FILE_FILTERS)
    chooser.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return chooser


def report_file_chooser(parent: QWidget, file_name: str) -> QFileDialog:
    """Where to save the report as CSV, offering ``file_name`` (deleted on close; not yet shown)."""
    chooser = QFileDialog(parent, "Save the import report")
    chooser.setObjectName("importReportChooser")
    chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    chooser.setNameFilter("CSV files (*.csv)")
    chooser.setDefaultSuffix("csv")
    chooser.selectFile(file_name)
    chooser.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return chooser
