"""The roster exported to CSV and read for a printout: columns, no secrets, owner-only file,
spreadsheet-safe cells, one audit entry, and only managers and administrators (every database)."""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path

import pytest

from clinic_desk import Clinic, NotAllowed, ValidationError
from clinic_desk.domain.roster import RosterFilter
from clinic_desk.domain.roster_sheet import SHEET_COLUMNS, sheet_cells
from clinic_desk.services import roster_export
from tests.services.helpers import GOOD_PASSWORD, add_ready_patient
from tests.services.staff_helpers import add_team

ACTOR = "frontdesk"


def _charts(clinic: Clinic) -> dict[str, int]:
    """One chart of each colour, and one whose name a spreadsheet would run as a formula."""
    staff = clinic.staff
    ids = {
        "red": staff.add_patient(
            first_name="Rosa", last_name="Abbot", date_of_birth="1971-02-03", zip_code="02139", actor=ACTOR
        ),
        "gold": add_ready_patient(clinic, "Gil", "Baker", actor=ACTOR),
        "blue": add_ready_patient(clinic, "Bea", "Carter", actor=ACTOR),
        "formula": add_ready_patient(
            clinic, "@SUM(A1)", '=HYPERLINK("http://x")', email="formula@example.com", actor=ACTOR
        ),
    }
    staff.send_invitation(ids["gold"], actor=ACTOR)
    staff.set_credentials(ids["blue"], username="bea.carter", password=GOOD_PASSWORD, actor=ACTOR)
    assert clinic.portal.login("bea.carter", GOOD_PASSWORD)
    return ids


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _entries(clinic: Clinic, action: str) -> list:
    return [entry for entry in clinic.audit(limit=1000) if entry.action == action]


def test_every_matching_chart_in_the_roster_order_private_and_audited(clinic: Clinic, tmp_path: Path) -> None:
    ids = _charts(clinic)
    target = tmp_path / "roster.csv"
    assert clinic.export_roster_csv(RosterFilter(), target, actor=ACTOR) == 4
    rows = _read(target)
    assert tuple(rows[0]) == SHEET_COLUMNS
    expected = clinic.roster(RosterFilter(), limit=100).rows
    assert [row[1] for row in rows[1:]] == [row.mrn for row in expected]
    by_mrn = {row.mrn: row for row in expected}
    for cells in rows[1:]:
        roster_row = by_mrn[cells[1]]
        if roster_row.patient_id == ids["formula"]:
            assert cells[0] == "'" + sheet_cells(roster_row)[0]  # kept as text, never run
            continue
        assert tuple(cells) == sheet_cells(roster_row)
    colors = {by_mrn[cells[1]].patient_id: cells[4] for cells in rows[1:]}
    assert colors[ids["red"]] == "red" and colors[ids["gold"]] == "gold" and colors[ids["blue"]] == "blue"
    gold_row = next(cells for cells in rows[1:] if by_mrn[cells[1]].patient_id == ids["gold"])
    blue_row = next(cells for cells in rows[1:] if by_mrn[cells[1]].patient_id == ids["blue"])
    assert gold_row[6] and not gold_row[7]  # invited, never logged in
    assert blue_row[7]
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert not list(tmp_path.glob("*.part"))
    [entry] = _entries(clinic, "export_roster")
    assert entry.patient_id is None and entry.actor == ACTOR
    after = entry.after
    assert after["rows"] == 4 and after["color"] is None and after["text_filter"] is False


def test_no_email_username_password_or_link_goes_out(clinic: Clinic, tmp_path: Path) -> None:
    ids = _charts(clinic)
    link = clinic.mail.outbox(ids["gold"])[0].link
    target = tmp_path / "roster.csv"
    clinic.export_roster_csv(RosterFilter(), target, actor=ACTOR)
    text = target.read_text(encoding="utf-8")
    token = link.rsplit("token=", 1)[-1]
    for secret in (GOOD_PASSWORD, "bea.carter", "@example.com", token, "argon2"):
        assert secret not in text


def test_cells_a_spreadsheet_would_run_start_with_an_apostrophe(clinic: Clinic, tmp_path: Path) -> None:
    ids = _charts(clinic)
    target = tmp_path / "roster.csv"
    clinic.export_roster_csv(RosterFilter(text="HYPERLINK"), target, actor=ACTOR)
    [_header, row] = _read(target)
    assert row[0] == '\'=HYPERLINK("http://x"), @SUM(A1)'
    assert clinic.roster(RosterFilter(text="HYPERLINK")).rows[0].patient_id == ids["formula"]
    for cell in row:
        assert not cell.startswith(("=", "+", "-", "@"))


