"""What an import of patients from another records system reads, shows and reports.

Pure values (DESIGN.md section 6): the importable fields, a row as read from the file,
the preview of the first rows and the report. The rules that clean a row live in
``domain.import_rows``; the column names EHR exports use live in ``domain.import_columns``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

#: The fields a file can bring, in the order the preview and the report list them.
IMPORT_FIELDS: Final = (
    "mrn",
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "sex",
    "email",
    "phone",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "zip_code",
    "status",
    "preferred_language",
)

#: Field names as staff read them (messages, the preview's headings).
FIELD_LABELS: Final = {
    "mrn": "MRN",
    "first_name": "First name",
    "last_name": "Last name",
    "preferred_name": "Preferred name",
    "date_of_birth": "Date of birth",
    "sex": "Sex",
    "email": "Email",
    "phone": "Phone",
    "address_line1": "Address",
    "address_line2": "Address line 2",
    "city": "City",
    "state": "State",
    "zip_code": "ZIP code",
    "status": "Status",
    "preferred_language": "Preferred language",
}

ImportFormat = Literal["csv", "fhir-ndjson", "fhir-bundle"]
IMPORT_FORMATS: Final[tuple[ImportFormat, ...]] = ("csv", "fhir-ndjson", "fhir-bundle")


@dataclass(frozen=True)
class ImportRow:
    """One patient as read from the file: raw text per field, or why it cannot be read."""

    row_number: int  # CSV: the spreadsheet row (the header is row 1); NDJSON: the line; Bundle: the entry
    values: dict[str, str]
    problem: str | None = None


@dataclass(frozen=True)
class PreviewRow:
    """A row as it will be stored (cleaned text per field), or the plain reason it will not."""

    row_number: int
    values: dict[str, str]
    problem: str | None = None
    warnings: tuple[str, ...] = ()  # optional values that will be left out, and why


@dataclass(frozen=True)
class ImportPreview:
    """The first rows of a file, read as the import would read them."""

    format: ImportFormat
    encoding: str
    columns: tuple[str, ...]  # the CSV header; () for FHIR
    mapping: dict[str, str]  # column -> field, as applied
    rows: tuple[PreviewRow, ...]


@dataclass
class ImportReport:
    """What an import did (or, on a dry run, would do)."""

    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (row number, plain reason)
    flagged: list[tuple[int, str]] = field(default_factory=list)  # (patient id, message)
    # (row number, plain words): an optional value left out of an imported row (a bad phone, a
    # foreign postcode); the rest of the row is imported and the chart keeps what it had there.
    warnings: list[tuple[int, str]] = field(default_factory=list)
    cancelled: bool = False
    dry_run: bool = False
    rows_read: int = 0

    def summary(self) -> str:
        """One sentence for staff: what happened, or on a dry run what would."""
        created, updated, unchanged, rejected = (
            len(self.created), len(self.updated), len(self.unchanged), len(self.rejected),
        )  # fmt: skip
        if self.dry_run:
            text = f"Would create {created}, update {updated}, leave {unchanged} unchanged, reject {rejected}"
        else:
            text = f"Created {created}, updated {updated}, {unchanged} unchanged, {rejected} rejected"
        if self.warnings:
            count = len(self.warnings)
            values = "value" if count == 1 else "values"
            text += f"; {count} {values} {'would not be' if self.dry_run else 'not'} imported"
        if self.flagged:
            count = len(self.flagged)
            text += f"; {count} possible {'duplicate' if count == 1 else 'duplicates'} flagged"
        return text + (" (cancelled)." if self.cancelled else ".")


def report_rows(report: ImportReport) -> list[tuple[str, ...]]:
    """The report as CSV rows, header first: one row per chart, rejected row or value left out."""
    rows: list[tuple[str, ...]] = [("outcome", "patient_id", "row", "message")]
    outcome = "would create" if report.dry_run else "created"
    rows += [(outcome, str(pid), "", "") for pid in report.created]
    rows += [("updated", str(pid), "", "") for pid in report.updated]
    rows += [("unchanged", str(pid), "", "") for pid in report.unchanged]
    rows += [("rejected", "", str(number), reason) for number, reason in report.rejected]
    rows += [("warning", "", str(number), message) for number, message in report.warnings]
    rows += [("flagged", str(pid), "", message) for pid, message in report.flagged]
    return rows
