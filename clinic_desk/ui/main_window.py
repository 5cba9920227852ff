"""The Clinic Desk main window: search on top, the patient dash, troubleshooting on the right."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.roles import Permission
from clinic_desk.ui.about_dialog import install_help_menu
from clinic_desk.ui.action_guards import ActionGuards, Blocker
from clinic_desk.ui.admin import install_admin_tools
from clinic_desk.ui.backup_runner import install_daily_backup
from clinic_desk.ui.demo_banner import install_demo_banner
from clinic_desk.ui.demo_mailbox_menu import install_demo_mailbox_menu
from clinic_desk.ui.mail.mail_tools import install_mail_tools
from clinic_desk.ui.patient.chart_actions import install_chart_actions
from clinic_desk.ui.patient.patient_dash import EMPTY_HINT, EMPTY_TITLE, PatientDash
from clinic_desk.ui.patient.patient_session import PatientSession
from clinic_desk.ui.patient.search import ASK_LIMIT, PatientSearchBox
from clinic_desk.ui.patient_import import install_patient_import
from clinic_desk.ui.patient_loader import PatientView
from clinic_desk.ui.roster.roster_tools import install_roster_tools
from clinic_desk.ui.settings.live_settings import LiveSettings
from clinic_desk.ui.shell import (  # the shell restores the same geometry
    APP_TITLE,
    GEOMETRY_KEY,
    search_toolbar,
)
from clinic_desk.ui.staff.staff_session import Mode, StaffSession
from clinic_desk.ui.status_bar import build_status_bar, show_database_name
from clinic_desk.ui.troubleshooting_panel import PanelFactory, default_panel_factory
from clinic_desk.ui.window_fit import keep_on_screen, place_on_screen
from clinic_desk.ui.window_menus import build_window_menus
from clinic_desk.ui.workstation import workstation_user

if TYPE_CHECKING:
    from clinic_desk import Clinic
    from clinic_desk.services.clinic import ClinicSettings, StaffAccount

log = logging.getLogger(__name__)

STATE_KEY = "mainWindow/state"
STATE_VERSION = 1


class MainWindow(QMainWindow):
    """One workstation's window onto the clinic.

    ``open_patient(pid)`` loads the patient on a worker thread; the dash and
    the secure-message icon follow, and stay live while the patient is open.

    ``staff`` is the signed-in member (from ``clinic.admin.sign_in``). Without one, a worker
    asks whether the clinic has staff accounts: with none the window runs in single-user
    mode and offers to create the first administrator; with some it shows the sign-in
    (see :mod:`clinic_desk.ui.staff`). Every action is done as :meth:`actor`, and
    :meth:`may` mirrors the services' permission table (:meth:`guard_action`).
    ``idle_clock`` (monotonic seconds) replaces the idle lock's clock in tests.

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
        idle_clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(parent)
        self.staff_member: StaffAccount | None = staff
        self._guards = ActionGuards(self)
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_TITLE)
        self.setAccessibleName(APP_TITLE)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks)
        self.clinic = clinic
        self._persist = persist
        self.session = PatientSession(clinic, self)
        self.session.patient_opened.connect(self.patient_opened)
        self.session.patient_loaded.connect(self._on_session_patient_loaded)
        # Settings saved at another workstation: taken up from the change feed, shown again here.
        self.live_settings = LiveSettings(clinic, self.session.changes_heard, self)
        self.live_settings.settings_changed.connect(self._on_live_settings_settings_changed)

        self.search = PatientSearchBox(
            lambda text: clinic.staff.find_patients(text, limit=ASK_LIMIT), clinic.staff.resolve_patient, self
        )
        self.search.patient_chosen.connect(self._on_search_patient_chosen)
        self._build_toolbar()

        self.dash = PatientDash(self.session, self)
        self.dash.troubleshoot_requested.connect(self._on_dash_troubleshoot_requested)
        self.dash.edit_contact_requested.connect(self._on_dash_edit_contact_requested)
        self._build_pages()

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
        self.troubleshooting_dock.setMinimumWidth(300)  # narrower on a 1024-px screen (window_fit)
        self.set_troubleshooting_panel(panel_factory(clinic, self.session.model, self.troubleshooting_dock))
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.troubleshooting_dock)
        self.resizeDocks([self.troubleshooting_dock], [360], Qt.Orientation.Horizontal)

        self.database_label, self.user_label = build_status_bar(self)
        self.lock_action, self.first_administrator_action = build_window_menus(self)
        self.first_administrator_action.triggered.connect(self._on_first_administrator_action_triggered)
        self.chart_actions = install_chart_actions(self)
        # Sign-in, the first administrator, lock, idle lock and switch user.
        self.staff_session = StaffSession(self, staff=staff, idle_clock=idle_clock)
        self.staff_session.state_changed.connect(self._on_staff_session_state_changed)
        self.staff_changed.connect(self._on_staff_changed)
        # Clinic settings, the outbox status and the in-app email sender.
        # send_mail=False: another sender serves this clinic (a test's own, or a second window).
        self.mail_tools = install_mail_tools(self, clinic, start=send_mail)
        self.guard_action(self.mail_tools.settings_action, Permission.CLINIC_SETTINGS)
        self.admin_tools = install_admin_tools(self)
        self.roster_tools = install_roster_tools(self)  # Patient ▸ Portal roster… (Ctrl+Shift+R)
        self.patient_import = install_patient_import(self)  # File ▸ Import patients… (managers, admins)
        self.about_action = install_help_menu(self)  # Help ▸ About…: version, database, licences
        # The daily backup of a local clinic file (nothing happens without a backup folder).
        self.daily_backup = install_daily_backup(self, clinic, start=daily_backup)
        self.demo_mailbox = install_demo_mailbox_menu(self, clinic)  # Help ▸ the demo's caught emails
        self.demo_banner = install_demo_banner(self, self.demo_mailbox.found)
        place_on_screen(self)  # 1280x800, or smaller to fit the screen (1024x768, 1366x768)
        if persist:
            self._restore_settings()
        show_database_name(self.database_label, clinic)
        self._on_staff_session_state_changed()
        self.staff_session.start()

    # -- building ----------------------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        toolbar = search_toolbar(self, self.search)
        toolbar.toggleViewAction().setEnabled(False)
        # The clinic's name beside the app's, from the settings this desk runs with (kept live).
        header = toolbar.findChild(QWidget, "toolbarHeader")
        assert header is not None
        self.clinic_name_label = QLabel(header)
        self.clinic_name_label.setObjectName("clinicNameLabel")
        self.clinic_name_label.setTextFormat(Qt.TextFormat.PlainText)
        self.clinic_name_label.setAccessibleName("Clinic")
        layout = header.layout()
        assert isinstance(layout, QHBoxLayout)
        layout.insertWidget(1, self.clinic_name_label)
        self._show_clinic_name(self.clinic.settings.clinic_name)

    def _show_clinic_name(self, name: str) -> None:
        self.clinic_name_label.setText(name)
        self.clinic_name_label.setAccessibleDescription(name)
        self.clinic_name_label.setToolTip(name)

    def _build_pages(self) -> None:
        # The working area (cards such as the first-administrator offer above the dash) and,
        # on the same spot, the lock screen the staff session adds.
        self.work_area = QWidget(self)
        self.work_area.setObjectName("workArea")
        column = QVBoxLayout(self.work_area)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.top_cards = QVBoxLayout()
        self.top_cards.setContentsMargins(24, 16, 24, 0)
        column.addLayout(self.top_cards)
        column.addWidget(self.dash, 1)
        self.pages = QStackedWidget(self)
        self.pages.setObjectName("windowPages")
        self.pages.addWidget(self.work_area)
        self.setCentralWidget(self.pages)

    def set_troubleshooting_panel(self, panel: QWidget) -> None:
        """Put ``panel`` in the troubleshooting dock (the wizard replaces the placeholder this way)."""
        old = self.troubleshooting_dock.widget()
        self.troubleshooting_dock.setWidget(panel)
        if hasattr(panel, "reload_patient"):  # after a wizard action, one read brings icon, dash and plan
            panel.reload_patient = self.session.reload
        if hasattr(panel, "actor"):  # the wizard acts as whoever is signed in now
            panel.actor = self.actor
        if hasattr(panel, "activation_letter_requested"):  # its letter is Patient ▸ Print activation letter…
            panel.activation_letter_requested.connect(self._on_panel_activation_letter_requested)
        if old is not None and old is not panel:
            old.deleteLater()

    def _on_panel_activation_letter_requested(self) -> None:
        chart_actions = getattr(self, "chart_actions", None)
        if chart_actions is not None:
            chart_actions.print_activation_letter()

    # -- who is signed in --------------------------------------------------------------------------
    def actor(self) -> str:
        """Who the services record for this window's actions: the signed-in member's username
        (single-user mode: the computer's user)."""
        return self.staff_member.username if self.staff_member is not None else workstation_user()

    def may(self, permission: Permission | str) -> bool:
        """True when the signed-in member's role allows ``permission``.

        Single-user mode: always; signed out: never. Only a mirror for enabling actions:
        the services check again and refuse.
        """
        if self.staff_member is not None:
            return self.staff_member.may(Permission(permission))
        session = getattr(self, "staff_session", None)
        return session is None or session.single_user

    def set_staff_member(self, member: StaffAccount | None) -> None:
        """Act as ``member`` from now on (sign-in, switch user; None: signed out)."""
        self.staff_member = member
        self.staff_changed.emit(member)

    @property
    def locked(self) -> bool:
        """True while the lock screen covers the window (locked or nobody signed in)."""
        return self.staff_session.locked

    def lock(self) -> None:
        """Ctrl+L: hide patient data until the same person's password (or another sign-in)."""
        self.staff_session.lock()

    def guard_action(
        self, action: QAction, permission: Permission | str, *, blocked: Blocker | None = None
    ) -> None:
        """Keep ``action`` enabled only while :meth:`may` allows ``permission`` and ``blocked`` says nothing.

        When it may not run, the action is disabled and its tooltip and status tip say why:
        who may (``roles.refusal``), or ``blocked``'s words ("Open a patient first.").
        It follows sign-in, switch user and the lock; call :meth:`refresh_guards` when what
        ``blocked`` looks at changes (another patient, a new status).
        """
        self._guards.add(action, Permission(permission), blocked)

    def refresh_guards(self) -> None:
        """Check every guarded action again."""
        self._guards.apply()

    def _on_staff_changed(self, _member: object) -> None:
        self._on_staff_session_state_changed()

    def _on_staff_session_state_changed(self) -> None:
        session = self.staff_session
        self.user_label.setText(session.who_words())
        self.user_label.setAccessibleDescription(session.who_words())
        self.lock_action.setEnabled(session.can_lock())
        self.lock_action.setToolTip(session.lock_tip())
        self.lock_action.setStatusTip(session.lock_tip())
        self.first_administrator_action.setVisible(session.mode is Mode.SINGLE_USER)
        self.first_administrator_action.setEnabled(not session.locked)
        self._guards.apply()

    def _on_first_administrator_action_triggered(self) -> None:
        self.staff_session.offer_first_administrator()

    # -- what staff do -----------------------------------------------------------------------------
    def open_patient(self, patient_id: int) -> None:
        """Show a patient: loads on a worker thread; the dash and icon follow (not while locked)."""
        if self.locked:
            self.statusBar().showMessage("Sign in first.", 4000)
            return
        self.session.open_patient(int(patient_id))

    def close_patient(self) -> None:
        """Take the open patient off the window (someone else signs in, or nobody is)."""
        self.session.close_patient()
        # The dash has no "closed" state of its own: show its empty page again.
        self.dash.banner.hide()
        self.dash.show_empty(EMPTY_TITLE, EMPTY_HINT)

    def clear_search(self) -> None:
        """Empty the search field and close its results (searches still running are ignored)."""
        field = self.search.field
        field.clear()
        field.textEdited.emit("")  # as if staff deleted the text: the search box forgets pending work
        self.search.hide_results()

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
        if patient_id is None or self.locked:
            if not self.locked:
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
        # The title never names the patient: it shows in the task bar and across the room.
        self.patient_loaded.emit(view)

    # -- clinic settings -----------------------------------------------------------------------------
    def show_clinic_settings(self, settings: ClinicSettings) -> None:
        """Show what depends on the clinic's settings again (after a save here or at another desk).

        The clinic's name in the header, and the open patient read again: the placeholder
        domain and addresses change trouble spots and the wizard's checks. The idle lock and
        the mail sender read the settings each time they look.
        """
        self._show_clinic_name(settings.clinic_name)
        if self.session.patient_id is not None and not self.locked:
            self.session.reload()

    def _on_live_settings_settings_changed(self, settings: ClinicSettings) -> None:
        self.show_clinic_settings(settings)
        self.mail_tools.mail_sender.settings_changed()  # another mail server, say: try it now
        self.statusBar().showMessage("The clinic settings were changed at another workstation.", 6000)

    # -- settings ----------------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        settings = QSettings()
        geometry = settings.value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
            keep_on_screen(self)  # saved on a bigger screen: fit it to this one
        state = settings.value(STATE_KEY)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state, STATE_VERSION)

    def save_settings(self) -> None:
        """Remember the window's geometry and dock layout."""
        if not self._persist:
            return
        settings = QSettings()
        settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        if not self.locked:  # the lock screen hides the bars and docks: keep the layout saved before
            settings.setValue(STATE_KEY, self.saveState(STATE_VERSION))
        settings.sync()

    def showEvent(self, event: QShowEvent) -> None:
        # Listen to other workstations' changes from the first show (settings, then patients).
        self.session.listen()
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.staff_session.stop()
        self.live_settings.stop()
        self.session.stop()
        self.search.hide_results()
        self.save_settings()
        super().closeEvent(event)
