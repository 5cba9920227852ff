"""Save an import report as CSV: readable by its owner only, written whole or not at all.

Runs on a worker thread; never touches a widget.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

from clinic_desk.domain.patient_import import ImportReport, report_rows
from clinic_desk.ui.private_csv import private_file, spreadsheet_cell


def save_report_csv(report: ImportReport, path: str | Path) -> int:
    """Write ``report`` (its ``report_rows``) to ``path``, mode 0600; returns the rows written."""
    target = Path(path)
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    written = 0
    try:
        with os.fdopen(private_file(partial), "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            for row in report_rows(report):
                writer.writerow(spreadsheet_cell(value) for value in row)
                written += 1
        os.replace(partial, target)
        os.chmod(target, 0o600)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return max(written - 1, 0)  # the header is not a row of the report
