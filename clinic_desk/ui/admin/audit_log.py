"""The clinic-wide audit log (``auditLog``): filters, a page of entries, Older/Newer, CSV export.

Managers and administrators read it (the services check ``viewer``). Every read runs on a
worker; pages follow the entries' ids (``before_id``), never an offset, so the thousandth
page costs what the first does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.ui.admin.admin_dialog import AdminDialog
from clinic_desk.ui.admin.audit_filters import AuditFilters
from clinic_desk.ui.admin.audit_model import AuditQuery, AuditTableModel, read_page
from clinic_desk.ui.admin.csv_export import default_file_name, export_audit_csv
from clinic_desk.ui.errors import error_words
from clinic_desk.ui.own_style import follow_theme, message_sheet, muted_sheet, no_sheet
from clinic_desk.ui.tasks import run_in_background

if TYPE_CHECKING:
    from clinic_desk import Clinic

log = logging.getLogger(__name__)

PAGE_SIZE = 200


class AuditLogDialog(AdminDialog):
    """Who did what, when, from which computer: the whole clinic's audit log, newest first.

    Signals:
        page_loaded(object): a page of ``AuditRecord`` values is on show.
        load_failed(str): reading failed; the words shown.
        export_finished(str, int): the CSV file written and how many entries it holds.
        export_failed(str): the export failed; the words shown.
    """

    page_loaded = Signal(object)
    load_failed = Signal(str)
    export_finished = Signal(str, int)
    export_failed = Signal(str)

    def __init__(
        self,
        clinic: Clinic,
        parent: QWidget | None = None,
        *,
        actor: Callable[[], str],
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__(
            clinic,
            parent,
            actor=actor,
            object_name="auditLog",
            title="Audit log",
            description="Every action recorded in this clinic, newest first, with filters",
        )
        self.page_size = page_size
        self._query = AuditQuery()
        self._starts: list[int | None] = [None]  # before_id of each page read so far
        self._has_older = False
        self._generation = 0
        self._loading = False
        self._exporting = False

        self.filters = AuditFilters(self)
        self.filters.applied.connect(self.apply_filters)
        self.message = self._message_line("auditMessage")

        self.model = AuditTableModel(self)
        self.table = self._row_table(self.model, "auditTable", "Audit entries")
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((130, 100, 110, 200, 70, 300, 200)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)  # the change gets the room
        rows = self.table.verticalHeader()
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 10)

        self.newer_button = self._button("&Newer", "auditNewerButton", "Show the newer entries")
        self.newer_button.clicked.connect(self.newer)
        self.older_button = self._button("&Older", "auditOlderButton", "Show the older entries")
        self.older_button.clicked.connect(self.older)
        self.page_label = QLabel(self)
        self.page_label.setObjectName("auditPageLabel")
        follow_theme(self.page_label, muted_sheet)
        self.export_button = self._button(
            "&Export CSV…", "auditExportButton", "Save every entry these filters match to a CSV file"
        )
        self.export_button.clicked.connect(self.choose_export_file)
        paging = QHBoxLayout()
        paging.addWidget(self.newer_button)
        paging.addWidget(self.older_button)
        paging.addWidget(self.page_label, 1)
        paging.addWidget(self.export_button)

        buttons = self._close_buttons("auditCloseButton", "Close the audit log")

        layout = QVBoxLayout(self)
        layout.addWidget(self.filters)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(paging)
        layout.addWidget(buttons)
        self.resize(1180, 680)
        self._update_buttons()
        self._load_staff()
        self.apply_filters()

    # -- reading -----------------------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        """True while a page is being read."""
        return self._loading

    @property
    def page_number(self) -> int:
        """1 for the newest page."""
        return len(self._starts)

    @property
    def has_older(self) -> bool:
        """True when older entries exist beyond this page."""
        return self._has_older

    @property
    def query(self) -> AuditQuery:
        """The filters the page on show was read with."""
        return self._query

    def _load_staff(self) -> None:
        admin = self._clinic.admin
        run_in_background(
            lambda: [(member.username, member.full_name) for member in admin.list_staff()],
            self.filters.set_staff,
            lambda exc: log.warning("staff list for the audit filter failed (%s)", type(exc).__name__),
            owner=self,
            name="audit_staff_names",
        )

    def apply_filters(self) -> None:
        """Read the newest page the filters match (the patient's MRN or id is looked up first)."""
        since, until = self.filters.dates()
        if since and until and until < since:
            self._show_message("The 'To' date is before the 'From' date: nothing can match.", error=True)
            return
        patient_text = self.filters.patient_text()
        query = AuditQuery(actor=self.filters.actor(), action=self.filters.action(), since=since, until=until)
        self._read(query, [None], patient_text)

    def older(self) -> None:
        """Show the next older page (after the last entry on show)."""
        records = self.model.records
        if self._loading or not self._has_older or not records:
            return
        self._read(self._query, [*self._starts, records[-1].id])

    def newer(self) -> None:
        """Show the page before this one (newer entries)."""
        if self._loading or len(self._starts) < 2:
            return
        self._read(self._query, self._starts[:-1])

    def _read(self, query: AuditQuery, starts: list[int | None], patient_text: str | None = None) -> None:
        self._generation += 1
        generation = self._generation
        clinic, viewer, limit = self._clinic, self.actor(), self.page_size
        before_id = starts[-1]

        def work() -> tuple[AuditQuery, list[Any]]:
            wanted = query
            if patient_text:
                wanted = AuditQuery(
                    query.actor,
                    query.action,
                    clinic.staff.resolve_patient(patient_text),
                    query.since,
                    query.until,
                )
            return wanted, read_page(clinic, wanted, before_id=before_id, limit=limit + 1, viewer=viewer)

        self._loading = True
        self._update_buttons()
        self.page_label.setText("Reading…")
        run_in_background(
            work,
            lambda answer: self._on_page_read(generation, starts, answer),
            lambda exc: self._on_page_failed(generation, exc),
            owner=self,
            name="audit_log_page",
        )

    def _on_page_read(
        self, generation: int, starts: list[int | None], answer: tuple[AuditQuery, list[Any]]
    ) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._query, records = answer
        self._starts = starts
        self._has_older = len(records) > self.page_size
        shown = records[: self.page_size]
        self.model.set_records(shown)
        self._hide_message()
        if not shown:
            self.page_label.setText("No entries match these filters.")
        else:
            first = (self.page_number - 1) * self.page_size + 1
            self.page_label.setText(
                f"Page {self.page_number} · entries {first}–{first + len(shown) - 1}, newest first"
            )
        self._update_buttons()
        self.page_loaded.emit(shown)

    def _on_page_failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self._loading = False
        words = error_words(exc)
        self._show_message(words, error=True)
        self.page_label.setText("")
        self._update_buttons()
        self.load_failed.emit(words)

    def _update_buttons(self) -> None:
        self.newer_button.setEnabled(not self._loading and len(self._starts) > 1)
        self.older_button.setEnabled(not self._loading and self._has_older)
        self.export_button.setEnabled(not self._exporting)

    # -- export ------------------------------------------------------------------------------------
    def choose_export_file(self) -> QFileDialog:
        """Ask where to save the CSV (the name says what it holds); returns the file dialog."""
        chooser = QFileDialog(self, "Export the audit log")
        chooser.setObjectName("auditExportChooser")
        chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        chooser.setNameFilter("CSV files (*.csv)")
        chooser.setDefaultSuffix("csv")
        chooser.selectFile(default_file_name(self._query, date.today()))
        chooser.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        chooser.fileSelected.connect(self.export_to)
        chooser.open()
        return chooser

    def export_to(self, path: str | Path) -> None:
        """Write every entry the filters match to ``path`` (0600), on a worker."""
        if self._exporting:
            return
        clinic, query, viewer = self._clinic, self._query, self.actor()
        self._exporting = True
        self._update_buttons()
        self._show_message("Exporting… the whole log is read page by page.", error=False)
        target = str(path)
        run_in_background(
            lambda: export_audit_csv(clinic, query, target, viewer=viewer),
            lambda count: self._on_export_done(target, count),
            self._on_export_failed,
            owner=self,
            name="audit_log_export",
        )

    def _on_export_done(self, path: str, count: int) -> None:
        self._exporting = False
        self._update_buttons()
        entries = "1 entry" if count == 1 else f"{count} entries"
        self._show_message(f"Saved {entries} to {path} (readable by you only).", error=False)
        self.export_finished.emit(path, count)

    def _on_export_failed(self, exc: Exception) -> None:
        self._exporting = False
        self._update_buttons()
        if isinstance(exc, OSError):
            words = (
                f"The file could not be written ({exc.strerror or type(exc).__name__}). Nothing was saved."
            )
        else:
            words = error_words(exc) + " Nothing was saved."
        self._show_message(words, error=True)
        self.export_failed.emit(words)

    # -- words -------------------------------------------------------------------------------------
    def _show_message(self, words: str, *, error: bool) -> None:
        self.message.setText(words)
        self.message.setAccessibleDescription(words)
        follow_theme(self.message, message_sheet("error") if error else no_sheet)
        self.message.show()

    def _hide_message(self) -> None:
        if not self._exporting:
            self.message.hide()
            self.message.clear()


def open_audit_log(clinic: Clinic, parent: QWidget | None, *, actor: Callable[[], str]) -> AuditLogDialog:
    """Show the audit log (not modal: staff keep working beside it; deleted on close)."""
    dialog = AuditLogDialog(clinic, parent, actor=actor)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
