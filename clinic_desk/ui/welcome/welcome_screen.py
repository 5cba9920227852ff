"""The welcome screen (``welcomeScreen``): the first start on a computer with no clinic yet.

Three big buttons, each with one line saying what it does: create a new clinic here, connect
to the clinic's server, try the demo clinic. Alt+letter or Tab then Enter picks one.
``started`` says how the window goes on (a :class:`Started`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QLabel,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.ui.errors import error_words
from clinic_desk.ui.staff.form_parts import message_line, say
from clinic_desk.ui.tasks import run_in_background
from clinic_desk.ui.welcome.new_clinic_form import NewClinicForm

TITLE = "Welcome to Clinic Desk"
INTRO = "There is no clinic on this computer yet. How would you like to start?"
PATHS = (
    (
        "createClinicPath",
        "&Create a new clinic on this computer",
        "For a single computer: the clinic's data is kept in a file here.",
    ),
    (
        "connectServerPath",
        "Co&nnect to the clinic's server",
        "Your clinic already works on a shared server: type its address and your database login.",
    ),
    (
        "tryDemoPath",
        "Try the &demo clinic",
        "Made-up patients in a separate demo file, to look around safely. Not your clinic's data.",
    ),
)
DEMO_BUILDING = "Building the demo clinic (made-up patients, about 15 seconds the first time)…"


@dataclass(frozen=True)
class Started:
    """How the first start goes on: ``clinic`` open (with ``staff`` signed in), or None: open the
    saved connection as on any other start. ``new_clinic`` True for a clinic just created."""

    clinic: Any = None
    staff: Any = None
    new_clinic: bool = False


class _Progress(QObject):
    """Carries the demo's progress from the worker to the GUI thread (a queued signal)."""

    moved = Signal(int, int)


class WelcomeScreen(QWidget):
    """The three paths, the new-clinic form, and the demo's progress line.

    Signals:
        started(object): a :class:`Started`; the welcome screen's work is done.
    """

    started = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeScreen")
        self.setAccessibleName(TITLE)
        self.setAccessibleDescription(INTRO)
        self.pages = QStackedWidget(self)
        self.choices = self._build_choices()
        self.new_clinic = NewClinicForm(self)
        self.new_clinic.created.connect(self._on_clinic_created)
        self.new_clinic.back_requested.connect(self.show_choices)
        self.demo_page = self._build_demo_page()
        for page in (self.choices, self.new_clinic, self.demo_page):
            self.pages.addWidget(page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 24, 32, 24)
        row = QVBoxLayout()
        outer.addLayout(row)
        row.addWidget(self.pages, 0, Qt.AlignmentFlag.AlignHCenter)
        self.pages.setMaximumWidth(720)
        self._progress = _Progress(self)
        self._progress.moved.connect(self._on_demo_progress)
        self._connection_dialog: QWidget | None = None

    def _build_choices(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("welcomeChoices")
        column = QVBoxLayout(page)
        heading = QLabel(TITLE, page)
        heading.setObjectName("welcomeTitle")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        heading.setFont(font)
        intro = QLabel(INTRO, page)
        intro.setWordWrap(True)
        column.addWidget(heading)
        column.addWidget(intro)
        column.addSpacing(12)
        self.path_buttons: dict[str, QCommandLinkButton] = {}
        for name, words, explanation in PATHS:
            path = QCommandLinkButton(words, explanation, page)
            path.setObjectName(name)
            path.setAccessibleName(words.replace("&", ""))
            path.setAccessibleDescription(explanation)
            path.setAutoDefault(True)  # Enter picks the focused path (outside a dialog too)
            column.addWidget(path)
            self.path_buttons[name] = path
        self.message = message_line(page, "welcomeMessage")
        column.addWidget(self.message)
        column.addStretch(1)
        self.path_buttons["createClinicPath"].clicked.connect(self.show_new_clinic)
        self.path_buttons["connectServerPath"].clicked.connect(self.connect_to_server)
        self.path_buttons["tryDemoPath"].clicked.connect(self.try_demo)
        return page

    def _build_demo_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("demoBuilding")
        column = QVBoxLayout(page)
        self.demo_line = QLabel(DEMO_BUILDING, page)
        self.demo_line.setObjectName("demoProgressLine")
        self.demo_line.setWordWrap(True)
        self.demo_bar = QProgressBar(page)
        self.demo_bar.setObjectName("demoProgressBar")
        self.demo_bar.setAccessibleName("Demo clinic being built")
        self.demo_bar.setRange(0, 0)
        column.addStretch(1)
        column.addWidget(self.demo_line)
        column.addWidget(self.demo_bar)
        column.addStretch(2)
        return page

    # -- the three paths -------------------------------------------------------------------------
    def show_choices(self) -> None:
        """The three buttons, the first one focused."""
        self.pages.setCurrentWidget(self.choices)
        self.path_buttons["createClinicPath"].setFocus(Qt.FocusReason.OtherFocusReason)

    def show_new_clinic(self) -> None:
        """The new clinic's form, the cursor in its first field."""
        self.pages.setCurrentWidget(self.new_clinic)
        self.new_clinic.start()

    def connect_to_server(self) -> QWidget:
        """The connection dialog; once a connection is saved the window opens on it."""
        from clinic_desk.ui.connection.connection_dialog import ConnectionDialog

        dialog = ConnectionDialog(None, self)
        dialog.saved.connect(self._on_connection_saved)
        self._connection_dialog = dialog  # it goes with the screen (deleting it in its own signal crashed)
        dialog.open()
        return dialog

    def _on_connection_saved(self, _settings: object) -> None:
        if self._connection_dialog is not None:
            self._connection_dialog.hide()
        self.started.emit(Started())

    def try_demo(self) -> None:
        """Open the demo clinic (built on a worker the first time), then the window on it."""
        from clinic_desk.ui.welcome.building import open_demo_clinic

        say(self.message, "")
        self.pages.setCurrentWidget(self.demo_page)
        self.demo_line.setText(DEMO_BUILDING)
        self.demo_bar.setRange(0, 0)
        moved = self._progress.moved
        run_in_background(
            lambda: open_demo_clinic(moved.emit),
            lambda clinic: self.started.emit(Started(clinic=clinic)),
            self._on_demo_failed,
            owner=self,
            name="open_demo_clinic",
        )

    def _on_demo_progress(self, done: int, total: int) -> None:
        self.demo_bar.setRange(0, max(total, 1))
        self.demo_bar.setValue(done)
        self.demo_line.setText(f"Building the demo clinic: {done:,} of {total:,} made-up patients…")

    def _on_demo_failed(self, exc: Exception) -> None:
        self.show_choices()
        say(self.message, f"The demo clinic could not be built: {error_words(exc)}")

    def _on_clinic_created(self, clinic: object, member: object) -> None:
        self.started.emit(Started(clinic=clinic, staff=member, new_clinic=True))
