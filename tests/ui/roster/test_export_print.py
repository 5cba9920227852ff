"""Export and print from the roster window: a real clinic, a real PDF, a real CSV file."""

from __future__ import annotations

import csv
import os
import stat
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtGui import QPageLayout
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget

from clinic_desk.domain.roster import RosterFilter, RosterSort
from clinic_desk.ui.roster.export_print import export_roster, handout_of, list_title, print_roster
from clinic_desk.ui.roster.roster_paper import landscape
from tests.services.helpers import add_ready_patient
from tests.services.staff_helpers import FRONT_DESK, MANAGER, STAFF_PASSWORD, add_team
from tests.ui.roster.pdf_text import page_texts

CLINIC_NAME = "Harbor Family Clinic"


class StandInView(QWidget):
    """What export and print ask of the roster window, and nothing else."""

    def __init__(
        self, clinic, staff=None, roster_filter: RosterFilter | None = None, sort: RosterSort = "name"
    ) -> None:
        super().__init__()
        self.clinic = clinic
        self.staff = staff
        self.roster_filter = roster_filter or RosterFilter()
        self.sort: tuple[RosterSort, bool] = (sort, False)

    def current_filter(self) -> RosterFilter:
        return self.roster_filter

    def current_sort(self) -> tuple[RosterSort, bool]:
        return self.sort


@pytest.fixture
def view(qtbot, clinic):
    clinic.update_settings(actor="frontdesk", clinic_name=CLINIC_NAME)
    made = StandInView(clinic)
    qtbot.addWidget(made)
    return made


def _pdf_printer(path: Path) -> QPrinter:
    printer = landscape(QPrinter(QPrinter.PrinterMode.HighResolution))
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def _print(qtbot, view, path: Path) -> tuple[int, int]:
    handout = handout_of(view)
    with qtbot.waitSignal(handout.print_finished, timeout=20_000) as blocker:
        handout.print_to(_pdf_printer(path))
    return blocker.args[0], blocker.args[1]


def test_every_printed_page_names_the_clinic_and_the_date_and_its_number(qtbot, view, clinic, tmp_path):
    for number in range(45):
        add_ready_patient(clinic, "Pat", f"Number{number:02d}", actor="frontdesk")
    pdf = tmp_path / "roster.pdf"
    pages, charts = _print(qtbot, view, pdf)
    assert charts == 45 and pages >= 2
    texts = page_texts(pdf)
    assert len(texts) == pages
    today = date.today().isoformat()
    for number, text in enumerate(texts, start=1):
        assert text.startswith(CLINIC_NAME) and today in text
        assert f"Page {number} of {pages}" in text
        assert "Portal roster: every chart" in text and "Main reason" in text
    printed = "".join(texts)
    assert all(f"Number{n:02d}, Pat" in printed for n in range(45))
    assert printed.index("Number00, Pat") < printed.index("Number44, Pat")
    [entry] = [e for e in clinic.audit(limit=100) if e.action == "print_roster"]
    assert entry.after["rows"] == 45 and entry.patient_id is None
    message = handout_of(view).message
    assert message is not None and f"Printed 45 charts on {pages} pages." == message.text()


def test_a_filtered_printout_says_its_filter(qtbot, view, clinic, tmp_path):
    clinic.staff.add_patient(
        first_name="Rosa", last_name="Abbot", date_of_birth="1971-02-03", actor="frontdesk"
    )
    add_ready_patient(clinic, "Gil", "Baker", actor="frontdesk")
    view.roster_filter = RosterFilter(color="red", reason="missing_email")
    pdf = tmp_path / "red.pdf"
    assert _print(qtbot, view, pdf) == (1, 1)
    [text] = page_texts(pdf)
    assert "Portal roster: red, No email on file" in text
    assert "Abbot, Rosa" in text and "Baker" not in text


def test_a_printout_longer_than_its_limit_says_so_on_paper_and_in_the_message(qtbot, view, clinic, tmp_path):
    for last in ("Abbot", "Baker", "Carter", "Dunn"):
        add_ready_patient(clinic, "Ann", last, actor="frontdesk")
    handout_of(view).print_limit = 3
    pdf = tmp_path / "long.pdf"
    assert _print(qtbot, view, pdf) == (1, 3)
    [text] = page_texts(pdf)
    assert "Portal roster: every chart — the first 3 charts only" in text
    assert "Carter, Ann" in text and "Dunn" not in text
    message = handout_of(view).message
    assert message is not None and message.text() == (
        "Printed 3 charts on 1 page. More charts match: narrow the list, or export it to CSV for all of them."
    )


