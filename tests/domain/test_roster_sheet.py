"""What an exported or printed roster says: its file name, its cells kept as text."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from clinic_desk.domain.roster import RosterFilter, RosterRow
from clinic_desk.domain.roster_sheet import (
    filter_audit_fields,
    roster_file_name,
    sheet_cells,
    spreadsheet_safe,
)

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("roster_filter", "name"),
    [
        (RosterFilter(), "portal-roster-2026-11-27.csv"),
        (RosterFilter(color="red", reason="missing_email"), "portal-roster-red-missing-email-2026-11-27.csv"),
        (RosterFilter(trouble="invitation_expired"), "portal-roster-invitation-expired-2026-11-27.csv"),
        (RosterFilter(text="O'Neil 1980"), "portal-roster-filtered-2026-11-27.csv"),
    ],
)
def test_the_file_name_says_what_it_holds_and_never_the_typed_text(roster_filter, name):
    assert roster_file_name(roster_filter, TODAY) == name


@pytest.mark.parametrize(
    ("cell", "kept"),
    [
        ("=1+1", "'=1+1"),
        ("+1 555", "'+1 555"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("O'Neil, Maria", "O'Neil, Maria"),
        ("", ""),
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_kept_as_text(cell, kept):
    assert spreadsheet_safe(cell) == kept


def test_a_row_as_cells_and_the_audited_filter():
    row = RosterRow(
        patient_id=4,
        mrn="M000004",
        last_name="Lee",
        first_name="Ann",
        date_of_birth=date(1955, 1, 20),
        patient_status="active",
        color="gold",
        main_reason="no_invitation_sent",
        main_reason_words="Never invited",
        last_invited_at=None,
        last_login_at=datetime(2026, 11, 2, 9, 5, tzinfo=UTC),
    )
    cells = sheet_cells(row)
    assert cells[:7] == ("Lee, Ann", "M000004", "1955-01-20", "active", "gold", "Never invited", "")
    assert cells[7] == datetime(2026, 11, 2, 9, 5, tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")
    assert filter_audit_fields(RosterFilter(color="red", text="Lee")) == {
        "color": "red",
        "reason": None,
        "trouble": None,
        "text_filter": True,
    }
