"""Help ▸ "Open the demo mailbox": the emails the demo clinic sent, in the browser (demo clinic only).

The demo (``scripts/run-demo.sh``) catches its emails on this computer and the portal shows
them at ``portal_url + "/demo-mailbox"``. The entry appears only in the demo clinic: nothing
else marks it, so a worker asks the demo's own marker, the one ``seed-demo`` uses to tell a
built demo (every demo staff account present, and patients). A real clinic never sees it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QMainWindow

from clinic_desk.ui.help_menu import help_menu
from clinic_desk.ui.tasks import run_in_background

MAILBOX_PATH = "/demo-mailbox"


def _demo_mailbox_address(clinic: Any) -> str | None:
    """On the worker: the mailbox's address when this is the demo clinic, else None."""
    from clinic_desk.demo import is_demo_clinic  # the demo's code loads only here, off the GUI thread

    if not is_demo_clinic(clinic):
        return None
    return str(clinic.settings.portal_url).rstrip("/") + MAILBOX_PATH


class DemoMailboxMenu(QObject):
    """Adds Help ▸ "Open the demo mailbox" once a worker found the demo clinic; ``action`` is None before.

    Signals:
        found: this is the demo clinic (the DEMO banner listens; one check serves both).
    """

    found = Signal()

    def __init__(self, window: Any, clinic: Any) -> None:
        super().__init__(window)
        self.setObjectName("demoMailboxMenu")
        self._window = window
        self.action: QAction | None = None
        self.address: str | None = None
        run_in_background(
            lambda: _demo_mailbox_address(clinic),
            self._on_check_done,
            self._on_check_failed,
            owner=self,
            name="demo_mailbox_check",
        )

    def _on_check_done(self, address: str | None) -> None:
        if address is None:
            return
        self.address = address
        self.action = QAction("Open the demo &mailbox", self._window)
        self.action.setObjectName("demoMailboxAction")
        self.action.setStatusTip("The emails the demo clinic sent, caught on this computer (in the browser)")
        self.action.triggered.connect(self.open_mailbox)
        help_menu(self._window).addAction(self.action)
        self.found.emit()

    def _on_check_failed(self, _error: Exception) -> None:
        """Not knowing is like not the demo: no entry (the window says database trouble elsewhere)."""

    def open_mailbox(self) -> bool:
        """Open the mailbox page in the desktop's browser; True when the desktop took the address."""
        return self.address is not None and QDesktopServices.openUrl(QUrl(self.address))


def install_demo_mailbox_menu(window: QMainWindow, clinic: Any) -> DemoMailboxMenu:
    """The one line ``MainWindow.__init__`` needs: Help ▸ "Open the demo mailbox" for the demo clinic."""
    return DemoMailboxMenu(window, clinic)