def test_an_empty_list_prints_one_page_saying_so(qtbot, view, tmp_path):
    pdf = tmp_path / "empty.pdf"
    assert _print(qtbot, view, pdf) == (1, 0)
    [text] = page_texts(pdf)
    assert "No chart matches this list." in text and "Page 1 of 1" in text


def test_front_desk_staff_may_not_print_or_export(qtbot, view, clinic, tmp_path):
    add_team(clinic)
    view.staff = clinic.admin.sign_in(FRONT_DESK, STAFF_PASSWORD)
    handout = handout_of(view)
    pdf = tmp_path / "roster.pdf"
    with qtbot.waitSignal(handout.failed, timeout=10_000) as blocker:
        handout.print_to(_pdf_printer(pdf))
    assert blocker.args[0] == "Only a manager or an administrator may print the clinic-wide portal roster."
    assert not pdf.exists()
    with qtbot.waitSignal(handout.failed, timeout=10_000) as blocker:
        handout.export_to(tmp_path / "roster.csv")
    assert "may export" in blocker.args[0]
    assert not list(tmp_path.glob("roster.csv*"))
    view.staff = clinic.admin.sign_in(MANAGER, STAFF_PASSWORD)
    assert _print(qtbot, view, pdf) == (1, 0)


def test_export_offers_a_name_that_says_what_it_holds_and_writes_a_private_file(
    qtbot, view, clinic, tmp_path
):
    for last in ("Abbot", "Baker", "Carter"):
        add_ready_patient(clinic, "Ann", last, actor="frontdesk")
    view.roster_filter = RosterFilter(color="gold")
    chooser = export_roster(view)
    try:
        assert Path(chooser.selectedFiles()[0]).name == f"portal-roster-gold-{date.today().isoformat()}.csv"
        assert chooser.objectName() == "rosterExportChooser"
    finally:
        chooser.reject()
    handout = handout_of(view)
    target = tmp_path / "gold.csv"
    with qtbot.waitSignal(handout.export_finished, timeout=20_000) as blocker:
        handout.export_to(target)
    assert blocker.args == [str(target), 3]
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    rows = list(csv.reader(target.open(encoding="utf-8", newline="")))
    assert [row[0] for row in rows[1:]] == ["Abbot, Ann", "Baker, Ann", "Carter, Ann"]
    assert handout.message is not None
    assert handout.message.text() == f"Saved 3 charts to {target} (readable by you only)."


def test_an_export_that_cannot_be_written_says_so(qtbot, view, clinic, tmp_path):
    add_ready_patient(clinic, actor="frontdesk")
    handout = handout_of(view)
    with qtbot.waitSignal(handout.failed, timeout=10_000) as blocker:
        handout.export_to(tmp_path / "no-such-folder" / "roster.csv")
    assert (
        blocker.args[0].startswith("The list cannot be saved there")
        and "Nothing was saved" in blocker.args[0]
    )
    assert not handout.busy


def test_a_printer_that_cannot_be_opened_says_so_and_reads_nothing(qtbot, view, clinic, tmp_path):
    handout = handout_of(view)
    with qtbot.waitSignal(handout.failed, timeout=10_000) as blocker:
        handout.print_to(_pdf_printer(tmp_path / "no-such-folder" / "roster.pdf"))
    assert blocker.args[0] == (
        "The printer could not be opened (or the PDF file could not be written). "
        "Nothing was printed; check the printer and try again."
    )
    assert not handout.busy
    assert not [entry for entry in clinic.audit(limit=100) if entry.action == "print_roster"]


def test_the_title_says_the_filter_in_words():
    assert list_title(RosterFilter()) == "Portal roster: every chart"
    assert list_title(RosterFilter(trouble="invitation_expired", text=" Lee ")) == (
        "Portal roster: Invitation expired, matching “Lee”"
    )


def test_print_asks_which_printer_before_reading_anything(qtbot, view, clinic):
    dialog = print_roster(view)
    try:
        assert dialog.objectName() == "rosterPrintDialog" and dialog.isVisible()
        assert dialog.printer().pageLayout().orientation() == QPageLayout.Orientation.Landscape
    finally:
        dialog.reject()
    assert not [entry for entry in clinic.audit(limit=100) if entry.action == "print_roster"]
