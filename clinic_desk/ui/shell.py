"""The window as it first appears: the title and a search field that takes typing at once.

It paints before SQLAlchemy and the services are imported (only Qt is loaded here);
the clinic opens on a worker meanwhile, and :mod:`clinic_desk.ui.start` then puts the
full :class:`~clinic_desk.ui.main_window.MainWindow` in its place, typed text included.
"""

from __future__ import annotations

# Not Qt's ``Qt`` namespace: its first use costs about 0.1 s, which the first paint does not need.
from PySide6.QtCore import QByteArray, QCoreApplication, QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QMainWindow, QToolBar, QVBoxLayout, QWidget

from clinic_desk.ui.window_fit import keep_on_screen, place_on_screen

APP_TITLE = "Clinic Desk"
GEOMETRY_KEY = "mainWindow/geometry"
SEARCH_PLACEHOLDER = "Find a patient: name, MRN, date of birth, email or phone   (Ctrl+F)"
SEARCH_NAME = "Find patient"
SEARCH_DESCRIPTION = (
    "Type a name, MRN, date of birth, email or phone. "
    "Down arrow moves through the results, Enter opens the highlighted patient."
)
OPENING_WORDS = "Opening the clinic…"


def search_field(parent: QWidget) -> QLineEdit:
    """The patient search box, the same in the window shell and the full window."""
    field = QLineEdit(parent)
    field.setObjectName("patientSearch")
    field.setPlaceholderText(SEARCH_PLACEHOLDER)
    field.setAccessibleName(SEARCH_NAME)
    field.setAccessibleDescription(SEARCH_DESCRIPTION)
    field.setClearButtonEnabled(True)
    return field


def search_toolbar(window: QMainWindow, field: QWidget) -> QToolBar:
    """The bar on top: the app's name and ``field``; the same object names in both windows,
    so the theme draws them alike."""
    toolbar = QToolBar("Search", window)
    toolbar.setObjectName("mainToolBar")
    toolbar.setMovable(False)
    toolbar.setFloatable(False)
    header = QWidget(toolbar)
    header.setObjectName("toolbarHeader")
    row = QHBoxLayout(header)
    row.setContentsMargins(16, 8, 16, 8)
    row.setSpacing(18)
    title = QLabel(APP_TITLE, header)
    title.setObjectName("appTitle")
    row.addWidget(title)
    row.addWidget(field, 1)
    toolbar.addWidget(header)
    window.addToolBar(toolbar)  # on top
    return toolbar


class WindowShell(QMainWindow):
    """The first window: title, search field (focused) and a note while the clinic opens.

    Signals:
        painted: the search field was first painted (emitted once the paint is done).
    """

    painted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("windowShell")
        self.setWindowTitle(APP_TITLE)
        self.setAccessibleName(APP_TITLE)
        self._painted = False
        self._forward_to: QLineEdit | None = None
        # Enter pressed on the typed text: the full window opens what Enter would have opened.
        self.enter_pressed = False

        self.field = search_field(self)
        # Watched until its first paint, and again once handed over: while the clinic loads on
        # a worker, each event through Python would wait for the worker's turn at the GIL.
        self.field.installEventFilter(self)
        self.field.returnPressed.connect(self._on_field_return_pressed)
        self.field.textEdited.connect(self._on_field_text_edited)
        self._build_toolbar()

        middle = QWidget(self)
        column = QVBoxLayout(middle)
        row = QHBoxLayout()
        self.note = QLabel(OPENING_WORDS, middle)
        self.note.setObjectName("openingNote")
        self.note.setAccessibleName("Starting")
        row.addStretch(1)
        row.addWidget(self.note)
        row.addStretch(1)
        column.addStretch(1)
        column.addLayout(row)
        column.addStretch(1)
        self.setCentralWidget(middle)
        self.statusBar().showMessage("Database: connecting…")
        place_on_screen(self)
        geometry = QSettings().value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
            keep_on_screen(self)

    def _build_toolbar(self) -> None:
        search_toolbar(self, self.field)

    def show_at_start(self) -> None:
        """Show the shell with the cursor in the search field."""
        self.show()
        self.activateWindow()
        self.field.setFocus()

    def add_search_icon(self) -> None:
        """The magnifier the full window's field has (it loads QtSvg: after the first paint)."""
        from clinic_desk.ui.colors import TEXT_MUTED
        from clinic_desk.ui.icons import tinted_icon

        self.field.addAction(tinted_icon("search.svg", TEXT_MUTED), QLineEdit.ActionPosition.LeadingPosition)

    def say(self, words: str) -> None:
        """Change the note in the middle ("Opening the clinic…", a problem, …)."""
        self.note.setText(words)

    def _on_field_return_pressed(self) -> None:
        self.enter_pressed = bool(self.field.text().strip())

    def _on_field_text_edited(self, _text: str) -> None:
        self.enter_pressed = False  # typed on after Enter: the text is not what Enter was for

    def typed(self) -> tuple[str, int]:
        """What was typed into the search field so far, and where the cursor is."""
        return self.field.text(), self.field.cursorPosition()

    def hand_over(self, field: QLineEdit) -> None:
        """From now on keys that still reach the shell go to ``field`` (the full window's)."""
        self._forward_to = field
        self.field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.field:
            return super().eventFilter(watched, event)
        kind = event.type()
        if kind == QEvent.Type.Paint and not self._painted:
            # The search field is what staff look for; the rest is flushed in the same pass.
            self._painted = True
            self.field.removeEventFilter(self)
            QTimer.singleShot(0, self.painted.emit)
            return False
        target = self._forward_to
        if target is None or kind not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            return super().eventFilter(watched, event)
        from PySide6.QtGui import QKeyEvent

        assert isinstance(event, QKeyEvent)
        QCoreApplication.sendEvent(target, QKeyEvent(kind, event.key(), event.modifiers(), event.text()))
        return True
