"""The History card: who did what to this chart and when, newest first, from the audit log.

Each row: when (local time), who, what (in plain words), and what changed (before → after,
only the fields that changed, never a secret) with the note. Chart openings are listed
too, muted, and a run of them by one person folds into one row. The card reads a page
of entries on a worker whenever the dash (re)loads the patient; "Show older" reads the
page before the oldest shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from clinic_desk.ui.card import Card
from clinic_desk.ui.colors import TEXT_MUTED
from clinic_desk.ui.errors import error_words
from clinic_desk.ui.own_style import follow_theme, message_sheet, no_sheet
from clinic_desk.ui.painted_words import follow_tints, tint
from clinic_desk.ui.patient.emails_card import short_time
from clinic_desk.ui.patient.history_words import ACCESS_ACTIONS, action_words, changes_words
from clinic_desk.ui.tasks import run_in_background
from clinic_desk.ui.workstation import workstation_user

if TYPE_CHECKING:
    from clinic_desk import Clinic

PAGE_SIZE = 20
HEADERS = ("When", "Who", "What", "Details")
WHEN, WHO, WHAT, DETAILS = range(4)
EMPTY_WORDS = "Nothing has been recorded for this chart yet."
LOADING_WORDS = "Loading the history…"
FAILED_WORDS = "The history could not be loaded: {words}"
# Share of the width the fitted columns may take before the details get the rest.
WHAT_MAX_SHARE = 0.3
CELL_PADDING = 10  # pixels around a cell's text (the style's item padding and margins)


@dataclass(frozen=True)
class HistoryRow:
    """One row of the card: one entry, or a run of chart openings folded together."""

    when: str
    who: str
    what: str
    details: str
    tooltip: str
    access: bool  # a chart opening (printing, export): shown muted


def _note_words(note: str | None) -> str:
    text = " ".join((note or "").split())
    return f"Note: \u201c{text}\u201d" if text else ""


def _tooltip(records: Sequence[Any]) -> str:
    first = records[0]
    lines = [f"{action_words(first.action)} by {first.actor}"]
    for record in records:
        where = f" at {record.workstation}" if record.workstation else ""
        lines.append(f"{short_time(record.at)}{where}")
    details = changes_words(first.before, first.after)
    if details:
        lines.append(details.replace("; ", "\n"))
    if note := _note_words(first.note):
        lines.append(note)
    return "\n".join(lines)


def history_rows(records: Sequence[Any]) -> list[HistoryRow]:
    """The card's rows for audit records (newest first); runs of one person's chart openings fold."""
    # Access events are written in batches, after what was done meanwhile: order by time, and
    # within one second (the log's precision) an opening goes before what was done in the chart.
    records = sorted(
        records, key=lambda record: (record.at, record.action not in ACCESS_ACTIONS, record.id), reverse=True
    )
    rows: list[HistoryRow] = []
    index = 0
    while index < len(records):
        record = records[index]
        run = [record]
        if record.action in ACCESS_ACTIONS:
            while (
                index + len(run) < len(records)
                and records[index + len(run)].action == record.action
                and records[index + len(run)].actor == record.actor
            ):
                run.append(records[index + len(run)])
        index += len(run)
        if len(run) > 1:
            details = f"{len(run)} times, the first {short_time(run[-1].at)}"
        else:
            # The note on a line of its own: it is what a colleague reads first.
            details = "\n".join(
                part
                for part in (changes_words(record.before, record.after), _note_words(record.note))
                if part
            )
        rows.append(
            HistoryRow(
                when=short_time(record.at),
                who=record.actor,
                what=action_words(record.action),
                details=details,
                tooltip=_tooltip(run),
                access=record.action in ACCESS_ACTIONS,
            )
        )
    return rows


class _WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped details (the view alone sizes rows for one line)."""

    def __init__(self, table: QTreeWidget) -> None:
        super().__init__(table)
        self._table = table

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        width = self._table.header().sectionSize(index.column()) - CELL_PADDING
        text = str(index.data() or "")
        if width <= 0 or not text:
            return size
        bounds = QRect(0, 0, width, 10_000)
        wrapped = option.fontMetrics.boundingRect(bounds, Qt.TextFlag.TextWordWrap, text)
        return QSize(size.width(), max(size.height(), wrapped.height() + CELL_PADDING))


