"""An import's report saved as CSV: the one writer the command line and the dialog share.

Owner-only (0600: the report names charts and rows of a patient file), every cell
spreadsheet-safe (a file can hold anything, and a cell starting with '=' would run), written
beside its final name and moved into place whole: never half a report.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.patient_import import ImportReport, report_rows
from clinic_desk.domain.roster_sheet import spreadsheet_safe
from clinic_desk.domain.settings_rules import clean_path
from clinic_desk.services.private_files import private_file


def save_import_report(report: ImportReport, path: str | Path) -> int:
    """Write ``report`` to ``path`` as CSV; returns the report's rows written (not the header).

    ValidationError when the file cannot be made there (then nothing is left behind).
    """
    target = Path(clean_path(str(path), label="Report file", field="path"))
    if not target.name:
        raise ValidationError("Report file: choose a file name to save the report in.", field="path")
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    try:
        handle = private_file(partial)
    except OSError as error:
        raise ValidationError(
            f"The report cannot be saved there ({error.strerror or 'the folder cannot be written'}): "
            "choose another folder. Nothing was saved.",
            field="path",
        ) from None
    written = 0
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            for row in report_rows(report):
                writer.writerow(spreadsheet_safe(cell) for cell in row)
                written += 1
        os.replace(partial, target)
        os.chmod(target, 0o600)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return max(written - 1, 0)  # the header is not a row of the report
