"""The window's administration pieces: "Staff accounts…", "Audit log…", and the wizard's role mirror.

``install_admin_tools(window)`` is the one line ``MainWindow`` needs. The menu entries follow
the signed-in member's role (``window.may``, ``window.staff_changed``): disabled, with a
tooltip naming who may, for the others. The services check again and refuse anyway.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from clinic_desk.domain.roles import Permission, refusal
from clinic_desk.ui.admin.audit_log import AuditLogDialog, open_audit_log
from clinic_desk.ui.admin.staff_list import StaffListDialog, open_staff_list
from clinic_desk.ui.tasks import run_in_background

#: (permission, what the entry does when allowed) for each menu entry.
_TIPS = {
    Permission.STAFF_ACCOUNTS: "Who may sign in, with which role: add, change role, reset password, turn off",
    Permission.CLINIC_AUDIT_LOG: "Every action recorded in this clinic, with filters and CSV export",
}


def admin_menu(window: QMainWindow) -> QMenu:
    """The "Settings" menu when the window has one, else a "Clinic" menu before "View"."""
    bar = window.menuBar()
    menus = [menu for action in bar.actions() if isinstance(menu := action.menu(), QMenu)]
    for menu in menus:
        if menu.objectName() in ("settingsMenu", "clinicMenu"):
            return menu
    menu = QMenu("&Clinic", bar)
    menu.setObjectName("clinicMenu")
    view = next((m for m in menus if m.objectName() == "viewMenu"), None)
    if view is not None:
        bar.insertMenu(view.menuAction(), menu)
    else:
        bar.addMenu(menu)
    return menu


class AdminTools(QObject):
    """Menu entries for the staff list and the audit log; mirrors the role in the wizard."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.setObjectName("adminTools")
        self._window = window
        self.clinic = window.clinic
        self.staff_list: StaffListDialog | None = None
        self.audit_log: AuditLogDialog | None = None
        self._opened_by: dict[str, str] = {}  # dialog -> who opened it
        self.menu = admin_menu(window)
        self.menu.setToolTipsVisible(True)
        self.staff_action = self._action("&Staff accounts…", "staffAccountsAction", self.open_staff_list)
        self.audit_action = self._action("&Audit log…", "auditLogAction", self.open_audit_log)
        if self.menu.actions():
            self.menu.addSeparator()
        self.menu.addActions([self.staff_action, self.audit_action])
        window.addActions([self.staff_action, self.audit_action])
        window.staff_changed.connect(self._on_window_staff_changed)
        dock = getattr(window, "troubleshooting_dock", None)
        if dock is not None:
            dock.installEventFilter(self)  # a new panel in the dock gets the mirror too
        self._guard()
        self.mirror_wizard()

    def _action(self, text: str, name: str, slot: Any) -> QAction:
        action = QAction(text, self._window)
        action.setObjectName(name)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        return action

    # -- what staff do -----------------------------------------------------------------------------
    def open_staff_list(self) -> StaffListDialog | None:
        """Clinic ▸ Staff accounts… (one at a time); None when the member may not."""
        if not self._allowed(Permission.STAFF_ACCOUNTS):
            return None
        if self.staff_list is not None:
            self.staff_list.raise_()
            self.staff_list.activateWindow()
            return self.staff_list
        dialog = open_staff_list(self.clinic, self._window, actor=self._window.actor)
        dialog.destroyed.connect(self._on_staff_list_destroyed)
        dialog.account_changed.connect(self._on_staff_list_account_changed)
        self.staff_list = dialog
        self._opened_by["staffList"] = self._window.actor()
        return dialog

    def open_audit_log(self) -> AuditLogDialog | None:
        """Clinic ▸ Audit log… (one at a time); None when the member may not."""
        if not self._allowed(Permission.CLINIC_AUDIT_LOG):
            return None
        if self.audit_log is not None:
            self.audit_log.raise_()
            self.audit_log.activateWindow()
            return self.audit_log
        dialog = open_audit_log(self.clinic, self._window, actor=self._window.actor)
        dialog.destroyed.connect(self._on_audit_log_destroyed)
        self.audit_log = dialog
        self._opened_by["auditLog"] = self._window.actor()
        return dialog

    def _allowed(self, permission: Permission) -> bool:
        if self._window.may(permission):
            return True
        self._window.statusBar().showMessage(refusal(permission), 5000)
        return False

    # -- following the signed-in member ------------------------------------------------------------
    def _guard(self) -> None:
        """The window enables each entry for the roles that may use it, and says who may."""
        for action, permission in (
            (self.staff_action, Permission.STAFF_ACCOUNTS),
            (self.audit_action, Permission.CLINIC_AUDIT_LOG),
        ):
            action.setToolTip(_TIPS[permission])
            action.setStatusTip(_TIPS[permission])
            self._window.guard_action(action, permission)

    def mirror_wizard(self) -> None:
        """Give the troubleshooting panel the window's ``may`` and let it grey out what the role lacks."""
        dock = getattr(self._window, "troubleshooting_dock", None)
        panel = dock.widget() if dock is not None else None
        if panel is None or not hasattr(panel, "may"):
            return
        panel.may = self._window.may
        if hasattr(panel, "apply_permissions"):
            panel.apply_permissions()

    def _on_window_staff_changed(self, _member: object) -> None:
        self.mirror_wizard()
        # Another person at the desk: what the first one had open here closes.
        # So does what the member's role no longer allows.
        now = self._window.actor()
        for dialog, permission in (
            (self.staff_list, Permission.STAFF_ACCOUNTS),
            (self.audit_log, Permission.CLINIC_AUDIT_LOG),
        ):
            if dialog is None:
                continue
            if self._opened_by.get(dialog.objectName()) != now or not self._window.may(permission):
                dialog.close()

    def _on_staff_list_account_changed(self, username: str) -> None:
        """One's own role or sign-in changed: the window follows at once (the services already do)."""
        if self._window.staff_member is None or username.casefold() != self._window.actor().casefold():
            return
        admin = self.clinic.admin
        run_in_background(
            lambda: next(
                (m for m in admin.list_staff() if m.username.casefold() == username.casefold()), None
            ),
            self._on_own_account_read,
            owner=self,
            name="own_staff_account",
        )

    def _on_own_account_read(self, member: Any) -> None:
        if member is not None and member.username.casefold() == self._window.actor().casefold():
            self._window.set_staff_member(member)

    def _on_staff_list_destroyed(self, _obj: object = None) -> None:
        self.staff_list = None

    def _on_audit_log_destroyed(self, _obj: object = None) -> None:
        self.audit_log = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ChildAdded and isinstance(watched, QWidget):
            QTimer.singleShot(0, self, self.mirror_wizard)
        return False


def install_admin_tools(window: QMainWindow) -> AdminTools:
    """Give ``window`` the staff list and the audit log (menu entries that follow the role).

    The one line in ``MainWindow.__init__`` (after the menus and the mail tools exist)::

        self.admin_tools = install_admin_tools(self)
    """
    return AdminTools(window)