class HistoryCard(Card):
    """The open patient's audit history, newest first, with "Show older" paging.

    ``actor`` names who is reading (the services check they may). Reads run on workers;
    an answer for a patient no longer shown is dropped.

    Signals:
        history_shown(int): the rows of this patient id are shown (first page or older).
        history_failed(str): reading the history failed; the words say why.
    """

    history_shown = Signal(int)
    history_failed = Signal(str)

    def __init__(self, clinic: Clinic, parent: QWidget | None = None) -> None:
        super().__init__("historyCard", "History", parent)
        self.setAccessibleName("History")
        self.setAccessibleDescription("Who did what to this chart and when, newest first")
        self._clinic = clinic
        self.actor: Callable[[], str] = workstation_user
        self._patient_id: int | None = None
        self._generation = 0
        self._records: list[Any] = []
        self._more = False
        self._loading = False

        self.table = QTreeWidget(self)
        follow_tints(self.table)
        self.table.setObjectName("historyEntries")
        self.table.setAccessibleName("History entries")
        self.table.setAccessibleDescription("Each entry: when, who, what, and what changed with the note")
        self.table.setHeaderLabels(list(HEADERS))
        self.table.setRootIsDecorated(False)
        self.table.setWordWrap(True)
        self.table.setUniformRowHeights(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setFrameShape(QTreeWidget.Shape.NoFrame)
        self.table.setStyleSheet("QTreeWidget::item { padding: 3px 2px; }")
        self._delegate = _WrappingDelegate(self.table)
        self.table.setItemDelegate(self._delegate)
        header = self.table.header()
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(60)
        for column in (WHEN, WHO, WHAT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        self.table.viewport().installEventFilter(self)

        self.message = QLabel(LOADING_WORDS, self)
        self.message.setObjectName("historyMessage")
        self.message.setProperty("role", "muted")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.older_button = QPushButton("Show &older", self)
        self.older_button.setObjectName("showOlderHistoryButton")
        self.older_button.setAccessibleName("Show older history")
        self.older_button.setAccessibleDescription(f"List the {PAGE_SIZE} entries before the oldest shown")
        self.older_button.clicked.connect(self.show_older)
        self.older_button.hide()
        self.retry_button = QPushButton("Try &again", self)
        self.retry_button.setObjectName("retryHistoryButton")
        self.retry_button.setAccessibleName("Load the history again")
        self.retry_button.clicked.connect(self.reload)
        self.retry_button.hide()
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.retry_button)
        row.addWidget(self.older_button)
        self.body.addWidget(self.table)
        self.body.addLayout(row)
        self.table.hide()

    # -- what the dash calls -----------------------------------------------------------------------
    @property
    def records(self) -> list[Any]:
        """The audit records read so far, newest first."""
        return list(self._records)

    @property
    def loading(self) -> bool:
        """True while a page is being read."""
        return self._loading

    @property
    def has_older(self) -> bool:
        """True when older entries exist beyond those shown."""
        return self._more

    def load(self, patient_id: int) -> None:
        """Read the newest page for ``patient_id`` (a new patient, or the same one refreshed)."""
        if patient_id != self._patient_id:
            self._records, self._more = [], False
            self._render()
            self.message.setText(LOADING_WORDS)
            self.message.show()
        self._patient_id = patient_id
        self._read(before_id=None)

    def reload(self) -> None:
        """Read the newest page again."""
        if self._patient_id is not None:
            self._read(before_id=None)

    def show_older(self) -> None:
        """Read the page before the oldest entry shown ("Show older")."""
        if self._patient_id is not None and self._records and not self._loading:
            self._read(before_id=self._records[-1].id)

    def rows_text(self) -> list[tuple[str, ...]]:
        """What each row says, column by column (tests and scripts)."""
        return [
            tuple(item.text(column) for column in range(len(HEADERS)))
            for item in (self.table.topLevelItem(i) for i in range(self.table.topLevelItemCount()))
            if item is not None
        ]

    # -- reading -----------------------------------------------------------------------------------
    def _read(self, *, before_id: int | None) -> None:
        self._generation += 1
        generation, clinic, patient_id = self._generation, self._clinic, self._patient_id
        viewer = self.actor()
        self._loading = True
        self.older_button.setEnabled(False)
        self.retry_button.hide()
        run_in_background(
            # One more than a page: whether older entries exist, without a count.
            lambda: clinic.audit(
                patient_id=patient_id, before_id=before_id, limit=PAGE_SIZE + 1, viewer=viewer
            ),
            lambda records: self._on_read(generation, before_id, records),
            lambda exc: self._on_read_failed(generation, exc),
            owner=self,
            name="patient_history",
        )

    def _on_read(self, generation: int, before_id: int | None, records: list[Any]) -> None:
        if generation != self._generation or self._patient_id is None:
            return
        self._loading = False
        page = list(records[:PAGE_SIZE])
        more = len(records) > PAGE_SIZE
        if before_id is None:
            # A refresh keeps the older pages already read, when the new first page reaches them.
            overlaps = bool(page and self._records and self._records[0].id >= page[-1].id)
            older = [record for record in self._records if record.id < page[-1].id] if overlaps else []
            self._more = self._more if older else more
            self._records = page + older
        else:
            self._records += page
            self._more = more
        self._render()
        self.history_shown.emit(self._patient_id)

    def _on_read_failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self._loading = False
        words = FAILED_WORDS.format(words=error_words(exc))
        self.message.setText(words)
        follow_theme(self.message, message_sheet("error", bold=False))
        self.message.show()
        self.retry_button.show()
        self.older_button.setEnabled(True)
        self.history_failed.emit(words)

    # -- drawing -----------------------------------------------------------------------------------
    def _render(self) -> None:
        self.table.clear()
        for row in history_rows(self._records):
            item = QTreeWidgetItem([row.when, row.who, row.what, row.details])
            for column in range(len(HEADERS)):
                item.setToolTip(column, row.tooltip)
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
                if row.access or column == WHEN:
                    tint(item, column, TEXT_MUTED)  # readable on the dark theme's cards too
            item.setData(WHAT, Qt.ItemDataRole.AccessibleTextRole, row.tooltip.replace("\n", ". "))
            self.table.addTopLevelItem(item)
        shown = self.table.topLevelItemCount()
        self.table.setVisible(shown > 0)
        follow_theme(self.message, no_sheet)
        self.message.setText("" if shown else EMPTY_WORDS)
        self.message.setVisible(not shown)
        self.older_button.setVisible(self._more)
        self.older_button.setEnabled(True)
        self._fit()

    def _fit(self) -> None:
        """Short columns fit their text; the details take the rest and wrap; no inner scrollbar."""
        if not self.table.topLevelItemCount():
            return
        header = self.table.header()
        width = self.table.viewport().width()
        for column in (WHEN, WHO):
            header.resizeSection(column, self.table.sizeHintForColumn(column) + 16)
        what = min(self.table.sizeHintForColumn(WHAT) + 16, int(width * WHAT_MAX_SHARE))
        header.resizeSection(WHAT, max(what, header.minimumSectionSize()))
        self.table.doItemsLayout()
        rows = 0
        for index in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(index)
            if item is not None:
                rows += self.table.visualItemRect(item).height()
        self.table.setFixedHeight(header.sizeHint().height() + rows + 2 * self.table.frameWidth() + 2)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        try:
            table = self.table
        except AttributeError:  # the card is being torn down around us
            return False
        if watched is table.viewport() and event.type() == QEvent.Type.Resize:
            # After the resize, not inside it: a height set while the layout runs is not seen by it.
            QTimer.singleShot(0, self, self._fit)
        return super().eventFilter(watched, event)
