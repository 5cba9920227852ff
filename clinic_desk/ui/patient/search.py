"""Type-ahead patient search: a field in the toolbar and a results list that drops below it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from clinic_desk.domain.chart import PatientSummary
from clinic_desk.domain.errors import NotFound
from clinic_desk.domain.wording import day
from clinic_desk.ui.colors import TEXT_MUTED
from clinic_desk.ui.errors import error_words
from clinic_desk.ui.icons import tinted_icon
from clinic_desk.ui.tasks import run_in_background

DEBOUNCE_MS = 180
RESULT_LIMIT = 20
VISIBLE_ROWS = 7
PATIENT_ID_ROLE = Qt.ItemDataRole.UserRole

SearchFn = Callable[[str], Sequence[PatientSummary]]
ResolveFn = Callable[[str], int]


def result_text(summary: PatientSummary) -> str:
    """Two lines for one search result."""
    details = [f"MRN {summary.mrn}", f"Born {day(summary.date_of_birth)}"]
    if summary.status not in ("active", ""):
        details.append(summary.status.title())
    return f"{summary.full_name}\n" + " · ".join(details)


class SearchResults(QListWidget):
    """The drop-down list of matches; never takes focus from the search field."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("patientSearchResults")
        self.setAccessibleName("Matching patients")
        self.setAccessibleDescription("Up and Down arrows move through the patients, Enter opens one")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setUniformItemSizes(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.hide()

    def patient_rows(self) -> int:
        """How many rows are patients (not a "no match" note)."""
        return sum(1 for row in range(self.count()) if self.item(row).data(PATIENT_ID_ROLE) is not None)

    def patient_id_at(self, row: int) -> int | None:
        """The patient id of ``row``, or None."""
        item = self.item(row)
        value = None if item is None else item.data(PATIENT_ID_ROLE)
        return None if value is None else int(value)


class PatientSearchBox(QWidget):
    """Search field (objectName ``patientSearch``) with a keyboard-driven results list.

    Type to search; Up/Down move through the results; Enter opens the chosen
    patient (or an exact MRN or id); Escape closes the list.

    Signals:
        patient_chosen(int): staff picked a patient to open.
    """

    patient_chosen = Signal(int)

    def __init__(self, search: SearchFn, resolve: ResolveFn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientSearchBox")
        self._search = search
        self._resolve = resolve
        self._generation = 0
        self._searching = False
        self._open_when_ready = False

        self.field = QLineEdit(self)
        self.field.setObjectName("patientSearch")
        self.field.setPlaceholderText("Find a patient: name, MRN, date of birth, email or phone   (Ctrl+F)")
        self.field.setAccessibleName("Find patient")
        self.field.setAccessibleDescription(
            "Type a name, MRN, date of birth, email or phone. "
            "Down arrow moves through the results, Enter opens."
        )
        self.field.setClearButtonEnabled(True)
        self.field.addAction(tinted_icon("search.svg", TEXT_MUTED), QLineEdit.ActionPosition.LeadingPosition)
        self.field.textEdited.connect(self._on_field_text_edited)
        self.field.installEventFilter(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field)

        self.results: SearchResults | None = None
        self._timer = QTimer(self)
        self._timer.setObjectName("searchDebounceTimer")
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def sizeHint(self) -> QSize:
        return QSize(560, self.field.sizeHint().height())

    # -- the drop-down list, a child of the window so it floats over the dash ----------------------
    def _results(self) -> SearchResults:
        if self.results is None:
            host = self.window()
            self.results = SearchResults(host)
            self.results.itemClicked.connect(self._on_results_item_clicked)
            host.installEventFilter(self)
        return self.results

    def _place_results(self) -> None:
        results = self._results()
        host = results.parentWidget()
        assert host is not None
        top_left = self.field.mapTo(host, QPoint(0, self.field.height() + 4))
        rows = max(1, min(results.count(), VISIBLE_ROWS))
        row_height = results.sizeHintForRow(0) if results.count() else 40
        height = rows * row_height + 2 * results.frameWidth() + 8
        width = min(max(self.field.width(), 420), 720)
        results.setGeometry(top_left.x(), top_left.y(), width, height)
        results.raise_()

    def _show_results(self) -> None:
        self._place_results()
        self._results().show()

    def hide_results(self) -> None:
        """Close the drop-down list."""
        if self.results is not None:
            self.results.hide()

    def results_visible(self) -> bool:
        """True when the drop-down list is open."""
        return self.results is not None and self.results.isVisible()

    # -- typing ------------------------------------------------------------------------------------
    def _on_field_text_edited(self, text: str) -> None:
        self._generation += 1
        self._open_when_ready = False
        if text.strip():
            self._timer.start()
        else:
            self._timer.stop()
            self.hide_results()

    def _on_timer_timeout(self) -> None:
        text = self.field.text().strip()
        if not text:
            return
        self._generation += 1
        generation = self._generation
        search = self._search
        self._searching = True
        run_in_background(
            lambda: list(search(text)),
            lambda found: self._on_search_done(generation, text, found),
            lambda exc: self._on_search_error(generation, exc),
            owner=self,
            name="find_patients",
        )

    def _on_search_done(self, generation: int, text: str, found: list[PatientSummary]) -> None:
        if generation != self._generation:
            return
        self._searching = False
        results = self._results()
        results.clear()
        for summary in found[:RESULT_LIMIT]:
            item = QListWidgetItem(result_text(summary))
            item.setData(PATIENT_ID_ROLE, summary.patient_id)
            item.setToolTip(f"{summary.full_name}, MRN {summary.mrn}")
            results.addItem(item)
        if not found:
            self._add_note(f"No patient matches “{text}”.")
        if self._open_when_ready:
            self._open_when_ready = False
            if len(found) == 1:
                self._choose(found[0].patient_id)
                return
            if not found:
                self._resolve_text(text)
                return
        if found:
            results.setCurrentRow(-1)
        self._show_results()

    def _on_search_error(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self._searching = False
        self._results().clear()
        self._add_note(error_words(exc))
        self._show_results()

    def _add_note(self, words: str) -> None:
        item = QListWidgetItem(words)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        self._results().addItem(item)

    # -- choosing ----------------------------------------------------------------------------------
    def _choose(self, patient_id: int) -> None:
        self._generation += 1
        self._timer.stop()
        self.hide_results()
        self.field.clear()
        self.patient_chosen.emit(patient_id)

    def _on_results_item_clicked(self, item: QListWidgetItem) -> None:
        patient_id = item.data(PATIENT_ID_ROLE)
        if patient_id is not None:
            self._choose(int(patient_id))

    def _resolve_text(self, text: str) -> None:
        generation = self._generation
        resolve = self._resolve
        run_in_background(
            lambda: resolve(text),
            lambda patient_id: self._on_resolve_done(generation, patient_id),
            lambda exc: self._on_resolve_error(generation, text, exc),
            owner=self,
            name="resolve_patient",
        )

    def _on_resolve_done(self, generation: int, patient_id: int) -> None:
        if generation == self._generation:
            self._choose(int(patient_id))

    def _on_resolve_error(self, generation: int, text: str, exc: Exception) -> None:
        if generation != self._generation:
            return
        self._results().clear()
        self._add_note(f"No patient matches “{text}”." if isinstance(exc, NotFound) else error_words(exc))
        self._show_results()

    def _on_enter(self) -> None:
        results = self.results
        text = self.field.text().strip()
        if results is not None and results.isVisible() and results.patient_rows():
            row = max(results.currentRow(), 0)
            patient_id = results.patient_id_at(row)
            if patient_id is not None:
                self._choose(int(patient_id))
                return
        if not text:
            return
        if self._timer.isActive() or self._searching:
            self._open_when_ready = True
            if self._timer.isActive():
                self._timer.stop()
                self._on_timer_timeout()
            return
        self._resolve_text(text)

    def _move(self, step: int) -> None:
        results = self.results
        if results is None or not results.patient_rows():
            return
        if not results.isVisible():
            self._show_results()
        last = results.patient_rows() - 1
        row = results.currentRow()
        row = 0 if row < 0 and step > 0 else min(max(row + step, 0), last)
        results.setCurrentRow(row)
        results.scrollToItem(results.item(row))

    # -- keys and window moves ---------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key == Qt.Key.Key_Down:
                self._move(1)
                return True
            if key == Qt.Key.Key_Up:
                self._move(-1)
                return True
            if key == Qt.Key.Key_PageDown:
                self._move(VISIBLE_ROWS)
                return True
            if key == Qt.Key.Key_PageUp:
                self._move(-VISIBLE_ROWS)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._on_enter()
                return True
            if key == Qt.Key.Key_Escape and self.results_visible():
                self.hide_results()
                return True
        elif watched is self.field and event.type() == QEvent.Type.FocusOut:
            reason = getattr(event, "reason", lambda: None)()
            if reason in (
                Qt.FocusReason.TabFocusReason,
                Qt.FocusReason.BacktabFocusReason,
                Qt.FocusReason.MouseFocusReason,
            ):
                self.hide_results()
        elif (
            self.results is not None
            and watched is self.results.parentWidget()
            and event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest)
            and self.results.isVisible()
        ):
            self._place_results()
        return super().eventFilter(watched, event)
