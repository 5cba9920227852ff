"""The roster's top bar: the text filter, "Sort by", and the Send invitations / Export / Print buttons."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from clinic_desk.domain.roster import ROSTER_SORTS, RosterSort
from clinic_desk.ui.colors import TEXT_MUTED
from clinic_desk.ui.icons import tinted_icon
from clinic_desk.ui.roster.roster_words import COLUMNS, SORT_WORDS

INVITE_TIP = "Invite the selected patients, or all that match the filter, to the portal (after a preview)"


class RosterBar(QWidget):
    """Filter text, sort, and the roster's actions.

    Signals:
        text_changed(str): the filter text changed (typed, or cleared with Esc).
        sort_chosen(str, bool): a sort was picked from the list (column, descending).
    """

    text_changed = Signal(str)
    sort_chosen = Signal(str, bool)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("rosterBar")
        self.field = QLineEdit(self)
        self.field.setObjectName("rosterFilter")
        self.field.setPlaceholderText("Filter: name, MRN, date of birth, email or phone   (Esc clears)")
        self.field.setAccessibleName("Filter the roster")
        self.field.setAccessibleDescription("Type a name, MRN, date of birth, email or phone; Esc clears")
        self.field.setClearButtonEnabled(True)
        self.field.setMinimumWidth(280)
        self.field.addAction(tinted_icon("search.svg", TEXT_MUTED), QLineEdit.ActionPosition.LeadingPosition)
        self.field.textChanged.connect(self._on_field_text_changed)
        self.field.installEventFilter(self)
        self._text = ""

        sort_label = QLabel("&Sort by:", self)
        sort_label.setObjectName("rosterSortLabel")
        self.sort_box = QComboBox(self)
        self.sort_box.setObjectName("rosterSort")
        self.sort_box.setAccessibleName("Sort the roster by")
        self.sort_box.setAccessibleDescription("The header's sortable columns do the same when clicked")
        for sort in ROSTER_SORTS:
            for descending in (False, True):
                self.sort_box.addItem(SORT_WORDS[sort][descending], (sort, descending))
        self.sort_box.activated.connect(self._on_sort_box_activated)
        sort_label.setBuddy(self.sort_box)

        self.selected_label = QLabel(self)
        self.selected_label.setObjectName("rosterSelected")
        self.selected_label.setAccessibleName("Selected patients")

        # Push buttons that follow their actions (the main window guards the actions by role).
        self.invite_action, self.invite_button = self._action_button(
            "Send &invitations…", "rosterInvite", INVITE_TIP
        )
        self.export_action, self.export_button = self._action_button(
            "&Export CSV…", "rosterExport", "Save the filtered list as a CSV file"
        )
        self.print_action, self.print_button = self._action_button(
            "&Print…", "rosterPrint", "Print the filtered list, with the clinic's name and the date"
        )

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.field, 1)
        row.addWidget(sort_label)
        row.addWidget(self.sort_box)
        row.addWidget(self.selected_label)
        row.addWidget(self.invite_button)
        row.addWidget(self.export_button)
        row.addWidget(self.print_button)
        self.show_selected(0)

    def _button(self, text: str, name: str, description: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.setAccessibleDescription(description)
        button.setToolTip(description)
        button.setAutoDefault(False)
        return button

    def _action_button(self, text: str, name: str, description: str) -> tuple[QAction, QPushButton]:
        """An action (``<name>Action``) and the push button showing it: enabled and tooltip follow."""
        action = QAction(text, self)
        action.setObjectName(f"{name}Action")
        action.setToolTip(description)
        action.setStatusTip(description)
        button = self._button(text, name, description)
        button.clicked.connect(action.trigger)

        def follow() -> None:
            button.setEnabled(action.isEnabled())
            button.setToolTip(action.toolTip())

        action.changed.connect(follow)
        return action, button

    def text(self) -> str:
        """The filter text, stripped."""
        return self._text

    def show_selected(self, count: int) -> None:
        """Say how many rows are selected."""
        self.selected_label.setText(f"{count:,} selected" if count else "")

    def show_sort(self, sort: RosterSort, descending: bool) -> None:
        """Show ``sort`` in the list (without emitting ``sort_chosen``)."""
        # Two entries per sort, ascending first (findData cannot compare Python tuples).
        self.sort_box.setCurrentIndex(ROSTER_SORTS.index(sort) * 2 + int(descending))

    @staticmethod
    def sort_column(sort: RosterSort) -> int:
        """The table column that sorts by ``sort``."""
        return next(i for i, column in enumerate(COLUMNS) if column.sort == sort)

    @staticmethod
    def column_sort(column: int) -> RosterSort | None:
        """What table column ``column`` sorts by, or None."""
        return COLUMNS[column].sort if 0 <= column < len(COLUMNS) else None

    def _on_field_text_changed(self, text: str) -> None:
        if text.strip() != self._text:
            self._text = text.strip()
            self.text_changed.emit(self._text)

    def _on_sort_box_activated(self, index: int) -> None:
        sort, descending = self.sort_box.itemData(index)
        self.sort_chosen.emit(sort, descending)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.field
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self.field.text()
        ):
            self.field.clear()
            return True
        return super().eventFilter(watched, event)
