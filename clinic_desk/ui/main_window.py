"""The Clinic Desk main window: search on top, the patient dash, troubleshooting on the right."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QDockWidget, QHBoxLayout, QLabel, QMainWindow, QToolBar, QWidget

from clinic_desk.domain.roles import Permission
from clinic_desk.ui.admin import install_admin_tools
from clinic_desk.ui.backup_runner import install_daily_backup
from clinic_desk.ui.errors import error_words
from clinic_desk.ui.mail.mail_tools import install_mail_tools
from clinic_desk.ui.patient.chart_actions import install_chart_actions
from clinic_desk.ui.patient.patient_dash import PatientDash
from clinic_desk.ui.patient.patient_session import PatientSession
from clinic_desk.ui.patient.search import PatientSearchBox
from clinic_desk.ui.patient_loader import PatientView
from clinic_desk.ui.tasks import run_in_background
from clinic_desk.ui.troubleshooting_panel import PanelFactory, default_panel_factory
from clinic_desk.ui.workstation import workstation_user

if TYPE_CHECKING:
    from clinic_desk import Clinic
    from clinic_desk.services.clinic import StaffAccount

log = logging.getLogger(__name__)

APP_TITLE = "Clinic Desk"
DEFAULT_SIZE = (1280, 800)
GEOMETRY_KEY = "mainWindow/geometry"
STATE_KEY = "mainWindow/state"
STATE_VERSION = 1


class MainWindow(QMainWindow):
    """One workstation's window onto the clinic.

    ``open_patient(pid)`` loads the patient on a worker thread; the dash and
    the secure-message icon follow, and stay live while the patient is open.

    ``staff`` is the signed-in member (from ``clinic.admin.sign_in``); without one the
    window runs in single-user mode (a clinic with no staff accounts yet). Every action
    is done as :meth:`actor`, and :meth:`may` mirrors the services' permission table.

    Signals:
        patient_opened(int): a newly opened patient finished loading.
        patient_loaded(object): a :class:`PatientView` was shown (first load or live refresh).
        staff_changed(object): another member signed in (a ``StaffAccount``, or None).
    """

    patient_opened = Signal(int)
    patient_loaded = Signal(object)
    staff_changed = Signal(object)

    def __init__(
        self,
        clinic: Clinic,
        parent: QWidget | None = None,
        *,
        persist: bool = True,
        panel_factory: PanelFactory = default_panel_factory,
        send_mail: bool = True,
        daily_backup: bool = True,
        staff: StaffAccount | None = None,
    ) -> None:
        super().__init__(parent)
        self.staff_member: StaffAccount | None = staff
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_TITLE)
        self.setAccessibleName(APP_TITLE)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks)
        self.clinic = clinic
        self._persist = persist
        self.session = PatientSession(clinic, self)
        self.session.patient_opened.connect(self.patient_opened)
        self.session.patient_loaded.connect(self._on_session_patient_loaded)

        self.search = PatientSearchBox(
            lambda text: clinic.staff.find_patients(text, limit=20), clinic.staff.resolve_patient, self
        )
        self.search.patient_chosen.connect(self._on_search_patient_chosen)
        self._build_toolbar()

        self.dash = PatientDash(self.session, self)
        self.dash.troubleshoot_requested.connect(self._on_dash_troubleshoot_requested)
        self.dash.edit_contact_requested.connect(self._on_dash_edit_contact_requested)
        self.setCentralWidget(self.dash)

        self.troubleshooting_dock = QDockWidget("Troubleshooting", self)
        self.troubleshooting_dock.setObjectName("troubleshootingWizard")
        self.troubleshooting_dock.setAccessibleName("Troubleshooting")
        self.troubleshooting_dock.setAccessibleDescription(
            "Why this patient cannot use the portal, and how to fix it"
        )
        self.troubleshooting_dock.setAllowedAreas(
            Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.troubleshooting_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self.troubleshooting_dock.setMinimumWidth(300)
        self.set_troubleshooting_panel(panel_factory(clinic, self.session.model, self.troubleshooting_dock))
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.troubleshooting_dock)
        self.resizeDocks([self.troubleshooting_dock], [360], Qt.Orientation.Horizontal)

        self._build_status_bar()
        self._build_actions()
        self.chart_actions = install_chart_actions(self)
        # Clinic settings, the outbox status and the in-app email sender.
        # send_mail=False: another sender serves this clinic (a test's own, or a second window).
        self.mail_tools = install_mail_tools(self, clinic, start=send_mail)
        self.admin_tools = install_admin_tools(self)
        # The daily backup of a local clinic file (nothing happens without a backup folder).
        self.daily_backup = install_daily_backup(self, clinic, start=daily_backup)
        self.resize(*DEFAULT_SIZE)
        if persist:
            self._restore_settings()
        self._load_database_name()

    # -- building ----------------------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Search", self)
        toolbar.setObjectName("mainToolBar")
        toolbar.setMovable(False)
        toolbar.setFloatable(False)
        toolbar.toggleViewAction().setEnabled(False)
        header = QWidget(toolbar)
        header.setObjectName("toolbarHeader")
        row = QHBoxLayout(header)
        row.setContentsMargins(16, 8, 16, 8)
        row.setSpacing(18)
        title = QLabel(APP_TITLE, header)
        title.setObjectName("appTitle")
        row.addWidget(title)
        row.addWidget(self.search, 1)
        toolbar.addWidget(header)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("statusBar")
        bar.setSizeGripEnabled(False)
        self.database_label = QLabel("Database: connecting…", bar)
        self.database_label.setObjectName("databaseLabel")
        self.database_label.setAccessibleName("Database in use")
        self.user_label = QLabel(f"Signed in as {self.actor()}", bar)
        self.user_label.setObjectName("userLabel")
        self.user_label.setAccessibleName("Signed-in user")
        bar.addWidget(self.database_label, 1)
        bar.addPermanentWidget(self.user_label)

    def _build_actions(self) -> None:
        find = QAction("&Find patient…", self)
        find.setObjectName("findPatientAction")
        find.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        find.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        find.triggered.connect(self.focus_search)
        reload = QAction("&Reload patient", self)
        reload.setObjectName("reloadPatientAction")
        reload.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        reload.triggered.connect(self.session.reload)
        troubleshoot = QAction("&Troubleshoot portal access", self)
        troubleshoot.setObjectName("troubleshootAction")
        troubleshoot.setShortcut(QKeySequence("Ctrl+T"))
        troubleshoot.triggered.connect(self.show_troubleshooting)
        edit_contact = QAction("&Edit contact details…", self)
        edit_contact.setObjectName("editContactAction")
        edit_contact.setShortcut(QKeySequence("Ctrl+E"))
        edit_contact.triggered.connect(self.edit_contact)
        connection = QAction("&Database connection…", self)
        connection.setObjectName("databaseConnectionAction")
        connection.triggered.connect(self.show_connection_dialog)
        quit_action = QAction("&Quit", self)
        quit_action.setObjectName("quitAction")
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        menus = self.menuBar()
        menus.setObjectName("menuBar")
        file_menu = menus.addMenu("&File")
        file_menu.setObjectName("fileMenu")
        file_menu.addAction(connection)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        patient_menu = menus.addMenu("&Patient")
        patient_menu.setObjectName("patientMenu")
        patient_menu.addActions([find, reload, troubleshoot, edit_contact])
        view_menu = menus.addMenu("&View")
        view_menu.setObjectName("viewMenu")
        dock_toggle = self.troubleshooting_dock.toggleViewAction()
        dock_toggle.setText("&Troubleshooting panel")
        view_menu.addAction(dock_toggle)
        self.addActions([find, reload, troubleshoot, edit_contact, quit_action])

    def set_troubleshooting_panel(self, panel: QWidget) -> None:
        """Put ``panel`` in the troubleshooting dock (the wizard replaces the placeholder this way)."""
        old = self.troubleshooting_dock.widget()
        self.troubleshooting_dock.setWidget(panel)
        if hasattr(panel, "reload_patient"):  # after a wizard action, one read brings icon, dash and plan
            panel.reload_patient = self.session.reload
        if hasattr(panel, "actor"):  # the wizard acts as whoever is signed in now
            panel.actor = self.actor
        if old is not None and old is not panel:
            old.deleteLater()

    # -- who is signed in --------------------------------------------------------------------------
    def actor(self) -> str:
        """Who the services record for this window's actions: the signed-in member's username
        (single-user mode: the computer's user)."""
        return self.staff_member.username if self.staff_member is not None else workstation_user()

    def may(self, permission: Permission | str) -> bool:
        """True when the signed-in member's role allows ``permission`` (single-user mode: always).

        Only a mirror for enabling actions: the services check again and refuse.
        """
        if self.staff_member is None:
            return True
        return self.staff_member.may(Permission(permission))

    def set_staff_member(self, member: StaffAccount | None) -> None:
        """Act as ``member`` from now on (sign-in, switch user)."""
        self.staff_member = member
        self.user_label.setText(f"Signed in as {self.actor()}")
        self.staff_changed.emit(member)

    # -- what staff do -----------------------------------------------------------------------------
    def open_patient(self, patient_id: int) -> None:
        """Show a patient: loads on a worker thread; the dash and icon follow."""
        self.session.open_patient(int(patient_id))

    def focus_search(self) -> None:
        """Put the cursor in the patient search field (Ctrl+F)."""
        self.search.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.field.selectAll()

    def show_troubleshooting(self) -> None:
        """Open the troubleshooting dock on the open patient."""
        self.troubleshooting_dock.show()
        self.troubleshooting_dock.raise_()
        panel = self.troubleshooting_dock.widget()
        if panel is not None:
            panel.setFocus(Qt.FocusReason.OtherFocusReason)

    def edit_contact(self) -> QWidget | None:
        """Open "Edit contact details" for the open patient (Ctrl+E); returns the dialog."""
        from clinic_desk.ui.patient.contact_editor import ContactEditorDialog

        patient_id = self.session.patient_id
        if patient_id is None:
            self.statusBar().showMessage("Open a patient first (Ctrl+F).", 4000)
            return None
        dialog = ContactEditorDialog(self.clinic, patient_id, self.actor(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda _version: self.session.check_now())
        dialog.open()
        return dialog

    def show_connection_dialog(self) -> QWidget:
        """File ▸ Database connection…: choose this computer or a shared server; returns the dialog."""
        from clinic_desk.ui.connection.launch import open_connection_dialog

        return open_connection_dialog(self)

    def _on_dash_edit_contact_requested(self, _patient_id: int) -> None:
        self.edit_contact()

    def _on_search_patient_chosen(self, patient_id: int) -> None:
        self.open_patient(patient_id)

    def _on_dash_troubleshoot_requested(self, _patient_id: int) -> None:
        self.show_troubleshooting()

    def _on_session_patient_loaded(self, view: PatientView) -> None:
        self.setWindowTitle(f"{view.chart.full_name} — {APP_TITLE}")
        self.patient_loaded.emit(view)

    # -- status bar --------------------------------------------------------------------------------
    def _load_database_name(self) -> None:
        clinic = self.clinic
        run_in_background(
            clinic.describe_database,
            self._on_database_described,
            self._on_database_describe_failed,
            owner=self,
            name="describe_database",
        )

    def _on_database_described(self, words: str) -> None:
        self.database_label.setText(f"Database: {words}")
        self.database_label.setToolTip(words)

    def _on_database_describe_failed(self, exc: Exception) -> None:
        self.database_label.setText(f"Database: not reachable — {error_words(exc)}")

    # -- settings ----------------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        settings = QSettings()
        geometry = settings.value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = settings.value(STATE_KEY)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state, STATE_VERSION)

    def save_settings(self) -> None:
        """Remember the window's geometry and dock layout."""
        if not self._persist:
            return
        settings = QSettings()
        settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        settings.setValue(STATE_KEY, self.saveState(STATE_VERSION))
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.session.stop()
        self.search.hide_results()
        self.save_settings()
        super().closeEvent(event)
