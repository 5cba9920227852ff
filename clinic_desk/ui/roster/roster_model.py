"""The roster table as a virtual model: pages of 100 rows read by keyset on a worker thread.

Only the rows scrolled to so far are held. ``fetchMore`` asks a worker for the page after the
last row held (never an offset, so the ten-thousandth page costs what the first does). Each
new filter or sort bumps a generation: a page still on its way for an older one is dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from clinic_desk.domain.roster import RosterFilter, RosterPage, RosterRow, RosterSort
from clinic_desk.ui.errors import error_words
from clinic_desk.ui.icons import secure_message_pixmap
from clinic_desk.ui.roster.roster_words import COLOR_COLUMN, COLUMNS, CUT_COLUMNS, row_cells, spoken_row
from clinic_desk.ui.tasks import run_in_background

if TYPE_CHECKING:
    from clinic_desk import Clinic

log = logging.getLogger(__name__)

PAGE_SIZE = 100
ICON_SIZE = 20
#: A live refresh reads the rows held again, up to this many (the rest page in again on scrolling).
REFRESH_LIMIT = 1000
PATIENT_ID_ROLE = Qt.ItemDataRole.UserRole

_Index = QModelIndex | QPersistentModelIndex


def read_rows(
    clinic: Clinic,
    wanted: RosterFilter,
    sort: RosterSort,
    descending: bool,
    after: tuple[object, ...] | None,
    count: int,
) -> tuple[list[RosterRow], tuple[object, ...] | None]:
    """Read ``count`` rows (page by page) after ``after``; blocking: worker threads only."""
    rows: list[RosterRow] = []
    while True:
        page: RosterPage = clinic.roster(
            wanted, sort=sort, descending=descending, after=after, limit=min(PAGE_SIZE, count - len(rows))
        )
        rows.extend(page.rows)
        after = page.next_after
        if after is None or len(rows) >= count:
            return rows, after


def color_icon(color: str) -> QIcon:
    """The secure-message icon of ``color`` (its glyph says the colour without colour).

    On a selected row it sits on a white disc, so the blue icon stays visible on the blue highlight.
    """
    icon = QIcon()
    for ratio in (1.0, 2.0):
        plain = secure_message_pixmap(color, ICON_SIZE, ratio)
        icon.addPixmap(plain)
        on_disc = QPixmap(plain.size())
        on_disc.setDevicePixelRatio(ratio)  # painted in the icon's own 20-point units
        on_disc.fill(Qt.GlobalColor.transparent)
        painter = QPainter(on_disc)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#FFFFFF"))
        painter.drawRoundedRect(QRectF(0, 0, ICON_SIZE, ICON_SIZE), 4, 4)
        painter.drawPixmap(0, 0, plain)
        painter.end()
        icon.addPixmap(on_disc, QIcon.Mode.Selected)
    return icon


class RosterTableModel(QAbstractTableModel):
    """The roster's rows, read a page at a time as the table scrolls.

    Signals:
        page_loaded(int): a page arrived; how many rows are held now.
        rows_replaced(): a refresh replaced every row held (the view selects again by patient).
        load_failed(str): a read failed; the words say why.
    """

    page_loaded = Signal(int)
    rows_replaced = Signal()
    load_failed = Signal(str)

    def __init__(self, clinic: Clinic, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("rosterModel")
        self._clinic = clinic
        self._rows: list[RosterRow] = []
        self._cells: list[tuple[str, ...]] = []
        self._after: tuple[object, ...] | None = None
        self._more = False
        self._running = False  # a read is on a worker
        self._next: tuple[int, bool] | None = None  # (rows, replace) to read when it answers
        self._generation = 0
        self.filter = RosterFilter()
        self.sort_key: RosterSort = "name"
        self.descending = False
        self._icons = {color: color_icon(color) for color in ("red", "gold", "blue")}
        self.pages_read = 0  # pages that arrived for the current query (tests, the log)

    # -- what is asked -----------------------------------------------------------------------------
    def set_query(self, wanted: RosterFilter, sort: RosterSort, descending: bool) -> None:
        """Show the rows ``wanted`` matches in this order, from the top."""
        self.beginResetModel()
        self.filter, self.sort_key, self.descending = wanted, sort, descending
        self._set_rows([], None)
        self._generation += 1  # a page still on its way is for the old query: dropped when it comes
        self.pages_read = 0
        self.endResetModel()
        self._request(PAGE_SIZE, replace=False)

    def refresh(self) -> None:
        """Read the rows held again (another desk changed something); they stay until it answers."""
        self._generation += 1
        self._request(min(max(len(self._rows), PAGE_SIZE), REFRESH_LIMIT), replace=True)

    @property
    def fetching(self) -> bool:
        """True while a read runs or waits to run."""
        return self._running or self._next is not None

    @property
    def has_more(self) -> bool:
        """True while rows beyond those held may match."""
        return self._more

    def rows(self) -> list[RosterRow]:
        """The rows held, top to bottom."""
        return list(self._rows)

    def row_at(self, row: int) -> RosterRow | None:
        """The roster row at table row ``row``, or None."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, patient_id: int) -> int:
        """The table row showing ``patient_id``, or -1."""
        return next((i for i, row in enumerate(self._rows) if row.patient_id == patient_id), -1)

    # -- reading -----------------------------------------------------------------------------------
    def _request(self, count: int, *, replace: bool) -> None:
        """Read now, or (one read at a time, as the search does) when the running one answers."""
        self._next = (count, replace)
        if not self._running:
            self._start_next()

    def _start_next(self) -> None:
        if self._next is None:
            return
        count, replace = self._next
        self._next = None
        self._running = True
        generation = self._generation
        clinic, wanted, sort, descending = self._clinic, self.filter, self.sort_key, self.descending
        after = None if replace else self._after
        run_in_background(
            lambda: read_rows(clinic, wanted, sort, descending, after, count),
            lambda answer: self._on_read_done(generation, replace, answer),
            lambda exc: self._on_read_error(generation, exc),
            owner=self,
            name="roster_page",
        )

    def _on_read_done(
        self, generation: int, replace: bool, answer: tuple[list[RosterRow], tuple[object, ...] | None]
    ) -> None:
        self._running = False
        if generation != self._generation:
            self._start_next()  # the answer is for a filter, sort or refresh replaced since
            return
        rows, after = answer
        self.pages_read += 1
        if replace:
            self.beginResetModel()
            self._set_rows(rows, after)
            self.endResetModel()
            self.rows_replaced.emit()
        elif rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self._cells.extend(row_cells(row) for row in rows)
            self._after, self._more = after, after is not None
            self.endInsertRows()
        else:
            self._after, self._more = after, after is not None
        self.page_loaded.emit(len(self._rows))
        self._start_next()

    def _on_read_error(self, generation: int, exc: Exception) -> None:
        self._running = False
        if generation == self._generation:
            log.warning("Reading the roster failed (%s)", type(exc).__name__)
            self._more = False  # no endless retries while scrolling; a new filter or refresh tries again
            self.load_failed.emit(error_words(exc))
        self._start_next()

    def _set_rows(self, rows: Sequence[RosterRow], after: tuple[object, ...] | None) -> None:
        self._rows = list(rows)
        self._cells = [row_cells(row) for row in rows]
        self._after, self._more = after, after is not None

    # -- Qt's model interface ----------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and self._more and not self.fetching

    def fetchMore(self, parent: _Index) -> None:
        if self.canFetchMore(parent):
            self._request(PAGE_SIZE, replace=False)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        column = COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"Click to sort by {column.title.lower()}"
                if column.sort
                else "The roster cannot sort by this"
            )
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[row][column]
        if role == Qt.ItemDataRole.DecorationRole and column == COLOR_COLUMN:
            return self._icons.get(self._rows[row].color)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return spoken_row(self._rows[row]) if column == 0 else self._cells[row][column]
        if role == Qt.ItemDataRole.ToolTipRole and column in CUT_COLUMNS:
            return self._cells[row][column]
        if role == PATIENT_ID_ROLE:
            return self._rows[row].patient_id
        return None
