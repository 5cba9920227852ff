"""``clinic.staff.import_patients`` and its preview (DESIGN.md section 6).

The file is read a row at a time; rows are cleaned with the staff checks and written in
batches, each batch its own transaction, so memory stays flat, Cancel (``progress``
answering False) stops after a committed batch, and running the same file again goes on
where it stopped: known MRNs are matched, never duplicated. The import's own audit entry
says only the file's name and the counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any, Final, cast

from sqlalchemy import Table

from clinic_desk.db.analyze import analyze, mark_visible
from clinic_desk.db.models import ImportedValues, Patient, PortalAccount
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.import_columns import clean_mapping
from clinic_desk.domain.import_rows import Cleaned, clean_row, reason_of, stored_text
from clinic_desk.domain.patient_import import ImportPreview, ImportReport, PreviewRow
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.text_rules import printable_prefix
from clinic_desk.services import audit, requests
from clinic_desk.services.database import ClinicDatabase
from clinic_desk.services.import_batch import write_batch
from clinic_desk.services.import_files import ImportSource, open_source
from clinic_desk.services.permissions import authorize
from clinic_desk.services.settings import save_settings

BATCH_ROWS: Final = 1_000
ANALYZE_AFTER: Final = 1_000  # charts written; fewer barely move the planner's statistics
Progress = Callable[[int, int | None], bool | None]  # (rows done, rows expected) -> False cancels
_ACTION: Final = "staff.import_patients"
_TABLES = (
    cast(Table, Patient.__table__),
    cast(Table, PortalAccount.__table__),
    cast(Table, ImportedValues.__table__),
)


class _DryRun(Exception):
    """Raised at the end of a dry run's batch, so its transaction rolls back."""


def _source(
    db: ClinicDatabase, path: str | Path, mapping: Mapping[str, str] | None, format: str | None
) -> ImportSource:
    settings = db.settings
    return open_source(
        path,
        format=format,
        mapping=mapping,
        saved_mapping=settings.csv_import_mapping,
        mrn_system=settings.fhir_mrn_system,
    )


def preview_import(
    db: ClinicDatabase,
    path: str | Path,
    *,
    mapping: Mapping[str, str] | None = None,
    format: str | None = None,
    rows: int = 20,
) -> ImportPreview:
    """The first ``rows`` rows as they will be stored, or why each will be rejected (reads no database)."""
    source = _source(db, path, mapping, format)
    today, domain = db.now().date(), db.settings.placeholder_domain
    shown_rows: list[PreviewRow] = []
    for row in source.rows():
        if len(shown_rows) >= rows:
            break
        warnings: list[str] = []
        try:
            values = stored_text(clean_row(row, today, domain, warnings))
            shown_rows.append(PreviewRow(row.row_number, values, warnings=tuple(warnings)))
        except ValidationError as error:
            shown_rows.append(PreviewRow(row.row_number, dict(row.values), reason_of(error, row.row_number)))
    return ImportPreview(
        source.format, source.encoding, source.columns, dict(source.mapping), tuple(shown_rows)
    )


def import_patients(
    db: ClinicDatabase,
    path: str | Path,
    *,
    actor: str,
    dry_run: bool = False,
    mapping: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    format: str | None = None,
    request_id: str | None = None,
    clear_empty: bool = False,
) -> ImportReport:
    """Import the file's patients; the report says what was (or, dry, would be) done.

    ``clear_empty``: an empty cell of a mapped optional field clears it on a known chart.
    """
    request = requests.clean_request_id(request_id)
    actor = db.read(lambda session, _: authorize(session, actor, Permission.IMPORT_PATIENTS))
    if request is not None:
        earlier = db.read(lambda session, _: requests.earlier_result(session, request, _ACTION))
        if requests.was_done(earlier):
            return _report_from(earlier)
    source = _source(db, path, mapping, format)
    name = Path(path).name
    note = f"From the import of {printable_prefix(name, 80)}."
    report = ImportReport(dry_run=dry_run)
    for batch in _batches(source, report, db, clear_empty=clear_empty):
        try:
            with db.transaction() as session:
                write_batch(session, db.ctx, batch, actor=actor, note=note, report=report)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        if progress is not None and progress(report.rows_read, source.total) is False:
            report.cancelled = True
            break
    if not dry_run:
        _finish(db, report, actor=actor, file_name=name, request=request)
    return report


def _batches(
    source: ImportSource, report: ImportReport, db: ClinicDatabase, *, clear_empty: bool
) -> Iterator[list[tuple[int, Cleaned]]]:
    """Cleaned rows in batches; a batch ends early where an MRN repeats (the second one then
    updates the chart the first made). Rejected rows go straight into the report."""
    today, domain = db.now().date(), db.settings.placeholder_domain
    batch: list[tuple[int, Cleaned]] = []
    mrns: set[str] = set()
    for row in source.rows():
        warnings: list[str] = []
        try:
            values = clean_row(row, today, domain, warnings, clear_empty=clear_empty)
        except ValidationError as error:
            report.rows_read += 1
            report.rejected.append((row.row_number, reason_of(error, row.row_number)))
            continue
        if values["mrn"] in mrns or len(batch) >= BATCH_ROWS:
            yield batch
            batch, mrns = [], set()
        report.rows_read += 1  # counted once its batch is the next one written
        report.warnings += [(row.row_number, warning) for warning in warnings]
        batch.append((row.row_number, values))
        mrns.add(values["mrn"])
    if batch:
        yield batch


def _finish(
    db: ClinicDatabase, report: ImportReport, *, actor: str, file_name: str, request: str | None
) -> None:
    """The import's own audit entry (the file's name and counts only), and fresh statistics."""
    many = len(report.created) + len(report.updated) >= ANALYZE_AFTER
    with db.transaction() as session:
        audit.record(
            session,
            at=db.now(),
            actor=actor,
            action="import_patients",
            patient_id=None,
            after={
                "file": file_name,
                "rows_read": report.rows_read,
                "created": len(report.created),
                "updated": len(report.updated),
                "unchanged": len(report.unchanged),
                "rejected": len(report.rejected),
                "flagged": len(report.flagged),
                "warnings": len(report.warnings),
                "cancelled": report.cancelled,
            },
        )
        if many:
            analyze(session.connection(), _TABLES)
        if request is not None:
            requests.remember(session, request, _ACTION, asdict(report), db.now())
    if many:
        mark_visible(db.engine, _TABLES)


def _report_from(stored: dict[str, Any]) -> ImportReport:
    report = ImportReport(**stored)
    report.rejected = [tuple(pair) for pair in report.rejected]  # type: ignore[misc]
    report.flagged = [tuple(pair) for pair in report.flagged]  # type: ignore[misc]
    report.warnings = [tuple(pair) for pair in report.warnings]  # type: ignore[misc]
    return report


def save_import_mapping(db: ClinicDatabase, mapping: Mapping[str, str], *, actor: str) -> dict[str, str]:
    """Keep the CSV column mapping for next time (a clinic setting); returns it as stored."""
    clean = clean_mapping(mapping)

    def save(session: Any, ctx: Any) -> None:
        name = authorize(session, actor, Permission.IMPORT_PATIENTS)
        before = ctx.settings.csv_import_mapping
        save_settings(session, ctx.settings.updated(csv_import_mapping=clean), ["csv_import_mapping"])
        audit.record(
            session, at=ctx.now(), actor=name, action="save_import_mapping", patient_id=None,
            before={"csv_import_mapping": before}, after={"csv_import_mapping": clean},
        )  # fmt: skip

    db.run(save)
    db.use_settings(db.settings.updated(csv_import_mapping=clean))
    return clean
