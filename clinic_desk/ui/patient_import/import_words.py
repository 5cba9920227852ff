"""The import dialog's words: field names, the report's summary, the report file's name."""

from __future__ import annotations

from datetime import date
from typing import Any

SKIP = "(skip)"

#: Field names as the desk shows them; a field the services add later reads from its code.
_FIELD_WORDS = {
    "mrn": "MRN",
    "first_name": "First name",
    "last_name": "Last name",
    "date_of_birth": "Date of birth",
    "email": "Email",
    "zip_code": "ZIP code",
    "phone": "Phone",
    "status": "Status",
    "preferred_language": "Preferred language",
}

#: How many rejected rows and flags the window lists; the saved report holds them all.
LISTED = 200


def field_words(field: str) -> str:
    """'date_of_birth' → 'Date of birth'."""
    return _FIELD_WORDS.get(field, field.replace("_", " ").capitalize())


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def summary_words(report: Any) -> str:
    """'Would create 3 charts, update 1, leave 2 unchanged, reject 1 row.' (or 'Created …')."""
    created, updated = len(report.created), len(report.updated)
    unchanged, rejected = len(report.unchanged), len(report.rejected)
    if report.dry_run:
        head = f"Would create {_count(created, 'chart', 'charts')}, update {updated}, "
        head += f"leave {unchanged} unchanged and reject {_count(rejected, 'row', 'rows')}."
    else:
        head = f"Created {_count(created, 'chart', 'charts')}, updated {updated}, "
        head += f"left {unchanged} unchanged and rejected {_count(rejected, 'row', 'rows')}."
    if report.flagged:
        head += f" {_count(len(report.flagged), 'possible duplicate', 'possible duplicates')} flagged."
    if report.cancelled:
        head = (
            f"Stopped after {report.rows_read} rows: what was saved stays saved, and importing "
            "the same file again carries on without duplicates. " + head
        )
    elif not report.dry_run:
        head += " Nothing else to do: the charts are in."
    else:
        head += " Nothing has been saved yet."
    return head


def detail_lines(report: Any, limit: int = LISTED) -> list[str]:
    """One line per rejected row and per flagged chart (the first ``limit`` of each)."""
    lines = [f"Row {row}: rejected, {reason}" for row, reason in report.rejected[:limit]]
    if len(report.rejected) > limit:
        lines.append(f"… and {len(report.rejected) - limit} more rejected rows (all in the saved report).")
    lines += [f"Chart {pid}: possible duplicate, {message}" for pid, message in report.flagged[:limit]]
    if len(report.flagged) > limit:
        lines.append(
            f"… and {len(report.flagged) - limit} more possible duplicates (all in the saved report)."
        )
    return lines


def report_file_name(report: Any, today: date) -> str:
    """'import-report-2026-11-27.csv'; a dry run's: 'import-dry-run-report-2026-11-27.csv'."""
    kind = "import-dry-run-report" if report.dry_run else "import-report"
    return f"{kind}-{today.isoformat()}.csv"
