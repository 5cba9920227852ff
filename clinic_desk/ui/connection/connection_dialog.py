"""File ▸ Database connection…: this computer only, or a shared PostgreSQL server.

The Test button tries the server on a worker thread and says what is wrong in one
sentence. Saving writes the choice to the settings file and the password to the OS
keyring (both on a worker); the new connection is used after Clinic Desk restarts,
which the dialog offers to do at once.

MariaDB works through ``--db mariadb://...`` but is not offered here: the dialog
covers what a clinic sets up by itself (one local file, or one PostgreSQL server).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.errors import ValidationError
from clinic_desk.services.clinic import ConnectionReport, ConnectionSettings, Workstation, workstation
from clinic_desk.ui.connection.pooler_fields import PoolerFields
from clinic_desk.ui.own_style import follow_theme, message_sheet
from clinic_desk.ui.tasks import run_in_background

SSL_LABELS = {
    "prefer": "Prefer (use SSL when the server offers it)",
    "require": "Require (always encrypted)",
    "verify-ca": "Verify CA (encrypted, server certificate checked)",
    "verify-full": "Verify full (encrypted, certificate and server name checked)",
    "disable": "Disable (no encryption, trusted network only)",
}
VERIFYING_MODES = ("verify-ca", "verify-full")
RESTART_WORDS = (
    "Saved. Clinic Desk opens the new database when it restarts. Restart now? "
    "(Anything not yet saved in open forms would be lost.)"
)


class ConnectionDialog(QDialog):
    """Choose where this workstation's clinic database lives.

    Signals:
        tested(object): a :class:`ConnectionReport` arrived from the Test button.
        saved(object): the :class:`ConnectionSettings` were written (password in the keyring).
        restart_requested: staff chose to restart now to use the new connection.
    """

    tested = Signal(object)
    saved = Signal(object)
    restart_requested = Signal()

    def __init__(
        self,
        current: ConnectionSettings | None = None,
        parent: QWidget | None = None,
        *,
        overridden_by_command_line: bool = False,
        in_use: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("connectionDialog")
        self.setWindowTitle("Database connection")
        self.setAccessibleName("Database connection")
        self.setMinimumWidth(520)
        current = current or ConnectionSettings()
        self._current = current
        self._busy = False
        self.last_report: ConnectionReport | None = None
        self.save_note = ""

        intro = QLabel(
            "Where does this workstation keep the clinic's data? Several workstations share one "
            "server; a single computer can keep everything in a local file.",
            self,
        )
        intro.setWordWrap(True)
        if in_use:
            using = QLabel(f"In use now: {in_use}", self)
            using.setObjectName("connectionInUse")
            using.setProperty("role", "muted")
            using.setWordWrap(True)
        self.local_radio = QRadioButton("&This computer only (a local file, no server needed)", self)
        self.local_radio.setObjectName("localRadio")
        self.server_radio = QRadioButton("&Shared server (PostgreSQL, for several workstations)", self)
        self.server_radio.setObjectName("serverRadio")

        self.server_box = QGroupBox("Shared server", self)
        self.server_box.setObjectName("serverBox")
        form = QFormLayout(self.server_box)
        self.host_edit = self._line("hostEdit", "Server", current.host, "db.clinic.local or 10.0.0.5")
        self.port_spin = QSpinBox(self)
        self.port_spin.setObjectName("portSpin")
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(current.port if current.is_server else 5432)
        self.port_spin.setAccessibleName("Port")
        self.database_edit = self._line("databaseEdit", "Database", current.database, "clinic")
        self.user_edit = self._line("userEdit", "User name", current.user, "frontdesk")
        self.password_edit = self._line("passwordEdit", "Password", "", "")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(
            "leave empty to keep the stored password" if current.is_server else ""
        )
        self.remember_check = QCheckBox("&Remember the password in this computer's keyring", self)
        self.remember_check.setObjectName("rememberPasswordCheck")
        self.remember_check.setChecked(True)
        self.ssl_combo = QComboBox(self)
        self.ssl_combo.setObjectName("sslModeCombo")
        self.ssl_combo.setAccessibleName("SSL mode")
        self.ca_edit = self._line("caFileEdit", "CA certificate", current.sslrootcert, "(optional) .crt/.pem")
        browse = QPushButton("&Browse…", self)
        browse.setObjectName("browseCaButton")
        browse.clicked.connect(self._on_browse_clicked)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_edit, 1)
        ca_row.addWidget(browse)
        form.addRow(self._label("Ser&ver", self.host_edit), self.host_edit)
        form.addRow(self._label("P&ort", self.port_spin), self.port_spin)
        form.addRow(self._label("&Database", self.database_edit), self.database_edit)
        form.addRow(self._label("&User name", self.user_edit), self.user_edit)
        form.addRow(self._label("Pass&word", self.password_edit), self.password_edit)
        form.addRow("", self.remember_check)
        form.addRow(self._label("CA certificate", self.ca_edit), ca_row)
        form.addRow(self._label("SSL &mode", self.ssl_combo), self.ssl_combo)
        self.pooler = PoolerFields(self, form, current)

        self.test_button = QPushButton("T&est connection", self)
        self.test_button.setObjectName("testConnectionButton")
        self.test_button.setAccessibleDescription("Try the server with these details without saving them")
        self.test_button.clicked.connect(self.test)
        self.result_label = QLabel(self)
        self.result_label.setObjectName("connectionResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.result_label, 1)

        self.note_label = QLabel(self)
        self.note_label.setObjectName("connectionNote")
        self.note_label.setWordWrap(True)
        self.note_label.setProperty("role", "muted")
        if overridden_by_command_line:
            self.note_label.setText(
                "This window was started with --db, which wins over the saved choice. What you save "
                "here is used when Clinic Desk starts without --db."
            )
        self.note_label.setVisible(overridden_by_command_line)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveConnectionButton")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        # Shown after saving: restart now or later.
        self.restart_box = QWidget(self)
        self.restart_box.setObjectName("restartBox")
        restart_row = QHBoxLayout(self.restart_box)
        restart_row.setContentsMargins(0, 0, 0, 0)
        self.restart_label = QLabel(RESTART_WORDS, self.restart_box)
        self.restart_label.setWordWrap(True)
        self.restart_now_button = QPushButton("Restart &now", self.restart_box)
        self.restart_now_button.setObjectName("restartNowButton")
        self.restart_now_button.clicked.connect(self._on_restart_now_clicked)
        self.later_button = QPushButton("&Later", self.restart_box)
        self.later_button.setObjectName("restartLaterButton")
        self.later_button.clicked.connect(self.accept)
        restart_row.addWidget(self.restart_label, 1)
        restart_row.addWidget(self.restart_now_button)
        restart_row.addWidget(self.later_button)
        self.restart_box.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        if in_use:
            layout.addWidget(using)
        layout.addWidget(self.local_radio)
        layout.addWidget(self.server_radio)
        layout.addWidget(self.server_box)
        layout.addLayout(test_row)
        layout.addWidget(self.note_label)
        layout.addWidget(self.restart_box)
        layout.addWidget(self.buttons)

        self.local_radio.toggled.connect(self._on_kind_toggled)
        self.ca_edit.textChanged.connect(self._on_ca_text_changed)
        (self.server_radio if current.is_server else self.local_radio).setChecked(True)
        self._fill_ssl_modes(current.sslmode)
        self._on_kind_toggled()

    # -- building ----------------------------------------------------------------------------------
    def _line(self, name: str, accessible: str, text: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(text, self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setPlaceholderText(placeholder)
        return edit

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def _fill_ssl_modes(self, wanted: str) -> None:
        """Offer the verifying modes only once a CA certificate file is chosen."""
        keep = wanted or self.ssl_mode()
        has_ca = bool(self.ca_edit.text().strip())
        modes = [m for m in Workstation.SSL_MODES if has_ca or m not in VERIFYING_MODES]
        if has_ca and keep in ("prefer", "require"):
            keep = "verify-full"  # a CA file is chosen: check the server properly
        self.ssl_combo.blockSignals(True)
        self.ssl_combo.clear()
        for mode in modes:
            self.ssl_combo.addItem(SSL_LABELS[mode], mode)
        index = self.ssl_combo.findData(keep if keep in modes else "prefer")
        self.ssl_combo.setCurrentIndex(max(0, index))
        self.ssl_combo.blockSignals(False)

    # -- reading the form --------------------------------------------------------------------------
    def ssl_mode(self) -> str:
        """The chosen SSL mode's code ("prefer", "verify-full"...)."""
        return str(self.ssl_combo.currentData() or "prefer")

    def offered_ssl_modes(self) -> list[str]:
        """The SSL modes the combo offers now."""
        return [str(self.ssl_combo.itemData(i)) for i in range(self.ssl_combo.count())]

    def settings(self) -> ConnectionSettings:
        """The settings as the form says (not yet checked)."""
        if self.local_radio.isChecked():
            return replace(self._current, kind="local")
        form = ConnectionSettings(
            kind="server",
            backend="postgresql",
            host=self.host_edit.text(),
            port=self.port_spin.value(),
            database=self.database_edit.text(),
            user=self.user_edit.text(),
            sslmode=self.ssl_mode(),
            sslrootcert=self.ca_edit.text(),
            sqlite_path=self._current.sqlite_path,
        )
        return self.pooler.applied(form)

    @property
    def busy(self) -> bool:
        """True while a test or a save runs."""
        return self._busy

    # -- actions -----------------------------------------------------------------------------------
    def _checked_settings(self) -> ConnectionSettings | None:
        """The form's settings when it is free and they pass the checks (else None, said in the form)."""
        if self._busy:
            return None
        try:
            return self.settings().checked()
        except ValidationError as problem:
            self._show_problem(problem)
            return None

    def test(self) -> None:
        """Try the settings on a worker; the answer shows beside the button."""
        settings = self._checked_settings()
        if settings is None:
            return
        password = self.password_edit.text()
        self._set_busy(True)
        self._show_result("Trying…", "info")
        run_in_background(
            lambda: workstation.test_connection(settings, password),
            self._on_test_done,
            self._on_test_failed,
            owner=self,
            name="test_connection",
        )

    def save(self) -> None:
        """Check, then write the settings and the password on a worker; then offer to restart."""
        settings = self._checked_settings()
        if settings is None:
            return
        password = self.password_edit.text()
        remember = self.remember_check.isChecked()
        self._set_busy(True)
        run_in_background(
            lambda: workstation.save_connection(settings, password, remember=remember),
            lambda note: self._on_save_done(settings, note),
            self._on_save_failed,
            owner=self,
            name="save_connection",
        )

    # -- answers -----------------------------------------------------------------------------------
    def _on_test_done(self, report: ConnectionReport) -> None:
        self._set_busy(False)
        self.last_report = report
        self._show_result(report.message, "ok" if report.ok else "error")
        self.tested.emit(report)

    def _on_test_failed(self, exc: Exception) -> None:
        self._set_busy(False)
        self._show_result(f"The test could not run ({type(exc).__name__}).", "error")

    def _on_save_done(self, settings: ConnectionSettings, note: str) -> None:
        self._set_busy(False)
        self._current = settings
        self.save_note = note
        if note:
            self.note_label.setText(note)
            self.note_label.show()
        self.buttons.hide()
        self.restart_box.show()
        self.restart_now_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.saved.emit(settings)

    def _on_save_failed(self, exc: Exception) -> None:
        self._set_busy(False)
        self._show_result(f"The settings could not be saved ({exc}).", "error")

    def _on_restart_now_clicked(self) -> None:
        self.restart_requested.emit()
        self.accept()

    def _on_kind_toggled(self, *_args: object) -> None:
        self.server_box.setEnabled(self.server_radio.isChecked())
        self.test_button.setText("T&est connection" if self.server_radio.isChecked() else "T&est local file")

    def _on_ca_text_changed(self, _text: str) -> None:
        self._fill_ssl_modes(self.ssl_mode())

    def _on_browse_clicked(self) -> None:
        start = self.ca_edit.text().strip() or str(Path.home())
        path, _filter = QFileDialog.getOpenFileName(
            self, "Server CA certificate", start, "Certificates (*.crt *.pem *.cer);;All files (*)"
        )
        if path:
            self.ca_edit.setText(path)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.test_button.setEnabled(not busy)
        self.save_button.setEnabled(not busy)

    def _show_problem(self, problem: ValidationError) -> None:
        self._show_result(problem.message, "error")
        widget = {
            "host": self.host_edit,
            "port": self.port_spin,
            "database": self.database_edit,
            "user": self.user_edit,
            "sslrootcert": self.ca_edit,
            "sslmode": self.ssl_combo,
        }.get(problem.field or "") or self.pooler.widget_for(problem.field or "")
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_result(self, words: str, role: str) -> None:
        mark = {"ok": "\u2714 ", "error": "\u2716 ", "info": ""}[role]
        self.result_label.setText(mark + words)
        self.result_label.setProperty("outcome", role)
        follow_theme(self.result_label, message_sheet(role, bold=False))
        self.result_label.setAccessibleDescription(words)

    def result_text(self) -> str:
        """The words beside the Test button."""
        return self.result_label.text()
