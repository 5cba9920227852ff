"""The report of a dry run or an import: one summary line, then each rejected row and flagged chart."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from clinic_desk.domain.patient_import import ImportReport
from clinic_desk.ui.patient_import.import_words import detail_lines, summary_words


class ReportView(QWidget):
    """What a dry run would do, or what an import did, in a receptionist's words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importReport")
        self.setAccessibleName("Import report")
        self.report: ImportReport | None = None
        self.summary = QLabel(self)
        self.summary.setObjectName("importReportSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.summary.font()
        font.setBold(True)  # the answer to "what will happen?"
        self.summary.setFont(font)
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("importReportDetails")
        self.details.setAccessibleName("Rejected rows, values not imported and possible duplicates")
        self.details.setReadOnly(True)
        self.details.setTabChangesFocus(True)  # Tab leaves the list, as everywhere else
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        lines = self.details.fontMetrics().lineSpacing()
        self.details.setMinimumHeight(lines * 4)
        self.details.setMaximumHeight(lines * 10)  # the preview keeps the room; the list scrolls
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.details, 1)
        self.hide()

    def show_report(self, report: ImportReport) -> None:
        """Show ``report`` (an ``ImportReport``)."""
        self.report = report
        words = summary_words(report)
        self.summary.setText(words)
        self.setAccessibleDescription(words)
        lines = detail_lines(report)
        self.details.setPlainText("\n".join(lines))
        self.details.setVisible(bool(lines))
        self.show()

    def clear_report(self) -> None:
        """Nothing to report (another file, another mapping)."""
        self.report = None
        self.summary.clear()
        self.details.clear()
        self.hide()

    def text(self) -> str:
        """Everything shown, as one text (tests read it)."""
        return "\n".join([self.summary.text(), self.details.toPlainText()]).strip()
