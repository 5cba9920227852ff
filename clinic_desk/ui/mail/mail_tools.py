"""Mail tools for the main window: "Clinic settings…", the outbox status, and the in-app sender.

``install_mail_tools(window, clinic)`` is all the window needs to call: it adds the menu
actions, puts the outbox status in the status bar (``outboxStatus``) and starts the
sender thread. The
sender stops when the window closes (the join waits only after the window has
hidden, and briefly) and when the application quits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu

from clinic_desk.ui.mail.mail_sender import POLL_SECONDS, MailSender, OutboxStatus
from clinic_desk.ui.own_style import follow_theme, message_sheet, no_sheet
from clinic_desk.ui.settings import ClinicSettingsDialog, open_settings_dialog

if TYPE_CHECKING:
    from clinic_desk.services.clinic import Clinic, ClinicSettings

log = logging.getLogger(__name__)

# Menus the "Clinic settings…" action goes to, best first: (objectName, title without "&").
MENU_CHOICES = (("settingsMenu", "Settings"), ("toolsMenu", "Tools"), ("fileMenu", "File"))
CLOSE_JOIN_SECONDS = 2.0


class MailTools(QObject):
    """The window's mail pieces: settings action, "send now" action, status label, sender.

    Signals: none (see ``mail_sender.status_changed`` and the dialog's ``saved``).
    """

    def __init__(
        self,
        window: QMainWindow,
        clinic: Clinic,
        *,
        poll_seconds: float = POLL_SECONDS,
        password_provider: Callable[[], str | None] | None = None,
    ) -> None:
        super().__init__(window)
        self.setObjectName("mailTools")
        self._window = window
        self.clinic = clinic
        self.dialog: ClinicSettingsDialog | None = None
        self.mail_sender = MailSender(
            self.clinic, self, poll_seconds=poll_seconds, password_provider=password_provider
        )
        self.mail_sender.status_changed.connect(self._on_sender_status_changed)

        self.settings_action = QAction("Clinic &settings…", window)
        self.settings_action.setObjectName("clinicSettingsAction")
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.settings_action.setStatusTip(
            "Clinic names and addresses, portal links, lockout and the mail server"
        )
        self.settings_action.triggered.connect(self.open_settings)
        self.send_now_action = QAction("Send &waiting emails now", window)
        self.send_now_action.setObjectName("sendWaitingEmailsAction")
        self.send_now_action.setStatusTip("Try the mail server now instead of at the next retry")
        self.send_now_action.triggered.connect(self._on_send_now_triggered)
        self.menu = find_or_add_menu(window)
        self._separator = _insert_before_quit(self.menu, [self.settings_action, self.send_now_action])
        window.addActions([self.settings_action, self.send_now_action])

        self.status_label = QLabel(self.mail_sender.status.text, window.statusBar())
        self.status_label.setObjectName("outboxStatus")
        self.status_label.setAccessibleName("Outbox status")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._show_status(self.mail_sender.status)
        window.statusBar().addPermanentWidget(self.status_label)

        window.installEventFilter(self)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._on_app_about_to_quit)

    # -- what staff do -------------------------------------------------------------------------
    def open_settings(self) -> ClinicSettingsDialog:
        """Clinic ▸ Clinic settings…: show the dialog (one at a time); returns it."""
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        # The settings are saved as whoever is signed in at the window (MainWindow.actor).
        actor = getattr(self._window, "actor", None)
        dialog = (
            open_settings_dialog(self.clinic, self._window, actor=actor)
            if callable(actor)
            else open_settings_dialog(self.clinic, self._window)
        )
        dialog.saved.connect(self._on_dialog_saved)
        dialog.destroyed.connect(self._on_dialog_destroyed)
        self.dialog = dialog
        return dialog

    def start(self) -> None:
        """Start the sender thread."""
        self.mail_sender.start()

    def stop(self, timeout: float | None = 5.0) -> bool:
        """Stop the sender thread; True when it ended within ``timeout`` seconds."""
        return self.mail_sender.stop(timeout)

    def status_text(self) -> str:
        """The words in the status bar."""
        return self.status_label.text()

    # -- answers -------------------------------------------------------------------------------
    def _on_sender_status_changed(self, status: OutboxStatus) -> None:
        self._show_status(status)

    def _show_status(self, status: OutboxStatus) -> None:
        self.status_label.setText(status.text)
        self.status_label.setToolTip(status.tooltip)
        self.status_label.setAccessibleDescription(status.tooltip)
        follow_theme(self.status_label, message_sheet("error") if status.problem else no_sheet)

    def _on_dialog_saved(self, settings: ClinicSettings) -> None:
        self._window.statusBar().showMessage("Clinic settings saved.", 4000)
        self.mail_sender.settings_changed()
        show = getattr(self._window, "show_clinic_settings", None)
        if callable(show):  # the main window shows the clinic's name and the open patient again
            show(settings)

    def _on_dialog_destroyed(self, _obj: QObject | None = None) -> None:
        self.dialog = None

    def _on_send_now_triggered(self) -> None:
        self.mail_sender.settings_changed()

    def _on_app_about_to_quit(self) -> None:
        self.mail_sender.stop(CLOSE_JOIN_SECONDS)

    def _after_window_close(self, was_running: bool) -> None:
        if self._window.isVisible():
            # The close was refused (the window stays open): keep sending.
            if was_running:
                self.mail_sender.start()
            return
        # The window is hidden now, so a short join is not felt.
        self.mail_sender.stop(CLOSE_JOIN_SECONDS)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        try:
            window = self._window
        except AttributeError:  # the window is being torn down around us
            return False
        if watched is window and event.type() == QEvent.Type.Close:
            # Ask the thread to stop at once (no waiting here); join once the window has hidden.
            was_running = self.mail_sender.running
            self.mail_sender.request_stop()
            QTimer.singleShot(0, self, lambda: self._after_window_close(was_running))
        return False

    def uninstall(self) -> None:
        """Stop the sender and take the actions and the status label off the window."""
        self.mail_sender.stop(CLOSE_JOIN_SECONDS)
        window = self._window
        window.removeEventFilter(self)
        for action in (self.settings_action, self.send_now_action, self._separator):
            if action is None:
                continue
            self.menu.removeAction(action)
            window.removeAction(action)
            action.deleteLater()
        window.statusBar().removeWidget(self.status_label)
        self.status_label.setObjectName("")
        self.status_label.deleteLater()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.disconnect(self._on_app_about_to_quit)
        self.setObjectName("")
        self.deleteLater()


def find_or_add_menu(window: QMainWindow) -> QMenu:
    """The menu for clinic-wide tools: Settings, else Tools, else File (by objectName or title)."""
    bar = window.menuBar()
    menus: list[QMenu] = []
    for action in bar.actions():
        menu = action.menu()
        if isinstance(menu, QMenu):
            menus.append(menu)
    for object_name, title in MENU_CHOICES:
        for menu in menus:
            if menu.objectName() == object_name or menu.title().replace("&", "") == title:
                return menu
    menu = bar.addMenu("&Settings")
    menu.setObjectName("settingsMenu")
    return menu


def _insert_before_quit(menu: QMenu, actions: list[QAction]) -> QAction | None:
    """Add ``actions`` to ``menu``: above the separator before Quit when there is one, else at the end.

    Returns the separator it added (None when it added none).
    """
    entries = menu.actions()
    quit_index = next(
        (i for i, action in enumerate(entries) if action.objectName() == "quitAction"),
        None,
    )
    if quit_index is None:
        menu.addActions(actions)
        return None
    before = entries[quit_index - 1] if quit_index > 0 and entries[quit_index - 1].isSeparator() else None
    anchor = before or entries[quit_index]
    menu.insertActions(anchor, actions)
    if before is None:
        return menu.insertSeparator(anchor)
    return None


def install_mail_tools(
    window: QMainWindow,
    clinic: Clinic,
    *,
    start: bool = True,
    poll_seconds: float = POLL_SECONDS,
    password_provider: Callable[[], str | None] | None = None,
) -> MailTools:
    """Give ``window`` the mail tools of ``clinic`` and start the in-app sender; returns them.

    The one line in ``MainWindow.__init__`` (after the status bar and menus exist)::

        self.mail_tools = install_mail_tools(self, clinic)
    """
    # Installing again (a test with its own poll interval, say) replaces the first set.
    existing = window.findChild(MailTools, "mailTools", Qt.FindChildOption.FindDirectChildrenOnly)
    if existing is not None:
        existing.uninstall()
    tools = MailTools(window, clinic, poll_seconds=poll_seconds, password_provider=password_provider)
    if start:
        tools.start()
    return tools
