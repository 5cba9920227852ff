"""An import's report saved as CSV: the one writer the command line and the dialog share.

Owner-only (0600: the report names charts and rows of a patient file), every cell
spreadsheet-safe (a file can hold anything, and a cell starting with '=' would run), written
beside its final name and moved into place whole: never half a report.
"""

from __future__ import annotations

import csv
from pathlib import Path

from clinic_desk.domain.patient_import import ImportReport, report_rows
from clinic_desk.domain.roster_sheet import spreadsheet_safe
from clinic_desk.services.private_files import checked_target, private_text_file


def save_import_report(report: ImportReport, path: str | Path) -> int:
    """Write ``report`` to ``path`` as CSV; returns the report's rows written (not the header).

    ValidationError when the file cannot be made there (then nothing is left behind).
    """
    target = checked_target(path, label="Report file", what="the report")
    written = 0
    with private_text_file(target, what="the report") as out:
        writer = csv.writer(out)
        for row in report_rows(report):
            writer.writerow(spreadsheet_safe(cell) for cell in row)
            written += 1
    return max(written - 1, 0)  # the header is not a row of the report
