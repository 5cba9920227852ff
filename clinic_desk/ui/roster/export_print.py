"""Export the roster's filtered list to CSV, or print it: the roster window's File actions.

``view`` is the roster window (or anything with ``current_filter()``, ``current_sort()``,
``.clinic`` and ``.staff``). Reading the list and writing the file run on a worker; the
printout is painted on the GUI thread from rows already read. The services check who may
(managers and administrators) and record one audit entry for each export or printout.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from clinic_desk.domain.codes import COLORS
from clinic_desk.domain.roster import RosterFilter, RosterRow, RosterSort
from clinic_desk.domain.roster_sheet import RosterPrintout, roster_file_name
from clinic_desk.domain.roster_words import reason_words
from clinic_desk.ui.errors import error_words
from clinic_desk.ui.roster.roster_paper import PaperHeading, PrinterRefused, landscape, paint_roster
from clinic_desk.ui.tasks import run_in_background
from clinic_desk.ui.workstation import workstation_user

log = logging.getLogger(__name__)


class RosterView(Protocol):
    """What export and print need from the roster window."""

    clinic: Any
    staff: Any

    def current_filter(self) -> RosterFilter: ...

    def current_sort(self) -> tuple[RosterSort, bool]: ...


def actor_of(view: RosterView) -> str:
    """Who the services record: the signed-in member, or (single-user mode) the computer's user."""
    return view.staff.username if view.staff is not None else workstation_user()


def list_title(roster_filter: RosterFilter) -> str:
    """'Portal roster: red, No email on file, matching “smi”' — what the printed list holds."""
    parts: list[str] = [roster_filter.color] if roster_filter.color in COLORS else []
    parts += [reason_words(code) for code in (roster_filter.reason, roster_filter.trouble) if code]
    if roster_filter.text.strip():
        parts.append(f"matching “{roster_filter.text.strip()}”")
    return "Portal roster: " + (", ".join(parts) or "every chart")


