"""Clinic settings…: names and addresses, link lifetimes, lockout, and the clinic's mail server.

Three tabs (each scrolls, so the dialog fits small screens). Loading the set-up facts,
saving and "Send test email" all run on worker threads through ``clinic.setup``; the GUI
thread never touches the database, the mail server or the keyring. The SMTP password goes
to the OS keyring and is never put back in the form: the form only says whether one is
stored. A problem is shown under the field it is about, and the dialog stays open.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.errors import ClinicDeskError, KeyringUnavailable
from clinic_desk.ui.intentions import Intentions
from clinic_desk.ui.own_style import follow_theme, message_sheet
from clinic_desk.ui.settings.backups_page import BackupsPage
from clinic_desk.ui.settings.clinic_page import ClinicPage
from clinic_desk.ui.settings.fields import LABELS, SettingsForm, scrolling
from clinic_desk.ui.settings.links_page import LinksPage
from clinic_desk.ui.settings.server_page import ServerPage
from clinic_desk.ui.tasks import run_in_background
from clinic_desk.ui.workstation import workstation_user

if TYPE_CHECKING:
    from clinic_desk import Clinic

log = logging.getLogger(__name__)


class ClinicSettingsDialog(QDialog):
    """Edit the clinic-wide settings and the mail server; saves and tests on worker threads.

    Signals:
        facts_loaded(object): keyring status and templates were checked (``clinic.setup.inspect()``).
        saved(object): the new clinic settings were stored.
        save_failed(str): saving failed; the words say why (the dialog stays open).
        test_finished(bool, str): the test email went out (True) or not, and the words shown.
    """

    facts_loaded = Signal(object)
    saved = Signal(object)
    save_failed = Signal(str)
    test_finished = Signal(bool, str)

    def __init__(
        self, clinic: Clinic, parent: QWidget | None = None, *, actor: Callable[[], str] = workstation_user
    ) -> None:
        super().__init__(parent)
        self.setObjectName("clinicSettingsDialog")
        self.setWindowTitle("Clinic settings")
        self.setAccessibleName("Clinic settings")
        self.setAccessibleDescription(
            "The clinic's names and addresses, how long portal links work, account lockout, the "
            "mail server that sends portal emails, and the daily backup"
        )
        self._clinic = clinic
        self.actor = actor
        self._busy = False
        self._intentions = Intentions()
        self._testing = False
        self.facts: Any = None
        self.form = SettingsForm()
        self.edits = self.form.edits
        self.spins = self.form.spins
        self.lists = self.form.lists
        self.errors = self.form.errors
        self._field_widgets = self.form.widgets
        self._field_tab = self.form.tabs

        self.message = QLabel(self)
        self.message.setObjectName("settingsMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        follow_theme(self.message, message_sheet("error"))
        self.message.hide()

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("settingsTabs")
        self.tabs.setAccessibleName("Settings pages")
        clinic_page = ClinicPage(self.form)
        self.tabs.addTab(scrolling(clinic_page, self.tabs), "&Clinic")
        self.tabs.addTab(scrolling(LinksPage(self.form), self.tabs), "Lin&ks and lockout")
        self.server_page = ServerPage(self.form)
        self.tabs.addTab(scrolling(self.server_page, self.tabs), "&Email server")
        self.backups_page = BackupsPage(self.form, clinic.backups.back_up_now)
        self.tabs.addTab(scrolling(self.backups_page, self.tabs), "Back&ups")
        self.templates_label = clinic_page.templates_label
        self.port_spin = self.server_page.port_spin
        self.security_combo = self.server_page.security_combo
        self.password_edit = self.server_page.password_edit
        self.keyring_label = self.server_page.keyring_label
        self.session_only_check = self.server_page.session_only_check
        self.test_to_edit = self.server_page.test_to_edit
        self.test_button = self.server_page.test_button
        self.test_result = self.server_page.test_result
        self.test_button.clicked.connect(self.send_test)
        self.test_to_edit.returnPressed.connect(self.send_test)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveSettingsButton")
        self.save_button.setText("&Save")
        self.save_button.setAccessibleName("Save settings")
        self.save_button.setDefault(True)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("cancelSettingsButton")
        cancel.setAccessibleName("Cancel")
        cancel.setAccessibleDescription("Close without saving")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)

        self.set_values(clinic.settings)
        self._fit_screen()
        self._load_facts()

    def _fit_screen(self) -> None:
        self.setMinimumSize(420, 360)
        width, height = 640, 600
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            room = screen.availableGeometry()
            width = min(width, room.width() - 40)
            height = min(height, room.height() - 80)
        self.resize(max(width, 420), max(height, 360))

    # -- values ------------------------------------------------------------------------------------
    def set_values(self, settings: Any) -> None:
        """Fill the form from the clinic's ``settings`` (never the password)."""
        for name, edit in self.edits.items():
            edit.setText(str(getattr(settings, name)))
        for name, spin in self.spins.items():
            spin.setValue(int(getattr(settings, name)))
        for name, box in self.lists.items():
            box.setPlainText("\n".join(getattr(settings, name)))
        self.port_spin.setValue(settings.smtp_port)
        index = self.security_combo.findData(settings.smtp_security)
        self.security_combo.setCurrentIndex(max(index, 0))

    def values(self) -> dict[str, Any]:
        """The settings as typed, keyed like the clinic's settings (``clinic.setup`` checks them)."""
        values: dict[str, Any] = {name: edit.text() for name, edit in self.edits.items()}
        values.update({name: spin.value() for name, spin in self.spins.items()})
        values.update({name: box.toPlainText() for name, box in self.lists.items()})
        values["smtp_port"] = self.port_spin.value()
        values["smtp_security"] = str(self.security_combo.currentData())
        known = set(asdict(self._clinic.settings))
        return {name: value for name, value in values.items() if name in known}

    def set_value(self, name: str, value: Any) -> None:
        """Type ``value`` into field ``name`` (tests and scripts)."""
        if name in self.edits:
            self.edits[name].setText(str(value))
        elif name in self.spins:
            self.spins[name].setValue(int(value))
        elif name in self.lists:
            lines = value if isinstance(value, list | tuple) else str(value).splitlines()
            self.lists[name].setPlainText("\n".join(str(line) for line in lines))
        elif name == "smtp_port":
            self.port_spin.setValue(int(value))
        elif name == "smtp_security":
            self.security_combo.setCurrentIndex(self.security_combo.findData(value))
        elif name == "password":
            self.password_edit.setText(str(value))
        elif name == "to":
            self.test_to_edit.setText(str(value))
        else:
            raise KeyError(name)

    def error_text(self, name: str) -> str:
        """The problem shown under field ``name`` ('' when none)."""
        label = self.errors[name]
        return label.text() if not label.isHidden() else ""

    def message_text(self) -> str:
        """The problem shown above the tabs ('' when none)."""
        return self.message.text() if not self.message.isHidden() else ""

    def test_result_text(self) -> str:
        """The words under "Send test email" ('' before a test)."""
        return self.test_result.text() if not self.test_result.isHidden() else ""

    @property
    def busy(self) -> bool:
        """True while saving."""
        return self._busy

    @property
    def testing(self) -> bool:
        """True while a test email is on its way."""
        return self._testing

    # -- opening -----------------------------------------------------------------------------------
    def _load_facts(self) -> None:
        run_in_background(
            self._clinic.setup.inspect,
            self._on_facts_loaded,
            self._on_facts_failed,
            owner=self,
            name="settings_inspect",
        )
        run_in_background(
            self._clinic.backups.status,
            self.backups_page.show_status,
            lambda _exc: self.backups_page.show_unknown(),
            owner=self,
            name="backup_status",
        )

    def _on_facts_loaded(self, facts: Any) -> None:
        self.facts = facts
        self.server_page.show_keyring(facts.keyring.available, facts.keyring.message, facts.password_stored)
        self.templates_label.setText(facts.templates_where)
        if facts.template_problems:
            self._show_error(
                "templates",
                "These templates need fixing before the settings can be saved:\n"
                + "\n".join(f"- {problem}" for problem in facts.template_problems),
                focus=False,
            )
        self.facts_loaded.emit(facts)

    def _on_facts_failed(self, exc: Exception) -> None:
        log.warning("settings check failed (%s)", type(exc).__name__)
        self.keyring_label.setText("The password store could not be checked.")
        self.templates_label.setText("The email templates could not be checked.")

    # -- saving ------------------------------------------------------------------------------------
    def save(self) -> None:
        """Check and store the settings (and a typed password) on a worker; closes when saved."""
        if self._busy:
            return
        self._clear_errors()
        values = self.values()
        password = self.password_edit.text()
        remember = not self.session_only_check.isChecked()
        setup = self._clinic.setup
        actor = self.actor()
        # Save again after a fault is the same intention: the same request id, stored once.
        request_id, _ = self._intentions.begin(repr(sorted(values.items())), {})
        self._set_busy(True)
        run_in_background(
            lambda: setup.save(
                values, actor=actor, password=password, remember=remember, request_id=request_id
            ),
            self._on_save_done,
            self._on_save_failed,
            owner=self,
            name="save_clinic_settings",
        )

    def _on_save_done(self, settings: Any) -> None:
        self._intentions.settle()
        self._set_busy(False)
        self.password_edit.clear()
        self.saved.emit(settings)
        self.accept()

    def _on_save_failed(self, exc: Exception) -> None:
        self._intentions.settle(exc)
        self._set_busy(False)
        if isinstance(exc, KeyringUnavailable):
            self.session_only_check.show()
            self._show_error(
                "password",
                f"{exc.message}\nTick “Use for this session only” and save again to use it until "
                "Clinic Desk closes.",
            )
            self.session_only_check.setFocus(Qt.FocusReason.OtherFocusReason)
            words = exc.message
        elif isinstance(exc, ClinicDeskError):
            words = exc.message
            self._show_error(exc.field or "", words)
        else:
            log.warning("saving settings failed (%s)", type(exc).__name__)
            words = f"The settings could not be saved ({type(exc).__name__}). Nothing was changed."
            self._show_error("", words)
        self.save_failed.emit(words)

    def reject(self) -> None:
        """Cancel/Escape: close without saving (not while a save is under way)."""
        if self._busy:
            return
        super().reject()

    # -- test email --------------------------------------------------------------------------------
    def send_test(self) -> None:
        """Send a test email with the settings as typed, on a worker; the outcome shows below."""
        if self._testing:
            return
        for name in ("to", "smtp_host", "smtp_security", "password", "sender_address", ""):
            self._hide_error(name)
        to = self.test_to_edit.text()
        values = self.values()
        password = self.password_edit.text()
        setup = self._clinic.setup
        self._testing = True
        self.test_button.setEnabled(False)
        self.server_page.show_test_result("Sending a test email…", None)
        run_in_background(
            lambda: setup.send_test_email(to, values, password),
            self._on_test_done,
            self._on_test_failed,
            owner=self,
            name="send_test_email",
        )

    def _on_test_done(self, to: str) -> None:
        self._testing = False
        self.test_button.setEnabled(True)
        words = f"Test email sent to {to}. Check that inbox (and its spam folder)."
        self.server_page.show_test_result(words, True)
        self.test_finished.emit(True, words)

    def _on_test_failed(self, exc: Exception) -> None:
        self._testing = False
        self.test_button.setEnabled(True)
        if isinstance(exc, ClinicDeskError):
            words = exc.message
            field = exc.field if exc.field in self.errors else None
            if field and field != "to":
                self._show_error(field, words, focus=False)
                self.server_page.show_test_result(f"Not sent: see “{LABELS.get(field, field)}”.", False)
            elif field == "to":
                self._show_error("to", words)
                self.server_page.show_test_result("Not sent.", False)
            else:
                self.server_page.show_test_result(words, False)
        else:
            log.warning("test email failed (%s)", type(exc).__name__)
            words = f"The test email could not be sent ({type(exc).__name__})."
            self.server_page.show_test_result(words, False)
        self.test_finished.emit(False, words)

    # -- problems ----------------------------------------------------------------------------------
    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.save_button.setEnabled(not busy)
        self.save_button.setText("Saving…" if busy else "&Save")

    def _clear_errors(self) -> None:
        for name in self.errors:
            if name != "templates":
                self._hide_error(name)
        self._hide_error("")

    def _hide_error(self, name: str) -> None:
        if not name:
            self.message.hide()
            self.message.clear()
            return
        label = self.errors.get(name)
        if label is None:
            return
        label.hide()
        label.clear()
        widget = self._field_widgets.get(name)
        if widget is not None:
            widget.setAccessibleDescription("")

    def _show_error(self, name: str, words: str, *, focus: bool = True) -> None:
        """Show ``words`` under field ``name`` (above the tabs when no such field), and go there."""
        label = self.errors.get(name)
        if label is None:
            self.message.setText(words)
            self.message.setAccessibleDescription(words)
            self.message.show()
            return
        label.setText(words)
        label.show()
        widget = self._field_widgets[name]
        widget.setAccessibleDescription(words)
        if focus:
            self.tabs.setCurrentIndex(self._field_tab[name])
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.selectAll()


def open_settings_dialog(
    clinic: Clinic, parent: QWidget | None = None, *, actor: Callable[[], str] = workstation_user
) -> ClinicSettingsDialog:
    """Show the dialog (window-modal, deleted on close); returns it."""
    dialog = ClinicSettingsDialog(clinic, parent, actor=actor)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
