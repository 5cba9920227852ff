"""Export the filtered audit log to a CSV file, page by page, readable by its owner only.

Runs on a worker thread (it reads the database); it never touches a widget. The file is
written beside its final name and moved into place when complete, so a failed export
leaves no half file. No value under a secret-looking name is ever written.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from clinic_desk.ui.admin.audit_model import AuditQuery, read_page
from clinic_desk.ui.admin.audit_words import action_words, entry_change
from clinic_desk.ui.private_csv import private_file, spreadsheet_cell

if TYPE_CHECKING:
    from clinic_desk import Clinic

HEADER = ("id", "when", "who", "workstation", "action", "what", "patient id", "before → after", "note")
PAGE = 1000  # the services' largest page: few round trips, bounded memory


def default_file_name(query: AuditQuery, today: date) -> str:
    """'audit-log-2026-11-26.csv', with the staff member and the action when the log is narrowed."""
    parts = ["audit-log"]
    for part in (query.actor, query.action):
        if part:
            parts.append(re.sub(r"[^A-Za-z0-9._-]+", "-", part).strip("-")[:40] or "filtered")
    if query.patient_id is not None:
        parts.append("one-patient")
    parts.append(today.isoformat())
    return "-".join(parts) + ".csv"


def export_audit_csv(
    clinic: Clinic,
    query: AuditQuery,
    path: str | Path,
    *,
    viewer: str,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write every entry ``query`` matches to ``path`` (newest first); returns how many.

    Blocking: worker threads only. ``progress`` hears the running count after each page.
    """
    target = Path(path)
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    written = 0
    try:
        with os.fdopen(private_file(partial), "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(HEADER)
            before_id: int | None = None
            while True:
                page = read_page(clinic, query, before_id=before_id, limit=PAGE, viewer=viewer)
                for record in page:
                    writer.writerow(
                        spreadsheet_cell(value)
                        for value in (
                            record.id,
                            record.at.astimezone().isoformat(timespec="seconds"),
                            record.actor,
                            record.workstation or "",
                            record.action,
                            action_words(record.action),
                            "" if record.patient_id is None else record.patient_id,
                            entry_change(record),
                            record.note or "",
                        )
                    )
                written += len(page)
                if progress is not None:
                    progress(written)
                if len(page) < PAGE:
                    break
                before_id = page[-1].id
        os.replace(partial, target)
        os.chmod(target, 0o600)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return written
