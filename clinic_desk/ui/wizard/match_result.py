"""The answer of a match check: the portal's verdict and, field by field, what differs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from clinic_desk.domain.match_check import MatchReport
from clinic_desk.ui.wizard.text import make_wrapping, set_role


def differing_fields(report: MatchReport, patient_id: int | None) -> tuple[str, ...]:
    """The fields that do not match this patient's chart (or the closest chart)."""
    comparison = report.comparison_for(patient_id) if patient_id is not None else None
    if comparison is None and report.near_misses:
        comparison = report.near_misses[0]
    if comparison is None:
        return ()
    return tuple(check.field for check in comparison.mismatches)


def report_words(report: MatchReport, patient_id: int | None) -> str:
    """The verdict, then one line per detail compared with this patient's chart."""
    lines = [report.verdict]
    comparison = report.comparison_for(patient_id) if patient_id is not None else None
    if comparison is not None:
        lines.append("")
        for check in comparison.checks:
            lines.append(("✓ " if check.matches else "✗ ") + check.message)
    if len(report.matches) > 1:
        lines.append("")
        lines.append("Charts that match: " + ", ".join(chart.label for chart in report.matches))
    return "\n".join(lines)


class MatchResultView(QLabel):
    """Shows a :class:`MatchReport` in plain words (``matchCheckResult``).

    The ``outcome`` property holds the report's outcome and ``differingFields`` the
    comma-separated fields that differ, so tests and stylesheets can read them.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        make_wrapping(self)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setObjectName("matchCheckResult")
        self.setAccessibleName("Match check result")
        self.setProperty("role", "matchResult")
        self.setProperty("outcome", "")
        self.setProperty("differingFields", "")
        self.hide()

    def show_report(self, report: MatchReport, patient_id: int | None) -> None:
        """Show what the portal makes of the typed details."""
        text = report_words(report, patient_id)
        self.setText(text)
        self.setAccessibleDescription(text)
        self.setProperty("outcome", report.outcome)
        self.setProperty("differingFields", ",".join(differing_fields(report, patient_id)))
        set_role(self, "matchResult")
        self.show()
