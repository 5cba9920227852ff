"""The portal roster handed out: exported to a CSV file, or read for a printout (DESIGN.md section 5).

Both are access events of many charts at once, so like the clinic-wide list they are for
managers and administrators, and each leaves one audit entry (who, the filter, how many rows;
never a patient's data). The CSV file is written page by page (keyset pages: a million charts
never sit in memory), beside its final name, readable by its owner only, and moved into place
only once its audit entry is committed: no file without its entry, no half file.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desk.db.models import StaffMember
from clinic_desk.domain.errors import NotAllowed
from clinic_desk.domain.roles import Permission, may, who_may
from clinic_desk.domain.roster import RosterFilter, RosterPage, RosterRow, RosterSort
from clinic_desk.domain.roster_sheet import (
    SHEET_COLUMNS,
    RosterPrintout,
    filter_audit_fields,
    sheet_cells,
    spreadsheet_safe,
)
from clinic_desk.services import audit
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.database import ClinicDatabase
from clinic_desk.services.permissions import authorize
from clinic_desk.services.private_files import checked_target, private_text_file

#: Rows read per round trip while exporting: few round trips, bounded memory.
EXPORT_PAGE: Final = 1000
#: A printout stops here (about 250 pages); a longer list is for the CSV export.
PRINT_LIMIT: Final = 5000
#: The permission a clinic-wide list needs (DESIGN.md section 5: like bulk invitations).
ROSTER_LIST: Final = Permission.BULK_INVITATIONS

#: Reads one keyset page of the roster: ``after`` is None for the first page.
Pages = Callable[[tuple[object, ...] | None, int], RosterPage]


def authorize_roster_list(session: Session, actor: object, doing: str) -> str:
    """The name to record for ``actor``; NotAllowed, in words about the roster, unless they may."""
    name = authorize(session, actor, Permission.VIEW)  # a staff member, signed in and turned on
    role = session.scalar(select(StaffMember.role).where(StaffMember.username_key == name.lower()))
    if role is not None and not may(role, ROSTER_LIST):
        raise NotAllowed(f"Only {who_may(ROSTER_LIST)} may {doing} the clinic-wide portal roster.")
    return name


def _check(db: ClinicDatabase, actor: object, doing: str) -> None:
    """Refuse before reading a row (a read: no write lock taken); the audit entry checks again."""
    with db.reading() as session:
        authorize_roster_list(session, actor, doing)


def _rows(pages: Pages, limit: int | None = None) -> Iterator[RosterRow]:
    """Every row, page after page, up to ``limit`` rows when given."""
    after: tuple[object, ...] | None = None
    given = 0
    while True:
        size = EXPORT_PAGE if limit is None else min(EXPORT_PAGE, limit - given)
        if size <= 0:
            return
        page = pages(after, size)
        yield from page.rows
        given += len(page.rows)
        if page.next_after is None or not page.rows:
            return
        after = page.next_after


def _record(
    session: Session,
    ctx: ServiceContext,
    *,
    actor: str,
    action: str,
    doing: str,
    roster_filter: RosterFilter,
    sort: RosterSort,
    descending: bool,
    rows: int,
) -> None:
    name = authorize_roster_list(session, actor, doing)
    after = {**filter_audit_fields(roster_filter), "sort": sort, "descending": descending, "rows": rows}
    audit.record(session, at=ctx.now(), actor=name, action=action, patient_id=None, after=after)


def export_roster_csv(
    db: ClinicDatabase,
    pages: Pages,
    roster_filter: RosterFilter,
    path: str | Path,
    *,
    actor: str,
    sort: RosterSort = "name",
    descending: bool = False,
) -> int:
    """Write every chart ``roster_filter`` matches to ``path`` as CSV; returns how many rows.

    Blocking (a worker's job). Raises NotAllowed before reading anything when ``actor`` may
    not, and ValidationError when the file cannot be made there (then nothing is left behind).
    """
    target = checked_target(path, label="Export file", what="the list")
    _check(db, actor, "export")
    written = 0
    with private_text_file(target, what="the list") as out:
        writer = csv.writer(out)
        writer.writerow(SHEET_COLUMNS)
        for row in _rows(pages):
            writer.writerow(spreadsheet_safe(cell) for cell in sheet_cells(row))
            written += 1
        # Recorded before the file takes its name: an export nobody logged never appears.
        db.run(
            lambda session, ctx: _record(
                session,
                ctx,
                actor=actor,
                action="export_roster",
                doing="export",
                roster_filter=roster_filter,
                sort=sort,
                descending=descending,
                rows=written,
            )
        )
    return written


def roster_printout(
    db: ClinicDatabase,
    pages: Pages,
    roster_filter: RosterFilter,
    *,
    actor: str,
    sort: RosterSort = "name",
    descending: bool = False,
    limit: int = PRINT_LIMIT,
) -> RosterPrintout:
    """The rows to print (at most ``limit``), recorded as one access event of that many charts."""
    _check(db, actor, "print")
    rows: list[RosterRow] = []
    complete = True
    for row in _rows(pages, limit + 1):  # one more says whether the list goes on
        if len(rows) == limit:
            complete = False
            break
        rows.append(row)
    db.run(
        lambda session, ctx: _record(
            session,
            ctx,
            actor=actor,
            action="print_roster",
            doing="print",
            roster_filter=roster_filter,
            sort=sort,
            descending=descending,
            rows=len(rows),
        )
    )
    return RosterPrintout(rows=tuple(rows), complete=complete)
