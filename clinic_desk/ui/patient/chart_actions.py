"""The Patient menu's staff actions, and the chart-access events of this window.

:func:`install_chart_actions` adds "New patient…", "Turn portal access off…", "Turn portal
access on…", "Set patient status…" and "Print activation letter…" to the Patient menu. Each
opens a dialog that says what will happen and runs the service on a worker as whoever is
signed in at the press; when it answers, the open patient is read again at once (icon, dash
and History card).
What the signed-in role may not do is disabled, with a tooltip naming who may (the
services refuse it anyway).

Opening a chart is an access event (DESIGN.md section 5): noted in memory when the
patient opens, written in batches on a worker every few seconds and when the window closes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, cast

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from clinic_desk.domain import codes
from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.domain.roles import Permission, refusal
from clinic_desk.ui.activation_letter.letter_dialog import (
    ActivationLetterDialog,
    FileChoice,
    PrinterChoice,
    ask_pdf_file,
    ask_printer,
)
from clinic_desk.ui.patient.access_dialog import AccessOffDialog, AccessOnDialog
from clinic_desk.ui.patient.chart_action_dialog import ChartActionDialog
from clinic_desk.ui.patient.new_patient_dialog import NewPatientDialog
from clinic_desk.ui.patient.status_dialog import StatusDialog
from clinic_desk.ui.tasks import run_in_background

log = logging.getLogger(__name__)

ACCESS_FLUSH_MS = 15_000
OPEN_A_PATIENT = "Open a patient first (Ctrl+F)."

#: (attribute, text with mnemonic, objectName, shortcut, permission, what it does)
ACTIONS = (
    (
        "new_patient",
        "&New patient…",
        "newPatientAction",
        "Ctrl+N",
        Permission.CHART_WORK,
        "Add a walk-in's chart",
    ),
    (
        "turn_access_off",
        "Turn portal access &off…",
        "turnAccessOffAction",
        "",
        Permission.ACCESS_OFF,
        "Stop this patient using the portal, with a reason",
    ),
    (
        "turn_access_on",
        "Turn portal &access on…",
        "turnAccessOnAction",
        "",
        Permission.CHART_WORK,
        "Let this patient use the portal again",
    ),
    (
        "set_status",
        "Set patient &status…",
        "setPatientStatusAction",
        "",
        Permission.SET_PATIENT_STATUS,
        "Active, Prospective, Inactive or Deceased",
    ),
    (
        "activation_letter",
        "Print activation &letter…",
        "printActivationLetterAction",
        "",
        Permission.CHART_WORK,  # the same roles as setting a username and password
        "A one-use code on paper: the patient sets up their own account",
    ),
)
#: The reasons that say the access switch is off (a letter then needs it turned on first).
_SWITCH_OFF = (codes.ACCESS_NOT_ENABLED, codes.ACCESS_DISABLED_BY_STAFF, codes.REGISTRATION_UNCONFIRMED)


def install_chart_actions(window: QMainWindow) -> ChartActions:
    """Add the chart actions to ``window``'s Patient menu and start noting chart access.

    ``window`` is the :class:`~clinic_desk.ui.main_window.MainWindow` (its ``session``,
    ``dash``, ``clinic``, ``actor()``, ``may()`` and signals are used).
    """
    return ChartActions(window)


def _off_facts(view: Any) -> tuple[str | None, str | None]:
    """Who turned the open patient's access off and why, when staff did (else None, None)."""
    reason = view.status.reason(codes.ACCESS_DISABLED_BY_STAFF) if view is not None else None
    if reason is None:
        return None, None
    return reason.facts.get("disabled_by"), reason.facts.get("reason")


