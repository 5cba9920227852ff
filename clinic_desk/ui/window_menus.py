"""The main window's own menus: File, Patient and View, with the actions and shortcuts they hold.

Other parts add their entries to these menus later (the chart actions, mail and admin
tools, Help): only what the window itself does is built here.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence


def build_window_menus(window: Any) -> tuple[QAction, QAction]:
    """Add File, Patient and View to ``window``'s menu bar, and their shortcuts to the window.

    Returns File ▸ Lock and File ▸ Create the first administrator…, which follow the staff
    session: the window enables, shows and connects them.
    """
    find = QAction("&Find patient…", window)
    find.setObjectName("findPatientAction")
    find.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
    find.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    find.triggered.connect(window.focus_search)
    reload = QAction("&Reload patient", window)
    reload.setObjectName("reloadPatientAction")
    reload.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
    reload.triggered.connect(window.session.reload)
    troubleshoot = QAction("&Troubleshoot portal access", window)
    troubleshoot.setObjectName("troubleshootAction")
    troubleshoot.setShortcut(QKeySequence("Ctrl+T"))
    troubleshoot.triggered.connect(window.show_troubleshooting)
    edit_contact = QAction("&Edit contact details…", window)
    edit_contact.setObjectName("editContactAction")
    edit_contact.setShortcut(QKeySequence("Ctrl+E"))
    edit_contact.triggered.connect(window.edit_contact)
    connection = QAction("&Database connection…", window)
    connection.setObjectName("databaseConnectionAction")
    connection.triggered.connect(window.show_connection_dialog)
    lock = QAction("&Lock", window)
    lock.setObjectName("lockAction")
    lock.setShortcut(QKeySequence("Ctrl+L"))
    lock.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    lock.triggered.connect(window.lock)
    first_administrator = QAction("Create the first &administrator…", window)
    first_administrator.setObjectName("firstAdministratorAction")
    first_administrator.setStatusTip("Create a staff account so that everyone signs in")
    quit_action = QAction("&Quit", window)
    quit_action.setObjectName("quitAction")
    quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
    quit_action.triggered.connect(window.close)
    menus = window.menuBar()
    menus.setObjectName("menuBar")
    file_menu = menus.addMenu("&File")
    file_menu.setObjectName("fileMenu")
    file_menu.setToolTipsVisible(True)  # a disabled action says who may use it
    file_menu.addAction(connection)
    file_menu.addSeparator()
    file_menu.addActions([lock, first_administrator])
    file_menu.addSeparator()
    file_menu.addAction(quit_action)
    patient_menu = menus.addMenu("&Patient")
    patient_menu.setObjectName("patientMenu")
    patient_menu.addActions([find, reload, troubleshoot, edit_contact])
    patient_menu.addAction(window.dash.photo_block.portal.explain_action)  # F1: why this colour
    view_menu = menus.addMenu("&View")
    view_menu.setObjectName("viewMenu")
    dock_toggle = window.troubleshooting_dock.toggleViewAction()
    dock_toggle.setText("&Troubleshooting panel")
    view_menu.addAction(dock_toggle)
    window.addActions([find, reload, troubleshoot, edit_contact, lock, quit_action])
    return lock, first_administrator