class RosterHandout(QObject):
    """Runs one export or printout at a time for a roster view, and says how it went.

    Signals:
        export_finished(str, int): the CSV file written and how many charts it holds.
        print_finished(int, int): pages printed and charts on them.
        failed(str): the export or printout failed; the words shown.
    """

    export_finished = Signal(str, int)
    print_finished = Signal(int, int)
    failed = Signal(str)

    def __init__(self, view: RosterView, parent: QObject) -> None:
        super().__init__(parent)
        self.setObjectName("rosterHandout")
        self.view = view
        self.busy = False
        self.message: QMessageBox | None = None
        self.print_limit: int | None = None  # None: the services' limit (a long list is for CSV)

    # -- export --------------------------------------------------------------------------------
    def export_to(self, path: str | Path) -> None:
        """Write the view's filtered list to ``path`` (owner-only CSV), on a worker."""
        if self.busy:
            return
        self.busy = True
        clinic, actor, target = self.view.clinic, actor_of(self.view), str(path)
        roster_filter, (sort, descending) = self.view.current_filter(), self.view.current_sort()
        run_in_background(
            lambda: clinic.export_roster_csv(
                roster_filter, target, actor=actor, sort=sort, descending=descending
            ),
            lambda count: self._on_exported(target, count),
            self._on_failed,
            owner=self,
            name="roster_export",
        )

    def _on_exported(self, path: str, count: int) -> None:
        self.busy = False
        charts = "1 chart" if count == 1 else f"{count:,} charts"
        self._say(f"Saved {charts} to {path} (readable by you only).", error=False)
        self.export_finished.emit(path, count)

    # -- print ---------------------------------------------------------------------------------
    def print_to(self, printer: QPrinter) -> None:
        """Read the view's filtered list and paint it on ``printer``, both on a worker.

        QPainter may paint on a QPrinter off the GUI thread; a long list takes a second or two
        to lay out, and the window stays responsive meanwhile.
        """
        if self.busy:
            return
        self.busy = True
        clinic, actor = self.view.clinic, actor_of(self.view)
        roster_filter, (sort, descending) = self.view.current_filter(), self.view.current_sort()
        heading = PaperHeading(clinic.settings.clinic_name, date.today(), list_title(roster_filter))

        limit = {} if self.print_limit is None else {"limit": self.print_limit}

        def read_and_paint() -> tuple[int, RosterPrintout]:  # runs on a worker: no widget here
            printouts: list[RosterPrintout] = []

            def read() -> tuple[tuple[RosterRow, ...], PaperHeading]:
                printout = clinic.roster_printout(
                    roster_filter, actor=actor, sort=sort, descending=descending, **limit
                )
                printouts.append(printout)
                note = "" if printout.complete else f"the first {len(printout.rows):,} charts only"
                return printout.rows, replace(heading, note=note)

            pages, _rows = paint_roster(printer, read)
            return pages, printouts[0]

        run_in_background(read_and_paint, self._on_printed, self._on_failed, owner=self, name="roster_print")

    def _on_printed(self, result: tuple[int, RosterPrintout]) -> None:
        self.busy = False
        pages, printout = result
        count = len(printout.rows)
        charts = "1 chart" if count == 1 else f"{count:,} charts"
        words = f"Printed {charts} on {pages} page{'s' if pages != 1 else ''}."
        if not printout.complete:
            words += " More charts match: narrow the list, or export it to CSV for all of them."
        self._say(words, error=False)
        self.print_finished.emit(pages, count)

    # -- words ---------------------------------------------------------------------------------
    def _on_failed(self, exc: Exception) -> None:
        self.busy = False
        if isinstance(exc, PrinterRefused):
            words = f"{exc} Nothing was printed; check the printer and try again."
        elif isinstance(exc, OSError):
            words = f"The file could not be written ({exc.strerror or exc}). Nothing was saved."
        else:
            words = error_words(exc)
        self._say(words, error=True)
        self.failed.emit(words)

    def _say(self, words: str, *, error: bool) -> None:
        parent = self.parent()
        box = QMessageBox(parent if isinstance(parent, QWidget) else None)
        box.setObjectName("rosterHandoutMessage")
        box.setIcon(QMessageBox.Icon.Warning if error else QMessageBox.Icon.Information)
        box.setWindowTitle("Portal roster")
        box.setText(words)
        box.setAccessibleName("Portal roster")
        box.setAccessibleDescription(words)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.message = box


def handout_of(view: RosterView) -> RosterHandout:
    """The view's one :class:`RosterHandout` (made on first use, a child of the view: a QObject)."""
    if not isinstance(view, QObject):
        raise TypeError("the roster view must be a QObject")
    found = view.findChild(RosterHandout, "rosterHandout")
    return found if isinstance(found, RosterHandout) else RosterHandout(view, view)


def export_roster(view: RosterView) -> QFileDialog:
    """Ask where to save the filtered list (the name says what it holds), then export it."""
    parent = view if isinstance(view, QWidget) else None
    chooser = QFileDialog(parent, "Export the portal roster")
    chooser.setObjectName("rosterExportChooser")
    chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    chooser.setNameFilter("CSV files (*.csv)")
    chooser.setDefaultSuffix("csv")
    chooser.selectFile(roster_file_name(view.current_filter(), date.today()))
    chooser.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    chooser.fileSelected.connect(handout_of(view).export_to)
    chooser.open()
    return chooser


def print_roster(view: RosterView) -> QPrintDialog:
    """Ask which printer (or a PDF file), then print the filtered list."""
    parent = view if isinstance(view, QWidget) else None
    printer = landscape(QPrinter(QPrinter.PrinterMode.HighResolution))
    printer.setDocName(roster_file_name(view.current_filter(), date.today(), "pdf").removesuffix(".pdf"))
    dialog = QPrintDialog(printer, parent)
    dialog.setObjectName("rosterPrintDialog")
    dialog.setWindowTitle("Print the portal roster")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    handout = handout_of(view)
    dialog.accepted.connect(lambda: handout.print_to(printer))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.show()
    return dialog
