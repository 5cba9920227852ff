"""The patient search's drop-down: the matching patients and a status line saying what Enter does."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.chart import PatientSummary
from clinic_desk.domain.wording import day

#: How many patients the list shows; the search is asked for one more to know there are more.
RESULT_LIMIT = 20
#: The limit to give ``find_patients``: one more than the list shows.
ASK_LIMIT = RESULT_LIMIT + 1
PATIENT_ID_ROLE = Qt.ItemDataRole.UserRole
KEYS_HINT = "Up and Down arrows move through the patients, Home and End jump, Enter opens the highlighted one"


def result_text(summary: PatientSummary) -> str:
    """Two lines for one search result."""
    details = [f"MRN {summary.mrn}", f"Born {day(summary.date_of_birth)}"]
    if summary.status not in ("active", ""):
        details.append(summary.status.title())
    return f"{summary.full_name}\n" + " · ".join(details)


def spoken_text(summary: PatientSummary, row: int, rows: int) -> str:
    """What a screen reader says for one result: one line, with its place in the list."""
    return f"{result_text(summary).replace(chr(10), ', ')}, {row + 1} of {rows}"


def enter_target(text: str, found: Sequence[PatientSummary]) -> PatientSummary | None:
    """The patient Enter opens with no row picked: the only match, or the one whose MRN was typed."""
    if len(found) == 1:
        return found[0]
    typed = text.strip()
    exact = [summary for summary in found if summary.mrn == typed]
    return exact[0] if len(exact) == 1 else None


def status_words(shown: int, more: bool, highlighted: PatientSummary | None) -> str:
    """The list's status line: how many patients, whether there are more, and what Enter will do."""
    # Two patients may share a name: the MRN says which one Enter opens.
    opens = f"Enter opens {highlighted.full_name}, MRN {highlighted.mrn}" if highlighted else ""
    if more:
        cut = f"Showing the first {shown} — type more of the name or the date of birth"
        return f"{cut}\n{opens or 'Use ↓ to pick one'}"
    count = "1 patient" if shown == 1 else f"{shown} patients"
    return f"{count} — {opens or 'use ↓ to pick one'}"


class SearchResults(QListWidget):
    """The list of matches; never takes focus from the search field.

    It keeps the status line under it (``status_line``) saying how many patients
    there are, when the list is cut short, and what Enter will open; its accessible
    description says the same to screen readers.

    The list never has the keyboard focus (the search field keeps it), so Qt would
    not tell screen readers where the highlight went: the list sends the Focus event
    for the highlighted row itself, as Qt's own completer popup does, and announces
    the count when results arrive.
    """

    def __init__(self, parent: QWidget, status_line: QLabel) -> None:
        super().__init__(parent)
        self.setObjectName("patientSearchResults")
        self.setAccessibleName("Matching patients")
        self.setAccessibleDescription(KEYS_HINT)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setUniformItemSizes(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.status_line = status_line
        self._found: list[PatientSummary] = []
        self._more = False

    # -- what the list holds -----------------------------------------------------------------------
    def show_found(self, found: Sequence[PatientSummary], text: str) -> None:
        """List the first RESULT_LIMIT of ``found``; the only match or the typed MRN is highlighted."""
        self.clear()
        self._found = list(found[:RESULT_LIMIT])
        self._more = len(found) > RESULT_LIMIT
        for row, summary in enumerate(self._found):
            item = QListWidgetItem(result_text(summary))
            item.setData(PATIENT_ID_ROLE, summary.patient_id)
            item.setToolTip(f"{summary.full_name}, MRN {summary.mrn}")
            item.setData(Qt.ItemDataRole.AccessibleTextRole, spoken_text(summary, row, len(self._found)))
            self.addItem(item)
        target = enter_target(text, self._found)
        # The arrival is announced as a whole (count and what Enter opens), not as a move.
        self._highlight(-1 if target is None else self._found.index(target))
        self._announce(self.status_text().replace("\n", ". "))

    def show_note(self, words: str) -> None:
        """Show a line that is not a patient ("No patient matches …", a fault), and no status."""
        self.clear()
        self._found, self._more = [], False
        item = QListWidgetItem(words)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        self.addItem(item)
        self.setAccessibleDescription(words)
        self._set_status("")
        self._announce(words)

    def found(self) -> list[PatientSummary]:
        """The patients listed, top to bottom."""
        return list(self._found)

    def has_more(self) -> bool:
        """True when more patients match than the list shows."""
        return self._more

    def patient_rows(self) -> int:
        """How many rows are patients (not a "no match" note)."""
        return len(self._found)

    def patient_id_at(self, row: int) -> int | None:
        """The patient id of ``row``, or None."""
        return self._found[row].patient_id if 0 <= row < len(self._found) else None

    # -- the highlighted row -----------------------------------------------------------------------
    def highlighted_row(self) -> int:
        """The highlighted row, or -1 when none is."""
        row = self.currentRow()
        return row if 0 <= row < len(self._found) and self.item(row).isSelected() else -1

    def highlight(self, row: int) -> None:
        """Highlight ``row`` (-1: none), say what Enter will do, and tell screen readers the row."""
        self._highlight(row)
        row = self.highlighted_row()
        if row >= 0:
            event = QAccessibleEvent(self, QAccessible.Event.Focus)
            event.setChild(row)  # a list's accessible child is its row, as in QListView
            QAccessible.updateAccessibility(event)

    def _highlight(self, row: int) -> None:
        if 0 <= row < len(self._found):
            self.setCurrentRow(row)
            self.scrollToItem(self.item(row))
        else:
            self.setCurrentRow(-1)
            self.clearSelection()
        if not self._found:
            return
        row = self.highlighted_row()
        words = status_words(len(self._found), self._more, self._found[row] if row >= 0 else None)
        self.setAccessibleDescription(f"{words.replace(chr(10), '. ')}. {KEYS_HINT}.")
        self._set_status(words)

    def status_text(self) -> str:
        """The status line as shown ("" when there is none)."""
        return self.status_line.text() if not self.status_line.isHidden() else ""

    def _announce(self, words: str) -> None:
        """Have screen readers say ``words`` (politely, after what they are saying)."""
        if words:
            QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self, words))

    def _set_status(self, words: str) -> None:
        self.status_line.setText(words)
        self.status_line.setVisible(bool(words))


class SearchPopup(QFrame):
    """The drop-down under the search field: the results list over its status line.

    A child of the window (not a popup window), so it floats over the dash and
    the search field keeps the keyboard.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("patientSearchPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.status_line = QLabel(self)
        self.status_line.setObjectName("patientSearchStatus")
        # No accessible name of its own: screen readers then read its words (the count) as its name.
        self.status_line.setAccessibleDescription("Search results status")
        self.status_line.setWordWrap(True)
        self.status_line.hide()
        self.results = SearchResults(self, self.status_line)
        self._layout = layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(0)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status_line)
        self.hide()

    def height_for(self, width: int, rows: int) -> int:
        """The popup's height at ``width`` showing ``rows`` rows and the status line."""
        results = self.results
        row_height = results.sizeHintForRow(0) if results.count() else 40
        margins = self._layout.contentsMargins()
        height = rows * row_height + margins.top() + margins.bottom() + 2 * self.frameWidth() + 2
        if not self.status_line.isHidden():
            inner = width - margins.left() - margins.right() - 2 * self.frameWidth()
            height += self.status_line.heightForWidth(inner)
        return height
