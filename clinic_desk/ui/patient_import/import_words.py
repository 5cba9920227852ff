"""The import dialog's words: field names, the report's summary, the report file's name."""

from __future__ import annotations

from datetime import date

from clinic_desk.domain.patient_import import FIELD_LABELS, ImportReport

SKIP = "(skip)"

#: How many rejected rows and flags the window lists; the saved report holds them all.
LISTED = 200


def field_words(field: str) -> str:
    """'date_of_birth' → 'Date of birth'."""
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


def reason_words(row_number: int, reason: str) -> str:
    """The services' reason without its leading 'Row 4: ' (the row number shows beside it)."""
    prefix = f"Row {row_number}: "
    return reason[len(prefix) :] if reason.startswith(prefix) else reason


def summary_words(report: ImportReport) -> str:
    """The report's own sentence (would create n, update m, …), then what it means for staff now."""
    words = report.summary()
    if report.cancelled and report.dry_run:
        return words + " The check stopped: nothing was saved."
    if report.cancelled:
        return (
            words + " What was saved before Cancel stays saved; importing the same file again "
            "carries on without duplicates."
        )
    if report.dry_run:
        return words + " Nothing has been saved yet: Import saves it."
    return words


def detail_lines(report: ImportReport, limit: int = LISTED) -> list[str]:
    """One line per rejected row, per value left out and per flagged chart (the first ``limit`` of each)."""
    lines = [
        f"Row {row}: not imported — {reason_words(row, reason)}" for row, reason in report.rejected[:limit]
    ]
    if len(report.rejected) > limit:
        lines.append(f"… and {len(report.rejected) - limit} more rejected rows (all in the saved report).")
    lines += [f"Row {row}: {message}" for row, message in report.warnings[:limit]]
    if len(report.warnings) > limit:
        lines.append(
            f"… and {len(report.warnings) - limit} more values not imported (all in the saved report)."
        )
    lines += [f"Chart {pid}: possible duplicate — {message}" for pid, message in report.flagged[:limit]]
    if len(report.flagged) > limit:
        lines.append(
            f"… and {len(report.flagged) - limit} more possible duplicates (all in the saved report)."
        )
    return lines


def report_file_name(report: ImportReport, today: date) -> str:
    """'import-report-2026-11-27.csv'; a dry run's: 'import-dry-run-report-2026-11-27.csv'."""
    kind = "import-dry-run-report" if report.dry_run else "import-report"
    return f"{kind}-{today.isoformat()}.csv"