class ChartActions(QObject):
    """The Patient menu's staff actions and the window's access events.

    Signals:
        dialog_opened(object): an action's dialog was opened (tests and scripts use it).
        access_flushed(int): access events were written; how many.
    """

    dialog_opened = Signal(object)
    access_flushed = Signal(int)

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("chartActions")
        # The MainWindow, typed loosely: importing its class here would make an import cycle.
        self._window: Any = cast(Any, window)
        self._flushing = False
        main = self._window
        main.dash.history_card.actor = main.actor
        self.actions: dict[str, QAction] = {}
        self._permissions: dict[str, Permission] = {}
        self._words: dict[str, str] = {}
        for attribute, text, name, shortcut, permission, words in ACTIONS:
            action = QAction(text, main)
            action.setObjectName(name)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.setStatusTip(words)
            self.actions[attribute] = action
            self._permissions[attribute] = permission
            self._words[attribute] = words
        self.actions["new_patient"].triggered.connect(self.new_patient)
        self.actions["turn_access_off"].triggered.connect(self.turn_access_off)
        self.actions["turn_access_on"].triggered.connect(self.turn_access_on)
        self.actions["set_status"].triggered.connect(self.set_status)
        self.actions["activation_letter"].triggered.connect(self.print_activation_letter)
        #: Where a letter goes: the print dialog and the PDF file chooser (tests put their own).
        self.letter_printer: PrinterChoice = ask_printer
        self.letter_file: FileChoice = ask_pdf_file
        self._edit_contact = main.findChild(QAction, "editContactAction")
        menu = main.findChild(QMenu, "patientMenu")
        if menu is not None:
            menu.setToolTipsVisible(True)  # a disabled item says who may do it
            menu.addSeparator()
            menu.addActions(list(self.actions.values()))
        main.addActions(list(self.actions.values()))

        main.patient_loaded.connect(self._on_window_patient_loaded)
        main.session.model.status_changed.connect(self.update_actions)
        main.patient_opened.connect(self._on_window_patient_opened)
        self.flush_timer = QTimer(self)
        self.flush_timer.setObjectName("accessFlushTimer")
        self.flush_timer.setInterval(ACCESS_FLUSH_MS)
        self.flush_timer.timeout.connect(self.flush_access)
        self.flush_timer.start()
        main.installEventFilter(self)
        self._guard()

    # -- enabling ----------------------------------------------------------------------------------
    def _guard(self) -> None:
        """The window enables each action for the roles that may do it, on the patient shown."""
        window = self._window
        for attribute, action in self.actions.items():
            action.setToolTip(self._words[attribute])
            window.guard_action(action, self._permissions[attribute], blocked=self._blocker(attribute))
        if self._edit_contact is not None:
            window.guard_action(self._edit_contact, Permission.CHART_WORK)

    def _blocker(self, attribute: str) -> Callable[[], str | None] | None:
        """What else an action needs beyond the role: an open patient, and for undoing a
        protected switch-off, the permission to undo it."""
        if attribute == "new_patient":
            return None

        def blocked() -> str | None:
            view = self._window.session.view
            if view is None:
                return OPEN_A_PATIENT
            if attribute == "turn_access_on":
                _by, reason = _off_facts(view)
                permission = Permission.UNDO_PROTECTED_SWITCH_OFF
                if reason in codes.PROTECTED_OFF_REASONS and not self._window.may(permission):
                    return refusal(permission)
            return None

        return blocked

    def update_actions(self) -> None:
        """Check the actions again: the patient shown or their status changed."""
        self._window.refresh_guards()

    def _on_window_patient_loaded(self, _view: Any) -> None:
        self.update_actions()

    # -- the dialogs -------------------------------------------------------------------------------
    def _patient_words(self) -> tuple[int, str, Any] | None:
        view = self._window.session.view
        if view is None:
            self._window.statusBar().showMessage(OPEN_A_PATIENT, 4000)
            return None
        chart = view.chart
        return view.patient_id, f"{chart.full_name} \u2014 MRN {chart.mrn}", view

    def _show(self, dialog: ChartActionDialog) -> ChartActionDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.action_done.connect(self._on_dialog_action_done)
        dialog.action_failed.connect(self._on_dialog_action_failed)
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog

    def turn_access_off(self) -> ChartActionDialog | None:
        """ "Turn portal access off…" for the open patient; returns the dialog."""
        opened = self._patient_words()
        if opened is None or not self.actions["turn_access_off"].isEnabled():
            return None
        patient_id, words, _view = opened
        return self._show(
            AccessOffDialog(self._window.clinic, patient_id, words, self._window.actor, self._window)
        )

    def turn_access_on(self) -> ChartActionDialog | None:
        """ "Turn portal access on…" for the open patient; returns the dialog."""
        opened = self._patient_words()
        if opened is None or not self.actions["turn_access_on"].isEnabled():
            return None
        patient_id, words, view = opened
        off_by, off_reason = _off_facts(view)
        dialog = AccessOnDialog(
            self._window.clinic,
            patient_id,
            words,
            self._window.actor,
            off_by=off_by,
            off_reason=off_reason,
            may_undo_protected=self._window.may(Permission.UNDO_PROTECTED_SWITCH_OFF),
            parent=self._window,
        )
        return self._show(dialog)

    def set_status(self) -> ChartActionDialog | None:
        """ "Set patient status…" for the open patient; returns the dialog."""
        opened = self._patient_words()
        if opened is None or not self.actions["set_status"].isEnabled():
            return None
        patient_id, words, view = opened
        dialog = StatusDialog(
            self._window.clinic, patient_id, words, view.chart.status, self._window.actor, self._window
        )
        return self._show(dialog)

    def print_activation_letter(self) -> ChartActionDialog | None:
        """ "Print activation letter…" for the open patient; returns the dialog."""
        opened = self._patient_words()
        if opened is None or not self.actions["activation_letter"].isEnabled():
            return None
        patient_id, words, view = opened
        access_off = any(view.status.reason(code) is not None for code in _SWITCH_OFF)
        dialog = ActivationLetterDialog(
            self._window.clinic,
            patient_id,
            words,
            self._window.actor,
            language=getattr(view.chart, "preferred_language", None),
            access_off=access_off,
            turn_access_on=self.actions["turn_access_on"],
            choose_printer=self.letter_printer,
            choose_file=self.letter_file,
            parent=self._window,
        )
        return self._show(dialog)

    def new_patient(self) -> ChartActionDialog | None:
        """ "New patient…" (a walk-in); the new chart, or the existing one chosen, opens."""
        if not self.actions["new_patient"].isEnabled():
            return None
        dialog = NewPatientDialog(self._window.clinic, self._window.actor, self._window)
        dialog.patient_added.connect(self._window.open_patient)
        dialog.open_existing.connect(self._window.open_patient)
        return self._show(dialog)

    def _on_dialog_action_done(self, _result: Any) -> None:
        # One read brings the icon, the dash and the History card up to date.
        self._window.session.reload()

    def _on_dialog_action_failed(self, _words: str) -> None:
        # A lost reply may have saved it after all; a refusal changed nothing (a cheap check).
        self._window.session.check_now()

    # -- access events -----------------------------------------------------------------------------
    def _on_window_patient_opened(self, patient_id: int) -> None:
        try:
            self._window.clinic.access.note(int(patient_id), actor=self._window.actor())
        except ClinicDeskError as exc:  # an actor the log refuses: the chart still opens
            log.warning("Chart access not noted (%s)", type(exc).__name__)

    def flush_access(self) -> None:
        """Write the waiting access events on a worker (the timer, and when the window closes)."""
        access = self._window.clinic.access
        if self._flushing or not access.pending():
            return
        self._flushing = True
        run_in_background(
            access.flush,
            self._on_access_flushed,
            self._on_access_flush_failed,
            owner=self,
            name="access_flush",
        )

    def _on_access_flushed(self, written: int) -> None:
        self._flushing = False
        self.access_flushed.emit(int(written))

    def _on_access_flush_failed(self, exc: Exception) -> None:
        # The events stay waiting for the next flush; never the patient or the actor in the log.
        self._flushing = False
        log.warning("Writing chart access events failed (%s); they wait for the next try", type(exc).__name__)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        try:
            window = self._window
        except AttributeError:  # the window is being torn down around us
            return False
        if watched is window and event.type() == QEvent.Type.Close:
            self.flush_timer.stop()
            self.flush_access()
        return super().eventFilter(watched, event)
