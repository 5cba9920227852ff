"""``clinic-desk import FILE``: bring patients in from another records system (CSV or FHIR R4).

Prints the report's summary, each rejected row and each value left out (escaped: a file can
hold anything); ``--report OUT.csv`` saves the whole report, readable by its owner only.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from clinic_desk.cli_arguments import ClinicParser
from clinic_desk.cli_output import say, shown
from clinic_desk.cli_sign_in import acting_staff, add_sign_in_options
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.patient_import import IMPORT_FIELDS, ImportReport
from clinic_desk.domain.roles import Permission

if TYPE_CHECKING:
    from clinic_desk.services.clinic import Clinic

OpenClinic = Callable[[argparse.Namespace], "Clinic"]


def add_import_command(
    commands: argparse._SubParsersAction[ClinicParser], database: ClinicParser, open_clinic: OpenClinic
) -> None:
    """The ``import`` command; ``open_clinic(args)`` opens the --db clinic."""
    command = commands.add_parser(
        "import",
        parents=[database],
        help="import patients from a CSV or FHIR R4 file (managers and administrators)",
        description="Import patients from a CSV export (header row) or FHIR R4 Patient resources "
        "(NDJSON bulk export or a Bundle). Patients are matched by MRN; running the same file again "
        f"creates no duplicates. CSV fields: {', '.join(IMPORT_FIELDS)}.",
    )
    command.add_argument("file", metavar="FILE", help="the CSV, NDJSON or JSON file")
    command.add_argument(
        "--format", choices=("csv", "fhir"), help="the file's format (default: from its name and content)"
    )
    command.add_argument("--dry-run", action="store_true", help="report what would happen; write nothing")
    command.add_argument(
        "--clear-empty", action="store_true",
        help="an empty cell clears what the chart has there (optional fields only; default: keep it)",
    )  # fmt: skip
    command.add_argument(
        "--map", action="append", default=[], metavar="COLUMN=FIELD",
        help="read a CSV column as a field (repeatable): --map 'Chart No=mrn'; FIELD empty skips it",
    )  # fmt: skip
    command.add_argument(
        "--report", metavar="OUT.csv", help="save the whole report as CSV (readable by you only)"
    )
    add_sign_in_options(command)
    command.set_defaults(handler=lambda args: _import(args, open_clinic))


def _mapping(pairs: list[str]) -> dict[str, str] | None:
    if not pairs:
        return None
    mapping: dict[str, str] = {}
    for pair in pairs:
        column, equals, field = pair.partition("=")
        if not equals or not column.strip():
            raise ValidationError(
                f"--map '{shown(pair)}': write COLUMN=FIELD, like 'Chart No=mrn'.", field="map"
            )
        mapping[column.strip()] = field.strip()
    return mapping


def _import(args: argparse.Namespace, open_clinic: OpenClinic) -> int:
    mapping = _mapping(args.map)
    with open_clinic(args) as clinic:
        actor = acting_staff(args, clinic, Permission.IMPORT_PATIENTS).actor
        report = clinic.staff.import_patients(
            args.file, actor=actor, dry_run=args.dry_run, mapping=mapping, format=args.format,
            clear_empty=args.clear_empty,
        )  # fmt: skip
        _print(report)
        if args.report:
            clinic.staff.save_import_report(report, args.report)
            say(f"Report saved to {shown(args.report)}.")
    return 0


def _print(report: ImportReport) -> None:
    say(report.summary())
    for _number, reason in report.rejected:
        say(f"  {shown(reason)}")
    for number, message in report.warnings:
        say(f"  Row {number}: {shown(message)}")
    for patient_id, message in report.flagged:
        say(f"  Patient id {patient_id}: {shown(message)}")
