"""The portal roster (``portalRoster``): live counts, a text filter, and every patient's portal status.

A window of its own beside the main window (non-modal). Every read runs on a worker: the
counts, and the table's pages (:class:`RosterTableModel`). Enter or a double-click opens the
patient's dash in the main window and brings it up. Changes from other desks refresh the counts
and the rows in view, keeping the selection.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QTableView, QVBoxLayout, QWidget

from clinic_desk.domain.roster import RosterFilter, RosterSort
from clinic_desk.ui.errors import error_words
from clinic_desk.ui.own_style import follow_theme, message_sheet, muted_sheet
from clinic_desk.ui.roster.bulk_invite import BulkInviteFlow
from clinic_desk.ui.roster.counts_bar import RosterCountsBar
from clinic_desk.ui.roster.export_print import export_roster, print_roster
from clinic_desk.ui.roster.roster_adoption import AdoptionArea
from clinic_desk.ui.roster.roster_bar import RosterBar
from clinic_desk.ui.roster.roster_live import RosterLiveUpdates
from clinic_desk.ui.roster.roster_model import PATIENT_ID_ROLE, RosterTableModel
from clinic_desk.ui.roster.roster_table import roster_table
from clinic_desk.ui.tasks import run_in_background

log = logging.getLogger(__name__)


class PortalRoster(QWidget):
    """Who can use the portal and who cannot, and why: the whole clinic at a glance.

    ``host`` is the main window: its clinic, its signed-in member (``actor()``,
    ``staff_member``) and ``open_patient``.

    Signals:
        counts_shown(object): the counts on show were read (a ``RosterCounts``).
        invitations_sent(object): a batch ended (its ``InvitationReport``).
    """

    counts_shown = Signal(object)
    invitations_sent = Signal(object)

    def __init__(self, host: Any) -> None:
        super().__init__(host, Qt.WindowType.Window)
        self.setObjectName("portalRoster")
        self.setWindowTitle("Portal roster")
        self.setAccessibleName("Portal roster")
        self.setAccessibleDescription(
            "Every patient's portal status, with counts that filter the list; Enter opens a patient"
        )
        self.host = host
        self.clinic = host.clinic
        # The signed-in member (a ``StaffAccount``; None in single-user mode). The roster closes
        # when another member signs in (RosterTools), so it never acts for the wrong person.
        self.staff = host.staff_member
        self._counting = False
        self._count_again = False
        # Typed text: the rows come first; the counts start when the first page is in (on one
        # database connection pool and two cores, a 450-ms count must not hold the rows back).
        self._counts_after_rows = False
        self._keep: tuple[list[int], int, int] | None = None  # selection, current, scroll (refresh)

        self.bar = RosterBar(self)
        self.bar.text_changed.connect(self._on_bar_text_changed)
        self.bar.sort_chosen.connect(self._on_bar_sort_chosen)
        self.bar.invite_action.triggered.connect(self.invite)
        self.bar.export_action.triggered.connect(self.export)
        self.bar.print_action.triggered.connect(self.print_list)
        self.counts = RosterCountsBar(self)
        self.counts.filter_chosen.connect(self._on_counts_filter_chosen)
        self.message = QLabel(self)
        self.message.setObjectName("rosterMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        follow_theme(self.message, message_sheet("error"))
        self.message.hide()

        self.model = RosterTableModel(self.clinic, self)
        self.model.page_loaded.connect(self._on_model_page_loaded)
        self.model.rows_replaced.connect(self._on_model_rows_replaced)
        self.model.load_failed.connect(self._show_problem)
        self.model.load_failed.connect(self._on_model_load_failed)
        self.table: QTableView = roster_table(self, self.model)
        self.table.installEventFilter(self)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.horizontalHeader().sectionClicked.connect(self._on_header_section_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.status_line = QLabel(self)
        self.status_line.setObjectName("rosterStatus")
        self.status_line.setAccessibleName("Rows shown")
        follow_theme(self.status_line, muted_sheet)
        # Below the table, on a splitter staff can drag (or collapse): the adoption chart.
        self.adoption_area = AdoptionArea(self)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("rosterSplitter")
        self.splitter.setAccessibleName("Roster and adoption chart")
        self.splitter.setChildrenCollapsible(True)
        table_box = QWidget(self.splitter)
        table_box.setObjectName("rosterTableBox")
        table_column = QVBoxLayout(table_box)
        table_column.setContentsMargins(0, 0, 0, 0)
        table_column.addWidget(self.table, 1)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_line, 1)
        status_row.addWidget(self.adoption_area.toggle)
        table_column.addLayout(status_row)
        self.splitter.addWidget(table_box)
        self.splitter.addWidget(self.adoption_area)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setSizes([460, 200])

        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.counts)
        layout.addWidget(self.message)
        layout.addWidget(self.splitter, 1)
        self.resize(1180, 840)  # RosterTools fits it to smaller screens

        self.live = RosterLiveUpdates(self.clinic, self)
        self.live.changed.connect(self.refresh)
        self._requery()
        self.refresh_counts()
        self.adoption_area.load(self.clinic)
        self.live.start()

    # -- what the roster shows (the other parts read these) ----------------------------------------
    def actor(self) -> str:
        """Who this window's actions are recorded as."""
        return str(self.host.actor())

    def current_filter(self) -> RosterFilter:
        """The filter on show: the chosen count and the typed text."""
        return self.counts.apply_to(RosterFilter(text=self.bar.text()))

    def current_sort(self) -> tuple[RosterSort, bool]:
        """The sort on show: the column and whether it is descending."""
        return self.model.sort_key, self.model.descending

    def selected_ids(self) -> list[int]:
        """The patients of the selected rows, top to bottom."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [row.patient_id for r in rows if (row := self.model.row_at(r)) is not None]

    # -- filters and sorting -----------------------------------------------------------------------
    def set_sort(self, sort: RosterSort, descending: bool = False) -> None:
        """Sort by ``sort``; the header and the "Sort by" list follow."""
        self.bar.show_sort(sort, descending)
        column = self.bar.sort_column(sort)
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        self.table.horizontalHeader().setSortIndicator(column, order)
        if (sort, descending) != self.current_sort():
            self.model.set_query(self.current_filter(), sort, descending)

    def _requery(self) -> None:
        self._keep = None
        self.model.set_query(self.current_filter(), self.model.sort_key, self.model.descending)
        self.status_line.setText("Reading…")

    def _on_bar_text_changed(self, _text: str) -> None:
        self._requery()
        self._counts_after_rows = True  # _on_model_page_loaded starts them

    def _start_waiting_counts(self) -> None:
        if self._counts_after_rows:
            self._counts_after_rows = False
            self.refresh_counts()

    def _on_bar_sort_chosen(self, sort: RosterSort, descending: bool) -> None:
        self.set_sort(sort, descending)

    def _on_counts_filter_chosen(self, _kind: str, _code: object) -> None:
        self._requery()

    def _on_header_section_clicked(self, column: int) -> None:
        sort = self.bar.column_sort(column)
        if sort is None:  # not a sortable column: keep the indicator where it was
            self.set_sort(*self.current_sort())
            return
        key, descending = self.current_sort()
        self.set_sort(sort, not descending if key == sort else False)

    # -- counts ------------------------------------------------------------------------------------
    def refresh_counts(self) -> None:
        """Read the counts for the typed text (one read at a time; the newest text wins)."""
        if self._counting:
            self._count_again = True
            return
        self._counting, self._count_again = True, False
        clinic, text = self.clinic, self.bar.text()
        run_in_background(
            lambda: clinic.roster_counts(text),
            lambda counts: self._on_counts_read(text, counts),
            self._on_counts_failed,
            owner=self,
            name="roster_counts",
        )

    def _on_counts_read(self, text: str, counts: Any) -> None:
        self._counting = False
        if self._count_again or text != self.bar.text():
            if not self._counts_after_rows:  # else the newest text's rows start them
                self.refresh_counts()
            return
        self.counts.show_counts(counts)
        self.counts_shown.emit(counts)

    def _on_counts_failed(self, exc: Exception) -> None:
        self._counting = False
        self._show_problem(error_words(exc))
        if self._count_again and not self._counts_after_rows:
            self.refresh_counts()

    # -- live updates ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the counts and the rows held again, keeping the selection and the scroll position."""
        current = self.model.data(self.table.currentIndex(), PATIENT_ID_ROLE)
        self._keep = (self.selected_ids(), int(current or 0), self.table.verticalScrollBar().value())
        self.model.refresh()
        self.refresh_counts()

    def _on_model_rows_replaced(self) -> None:
        if self._keep is None:
            return
        selected, current, scroll = self._keep
        self._keep = None
        selection = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for patient_id in selected:
            row = self.model.row_of(patient_id)
            if row >= 0:
                selection.select(self.model.index(row, 0), flags)
        row = self.model.row_of(current) if current else -1
        if row >= 0:
            selection.setCurrentIndex(self.model.index(row, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
        self.table.verticalScrollBar().setValue(scroll)

    def _on_model_load_failed(self, _words: str) -> None:
        self._start_waiting_counts()

    def _on_model_page_loaded(self, held: int) -> None:
        self._start_waiting_counts()
        self.message.hide()
        more = " — scroll for more" if self.model.has_more else ""
        self.status_line.setText(f"Showing {held:,} patient{'s' if held != 1 else ''}{more}")

    def _show_problem(self, words: str) -> None:
        self.message.setText(words)
        self.message.show()

    # -- opening a patient, inviting ---------------------------------------------------------------
    def open_current(self) -> None:
        """Open the highlighted patient's dash in the main window and bring that window up."""
        patient_id = self.model.data(self.table.currentIndex(), PATIENT_ID_ROLE)
        if patient_id is None:
            return
        self.host.open_patient(int(patient_id))
        self.host.show()
        self.host.raise_()
        self.host.activateWindow()

    def invite(self) -> BulkInviteFlow | None:
        """Send invitations…: the preview for the selected rows (or all that match), then the batch."""
        if not self.bar.invite_action.isEnabled():
            return None
        known = {row.patient_id: row for row in self.model.rows()}
        flow = BulkInviteFlow(
            self.clinic,
            self,
            actor=self.actor,
            selected=self.selected_ids(),
            wanted=self.current_filter(),
            known=known,
        )
        flow.batch_finished.connect(self._on_flow_batch_finished)
        flow.start()
        return flow

    def export(self) -> QWidget | None:
        """Export CSV…: where to save the filtered list, then the export on a worker."""
        return export_roster(self) if self.bar.export_action.isEnabled() else None

    def print_list(self) -> QWidget | None:
        """Print…: the printer dialog, then the filtered list with the clinic's name and the date."""
        return print_roster(self) if self.bar.print_action.isEnabled() else None

    def _on_flow_batch_finished(self, report: object) -> None:
        self.refresh()
        self.invitations_sent.emit(report)

    def _on_table_double_clicked(self, _index: object) -> None:
        self.open_current()

    def _on_selection_changed(self, *_args: object) -> None:
        self.bar.show_selected(len(self.table.selectionModel().selectedRows()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.open_current()
            return True
        return super().eventFilter(watched, event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.live.stop()
        super().closeEvent(event)
