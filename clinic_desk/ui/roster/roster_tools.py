"""Patient ▸ Portal roster… (Ctrl+Shift+R): one roster window at a time beside the main window.

``install_roster_tools(window)`` is the one line ``MainWindow`` needs. Everybody may look at the
roster; its "Send invitations…" follows the signed-in member's role (managers and administrators).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from clinic_desk.domain.roles import Permission
from clinic_desk.ui.roster.roster_window import PortalRoster
from clinic_desk.ui.tasks import run_in_background

log = logging.getLogger(__name__)

ROSTER_TIP = "Every patient's portal status, with counts; invite patients in bulk"


class RosterTools(QObject):
    """The menu entry, and the roster window while it is open (``roster``)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.setObjectName("rosterTools")
        self._window = window
        self.roster: PortalRoster | None = None
        self.action = QAction("&Portal roster…", window)
        self.action.setObjectName("portalRosterAction")
        self.action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.setToolTip(ROSTER_TIP)
        self.action.setStatusTip(ROSTER_TIP)
        self.action.triggered.connect(self.open_roster)
        menu = window.menuBar().findChild(QMenu, "patientMenu")
        if menu is not None:
            menu.addSeparator()
            menu.addAction(self.action)
        window.addAction(self.action)
        window.guard_action(self.action, Permission.VIEW)
        window.staff_changed.connect(self._on_window_staff_changed)
        # The adoption chart's daily record, once after start whether or not the roster is opened.
        # On a worker: at a million charts it takes seconds on SQLite.
        self.status_recorded: bool | None = None  # None until that first record has answered
        run_in_background(
            window.clinic.record_daily_status,
            self._on_status_recorded,
            self._on_status_failed,
            owner=self,
            name="record_daily_status",
        )

    def _on_status_recorded(self, wrote: bool) -> None:
        self.status_recorded = wrote

    def _on_status_failed(self, exc: Exception) -> None:
        # The roster and the mail-worker try again; the class name only (no patient data in logs).
        self.status_recorded = False
        log.warning("Recording the day's portal status failed (%s)", type(exc).__name__)

    def open_roster(self) -> PortalRoster | None:
        """Show the roster (one at a time); None while the window is locked."""
        if self._window.locked:
            return None
        if self.roster is None:
            roster = PortalRoster(self._window)
            roster.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            roster.destroyed.connect(self._on_roster_destroyed)
            # The clinic-wide list leaves the desk only with a manager or an administrator.
            for action in (roster.bar.invite_action, roster.bar.export_action, roster.bar.print_action):
                self._window.guard_action(action, Permission.BULK_INVITATIONS)
            self.roster = roster
            fit_to_screen(roster, self._window)
            roster.bar.field.setFocus(Qt.FocusReason.OtherFocusReason)  # type to filter at once
        self.roster.show()
        self.roster.raise_()
        self.roster.activateWindow()
        return self.roster

    def _on_window_staff_changed(self, _member: object) -> None:
        # Another person at the desk (or nobody): the roster the last one opened closes.
        if self.roster is not None:
            self.roster.close()

    def _on_roster_destroyed(self, _obj: object = None) -> None:
        self.roster = None


#: Below this free height the adoption chart starts hidden: the table needs the room.
CHART_ROOM = 880


def fit_to_screen(roster: PortalRoster, host: QWidget) -> None:
    """Keep the roster's size (1180 x 840) on a big screen; shrink it to fit a small one (1024 x 768)."""
    screen = host.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    free = screen.availableGeometry()
    roster.resize(min(roster.width(), free.width() - 40), min(roster.height(), free.height() - 60))
    roster.adoption_area.toggle.setChecked(free.height() >= CHART_ROOM)


def install_roster_tools(window: Any) -> RosterTools:
    """Give ``window`` Patient ▸ Portal roster… (after its menus exist)."""
    return RosterTools(window)