def test_the_filter_and_sort_are_followed_and_the_typed_text_is_not_audited(
    clinic: Clinic, tmp_path: Path
) -> None:
    _charts(clinic)
    target = tmp_path / "red.csv"
    assert clinic.export_roster_csv(RosterFilter(color="red"), target, actor=ACTOR) == 1
    assert [row[0] for row in _read(target)[1:]] == ["Abbot, Rosa"]
    clinic.export_roster_csv(RosterFilter(text="Baker"), tmp_path / "baker.csv", actor=ACTOR)
    assert [row[0] for row in _read(tmp_path / "baker.csv")[1:]] == ["Baker, Gil"]
    newest = _entries(clinic, "export_roster")[0]
    assert newest.after["text_filter"] is True
    assert "Baker" not in str(newest.after) + (newest.note or "")
    backwards = tmp_path / "backwards.csv"
    clinic.export_roster_csv(RosterFilter(), backwards, actor=ACTOR, sort="name", descending=True)
    mrns = [row[1] for row in _read(backwards)[1:]]
    assert mrns == [row.mrn for row in clinic.roster(RosterFilter(), descending=True).rows]
    assert mrns != [row.mrn for row in clinic.roster(RosterFilter()).rows]


def test_a_list_longer_than_a_page_is_read_page_by_page(
    clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(7):
        add_ready_patient(clinic, "Pat", f"Number{number}", actor=ACTOR)
    monkeypatch.setattr(roster_export, "EXPORT_PAGE", 3)  # three pages, the last one short
    target = tmp_path / "roster.csv"
    assert clinic.export_roster_csv(RosterFilter(), target, actor=ACTOR) == 7
    assert [row[0] for row in _read(target)[1:]] == [f"Number{n}, Pat" for n in range(7)]


def test_only_managers_and_administrators_export_or_print(clinic: Clinic, tmp_path: Path) -> None:
    team = add_team(clinic)
    add_ready_patient(clinic, actor=team.admin)
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "roster.csv"
    with pytest.raises(NotAllowed, match="Only a manager or an administrator may export the clinic-wide"):
        clinic.export_roster_csv(RosterFilter(), target, actor=team.front_desk)
    with pytest.raises(NotAllowed, match="may print the clinic-wide portal roster"):
        clinic.roster_printout(RosterFilter(), actor=team.front_desk)
    with pytest.raises(NotAllowed, match="not a staff member"):
        clinic.export_roster_csv(RosterFilter(), target, actor="stranger")
    assert not list(folder.iterdir())
    assert not _entries(clinic, "export_roster") and not _entries(clinic, "print_roster")
    for member in (team.manager, team.admin):
        assert clinic.export_roster_csv(RosterFilter(), target, actor=member) == 1
    assert [entry.actor for entry in _entries(clinic, "export_roster")] == [team.admin, team.manager]


def test_a_file_that_cannot_be_written_leaves_nothing_and_no_entry(clinic: Clinic, tmp_path: Path) -> None:
    add_ready_patient(clinic, actor=ACTOR)
    with pytest.raises(ValidationError, match="cannot be saved there"):
        clinic.export_roster_csv(RosterFilter(), tmp_path / "no-such-folder" / "roster.csv", actor=ACTOR)
    with pytest.raises(ValidationError, match="one line"):
        clinic.export_roster_csv(RosterFilter(), str(tmp_path / "a\x00b.csv"), actor=ACTOR)
    assert not list(tmp_path.glob("*.csv*"))
    assert not _entries(clinic, "export_roster")


def test_a_printout_stops_at_its_limit_and_is_one_access_event(clinic: Clinic) -> None:
    _charts(clinic)
    printout = clinic.roster_printout(RosterFilter(), actor=ACTOR, limit=3)
    assert len(printout.rows) == 3 and not printout.complete
    assert printout.rows == clinic.roster(RosterFilter(), limit=3).rows
    whole = clinic.roster_printout(RosterFilter(color="blue"), actor=ACTOR)
    assert whole.complete and [row.color for row in whole.rows] == ["blue"]
    entries = _entries(clinic, "print_roster")
    assert [entry.after["rows"] for entry in entries] == [1, 3]
    assert {entry.patient_id for entry in entries} == {None}
