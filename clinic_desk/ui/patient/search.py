"""Type-ahead patient search: a field in the toolbar and a results list that drops below it.

Enter opens only what is highlighted. The only match, or the chart whose MRN was typed,
is highlighted as the results arrive, so Enter opens it at once; with several matches
nothing is, and Enter opens nothing until staff pick a row with the arrow keys.

Each keystroke searches at once (no fixed delay: a search takes milliseconds even at a
million charts), with at most one search running: keys typed meanwhile are searched
together when it answers. An answer for text that has changed since is dropped, so the
list never shows an older query's patients over a newer one's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QListWidgetItem, QWidget

from clinic_desk.domain.chart import PatientSummary
from clinic_desk.domain.errors import NotFound
from clinic_desk.ui.colors import TEXT_MUTED
from clinic_desk.ui.errors import error_words
from clinic_desk.ui.icons import tinted_icon
from clinic_desk.ui.patient.search_results import (
    ASK_LIMIT,
    PATIENT_ID_ROLE,
    RESULT_LIMIT,
    SearchPopup,
    SearchResults,
    enter_target,
    result_text,
)
from clinic_desk.ui.shell import search_field
from clinic_desk.ui.tasks import run_in_background

__all__ = ["ASK_LIMIT", "RESULT_LIMIT", "PatientSearchBox", "SearchPopup", "SearchResults", "result_text"]

VISIBLE_ROWS = 7

#: ``search(text)``: up to ASK_LIMIT matching patients (RESULT_LIMIT are shown, one more means "more").
SearchFn = Callable[[str], Sequence[PatientSummary]]
ResolveFn = Callable[[str], int]


class PatientSearchBox(QWidget):
    """Search field (objectName ``patientSearch``) with a keyboard-driven results list.

    Type to search; Down/Up move the highlight through the results (stopping at the
    ends), Page Down/Page Up a page at a time, Home/End to the first or last row once
    one is highlighted; Enter opens the highlighted patient, the only match or an MRN
    or id as typed; Escape closes the list and keeps the text.

    Signals:
        patient_chosen(int): staff picked a patient to open.
        results_shown(str): the list now holds the answer for this text (the stripped field text).
    """

    patient_chosen = Signal(int)
    results_shown = Signal(str)

    def __init__(self, search: SearchFn, resolve: ResolveFn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientSearchBox")
        self._search = search
        self._resolve = resolve
        # Bumped by every edit: an answer carrying an older number is for text no longer there.
        self._generation = 0
        self._searching = False  # a search runs on a worker (never more than one)
        self._search_again = False  # the text changed while it ran: search the newest text next
        self._open_when_ready = False
        # True while the list holds the answer for the text in the field.
        self._current = False

        # The same box as the window shell's, which staff type into before this one exists.
        self.field = search_field(self)
        self.field.addAction(tinted_icon("search.svg", TEXT_MUTED), QLineEdit.ActionPosition.LeadingPosition)
        self.field.textEdited.connect(self._on_field_text_edited)
        self.field.installEventFilter(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field)

        self.popup: SearchPopup | None = None
        self.results: SearchResults | None = None

    def sizeHint(self) -> QSize:
        return QSize(560, self.field.sizeHint().height())

    # -- the drop-down list, a child of the window so it floats over the dash ----------------------
    def _results(self) -> SearchResults:
        if self.results is None:
            host = self.window()
            self.popup = SearchPopup(host)
            self.results = self.popup.results
            self.results.itemClicked.connect(self._on_results_item_clicked)
            host.installEventFilter(self)
        return self.results

    def _place_results(self) -> None:
        self._results()
        popup = self.popup
        assert popup is not None
        host = popup.parentWidget()
        assert host is not None
        top_left = self.field.mapTo(host, QPoint(0, self.field.height() + 4))
        width = min(max(self.field.width(), 420), 720)
        height = popup.height_for(width, max(1, min(popup.results.count(), VISIBLE_ROWS)))
        popup.setGeometry(top_left.x(), top_left.y(), width, height)
        popup.raise_()

    def _show_results(self) -> None:
        self._place_results()
        assert self.popup is not None
        self.popup.show()

    def hide_results(self) -> None:
        """Close the drop-down list (what was typed stays)."""
        if self.popup is not None:
            self.popup.hide()

    def results_visible(self) -> bool:
        """True when the drop-down list is open."""
        return self.results is not None and self.results.isVisible()

    # -- typing ------------------------------------------------------------------------------------
    def _on_field_text_edited(self, text: str) -> None:
        self._generation += 1
        self._open_when_ready = False
        self._current = False
        if text.strip():
            self._search_now()
        else:
            self._search_again = False
            self.hide_results()

    def _search_now(self) -> None:
        """Search the field's text on a worker, or after the running search when one runs."""
        if self._searching:
            # One at a time: a desk keeps one warm database connection (DESIGN section 8).
            self._search_again = True
            return
        self._search_again = False
        text = self.field.text().strip()
        if not text:
            return
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

    def _answer_is_stale(self, generation: int) -> bool:
        """Note the search ended; True (and the newest text searched) when the text changed since."""
        self._searching = False
        if generation == self._generation:
            return False
        if self._search_again:
            self._search_now()
        return True

    def _on_search_done(self, generation: int, text: str, found: list[PatientSummary]) -> None:
        if self._answer_is_stale(generation):
            return  # typed on since: never show an older query's patients over a newer one's
        self._current = True
        results = self._results()
        if found:
            results.show_found(found, text)
        else:
            results.show_note(f"No patient matches “{text}”.")
        if self._open_when_ready:
            # Enter came before the results: open what Enter would have opened, or show the list.
            self._open_when_ready = False
            target = enter_target(text, results.found())
            if target is not None:
                self._choose(target.patient_id)
                return
            if not found:
                self._resolve_text(text)
                return
        self._show_results()
        self.results_shown.emit(text)

    def _on_search_error(self, generation: int, exc: Exception) -> None:
        if self._answer_is_stale(generation):
            return
        self._open_when_ready = False
        self._results().show_note(error_words(exc))
        self._show_results()
        self.results_shown.emit(self.field.text().strip())

    # -- choosing ----------------------------------------------------------------------------------
    def _choose(self, patient_id: int) -> None:
        self._generation += 1
        self._current = False
        self._search_again = False
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
        self._results().show_note(
            f"No patient matches “{text}”." if isinstance(exc, NotFound) else error_words(exc)
        )
        self._show_results()
        self.results_shown.emit(text)

    def _on_enter(self) -> None:
        text = self.field.text().strip()
        if not text:
            return
        if self._searching or not self._current:
            # The results are not in yet: act on them when they come.
            self._open_when_ready = True
            if not self._searching:
                self._search_now()  # nothing runs for this text (the last one failed)
            return
        results = self._results()
        if not results.patient_rows():
            self._resolve_text(text)  # nothing matched: maybe an id or MRN as typed
            return
        if results.isVisible():
            # Only what is highlighted opens; with none, the status line says to pick one.
            patient_id = results.patient_id_at(results.highlighted_row())
            if patient_id is not None:
                self._choose(patient_id)
            return
        target = enter_target(text, results.found())
        if target is not None:
            self._choose(target.patient_id)
        else:
            self._show_results()  # closed with Escape: show the choice again rather than guess

    # -- moving the highlight ----------------------------------------------------------------------
    def _move(self, step: int) -> None:
        """Move the highlight by ``step`` rows, stopping at the first and last row."""
        results = self.results
        if results is None or not self._current or not results.patient_rows():
            return
        if not results.isVisible():
            self._show_results()
        last = results.patient_rows() - 1
        row = results.highlighted_row()
        # The first Down picks the first row; Up with nothing picked picks nothing.
        row = (0 if step > 0 else -1) if row < 0 else min(max(row + step, 0), last)
        results.highlight(row)

    def _jump(self, to_end: bool) -> bool:
        """Home/End: to the first or last row while a row is highlighted (else they edit the text)."""
        results = self.results
        if results is None or not results.isVisible() or results.highlighted_row() < 0:
            return False
        results.highlight(results.patient_rows() - 1 if to_end else 0)
        return True

    # -- keys and window moves ---------------------------------------------------------------------
    def _on_field_key(self, event: QKeyEvent) -> bool:
        key = Qt.Key(event.key())
        moves = {
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_PageDown: VISIBLE_ROWS,
            Qt.Key.Key_PageUp: -VISIBLE_ROWS,
        }
        if key in moves:
            self._move(moves[key])
            return True
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier  # Shift+Home still selects text
        if key in (Qt.Key.Key_Home, Qt.Key.Key_End) and plain:
            return self._jump(key == Qt.Key.Key_End)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._on_enter()
            return True
        if key == Qt.Key.Key_Escape and self.results_visible():
            self.hide_results()
            return True
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if self._on_field_key(event):
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
            self.popup is not None
            and watched is self.popup.parentWidget()
            and event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest)
            and self.popup.isVisible()
        ):
            self._place_results()
        return super().eventFilter(watched, event)
