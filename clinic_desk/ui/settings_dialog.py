"""Clinic settings…: names and addresses, link lifetimes, lockout, and the clinic's mail server.

Three tabs (each scrolls, so the dialog fits small screens). Loading the keyring
status, saving and "Send test email" all run on worker threads; the GUI thread never
touches the database, the mail server or the keyring. The SMTP password goes to the
OS keyring (services.secret_store) and is never put back in the form: the form only
says whether one is stored. A problem is shown under the field it is about, and the
dialog stays open.
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.errors import ClinicDeskError, ValidationError
from clinic_desk.domain.validation import clean_email
from clinic_desk.services import secret_store, smtp
from clinic_desk.services.secret_store import KeyringStatus
from clinic_desk.services.settings import ClinicSettings
from clinic_desk.services.templates import template_problems, templates_folder
from clinic_desk.ui.colors import MISSING_TEXT, TEXT_MUTED
from clinic_desk.ui.tasks import run_in_background
from clinic_desk.ui.workstation import workstation_user

if TYPE_CHECKING:
    from clinic_desk import Clinic

log = logging.getLogger(__name__)

OK_COLOR = "#1E6B3A"
ERROR_COLOR = MISSING_TEXT
TEST_TIMEOUT = 15.0
SECURITY_LABELS = {
    "starttls": "STARTTLS (usually port 587)",
    "tls": "Implicit TLS (usually port 465)",
    "none": "None (trusted network only)",
}
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$")


@dataclass(frozen=True)
class TextField:
    """One line of text in the form."""

    name: str
    label: str
    placeholder: str
    help: str


@dataclass(frozen=True)
class NumberField:
    """One whole number in the form."""

    name: str
    label: str
    minimum: int
    maximum: int
    suffix: str
    help: str


CLINIC_FIELDS = (
    TextField("clinic_name", "Clinic &name", "Riverside Family Clinic", "Shown in every email to patients."),
    TextField(
        "sender_address",
        "Sender &address",
        "portal@your-clinic.example",
        "The address portal emails come from.",
    ),
    TextField(
        "sender_name",
        "Sender display na&me",
        "Riverside Family Clinic",
        "The name patients see as the sender.",
    ),
    TextField(
        "whitelist_domain",
        "&Whitelist domain",
        "your-clinic.example",
        "Patients add this domain to their safe senders so portal emails skip the spam folder.",
    ),
    TextField(
        "portal_url",
        "&Portal web address",
        "https://portal.your-clinic.example",
        "Where the links in the emails lead.",
    ),
    TextField(
        "placeholder_domain",
        "Place&holder email domain",
        "noemail.invalid",
        "Addresses in this domain mean “the patient has no email”; nothing is ever sent to them.",
    ),
)
LINK_FIELDS = (
    NumberField(
        "invitation_days", "&Invitation link works for", 1, 90, " days", "After that, send a new one."
    ),
    NumberField("reset_days", "Password-&reset link works for", 1, 90, " days", ""),
    NumberField("confirmation_days", "Registration c&onfirmation works for", 1, 90, " days", ""),
    NumberField(
        "lockout_threshold",
        "Lock an account a&fter",
        1,
        100,
        " failed logins",
        "Too many wrong passwords in a row lock the patient's portal account.",
    ),
    NumberField("lockout_minutes", "Keep it locked &during", 1, 24 * 60, " minutes", ""),
)
SERVER_TEXT_FIELDS = (
    TextField(
        "smtp_host", "Mail ser&ver", "smtp.your-provider.example", "Leave empty to keep emails waiting."
    ),
    TextField("smtp_username", "User &name", "Leave empty if the server needs no login", ""),
)
LABELS = {
    field.name: field.label.replace("&", "") for field in (*CLINIC_FIELDS, *LINK_FIELDS, *SERVER_TEXT_FIELDS)
} | {
    "smtp_port": "Port",
    "smtp_security": "Security",
    "password": "Password",
    "to": "Test email address",
    "templates": "Email templates",
}


# -- work done on worker threads ---------------------------------------------------------------


@dataclass(frozen=True)
class DialogFacts:
    """What the dialog learns off the GUI thread when it opens (never the password itself)."""

    keyring: KeyringStatus
    password_stored: bool
    templates_where: str
    template_problems: tuple[str, ...]


def inspect_setup(settings: ClinicSettings) -> DialogFacts:
    """Keyring status, whether an SMTP password is stored, and the templates (worker thread)."""
    status = secret_store.keyring_status()
    stored = bool(secret_store.get_smtp_password(settings)) if settings.smtp_host.strip() else False
    folder = templates_folder()
    where = f"{folder} (files missing there use the built-in ones)" if folder else "Built-in templates"
    problems = tuple(str(problem) for problem in template_problems())
    return DialogFacts(status, stored, where, problems)


def check_values(values: dict[str, Any]) -> None:
    """Refuse values no email could be built with; the error names the field."""
    for name in ("clinic_name", "sender_name"):
        if not str(values[name]).strip():
            raise ValidationError(f"{LABELS[name]}: enter a name.", field=name)
    try:
        if not clean_email(values["sender_address"]):
            raise ValidationError("Sender address: enter the address portal emails come from.")
    except ValidationError as problem:
        text = problem.message.removeprefix("Email: ").removeprefix("Email ")
        raise ValidationError(f"Sender address: {text}", field="sender_address") from None
    for name in ("whitelist_domain", "placeholder_domain"):
        domain = str(values[name]).strip().lower()
        if not _DOMAIN.fullmatch(domain):
            raise ValidationError(
                f"{LABELS[name]}: '{domain[:60]}' is not a domain name — type it like clinic.example.org, "
                "without @ or https://.",
                field=name,
            )
    url = str(values["portal_url"]).strip()
    if not re.fullmatch(r"https?://[^\s/?#]+\.[^\s/?#]+(/\S*)?", url):
        raise ValidationError(
            "Portal web address: type the full address, like https://portal.clinic.example.org.",
            field="portal_url",
        )
    host = str(values["smtp_host"]).strip()
    if host and (any(ch.isspace() for ch in host) or "://" in host or "@" in host):
        raise ValidationError(
            "Mail server: type only the server's name, like smtp.office365.com (no https:// or @).",
            field="smtp_host",
        )
    if values["smtp_security"] not in smtp.SECURITY_CHOICES:
        raise ValidationError("Security: choose STARTTLS, implicit TLS or none.", field="smtp_security")


def save_clinic_settings(
    clinic: Clinic, values: dict[str, Any], password: str, *, remember: bool
) -> ClinicSettings:
    """Check, keep the typed password (keyring, or this session only), then store the settings."""
    check_values(values)
    new = clinic.settings.updated(**values)
    if password:
        if not new.smtp_host.strip():
            raise ValidationError(
                "Password: enter the mail server first; the password is kept for that server.",
                field="password",
            )
        secret_store.set_smtp_password(new, password, remember=remember)
    return clinic.update_settings(actor=workstation_user(), **values)


def send_test_email(clinic: Clinic, values: dict[str, Any], password: str, to: str) -> str:
    """Send a test email with the settings as typed (not yet saved); returns where it went."""
    try:
        address = clean_email(to)
    except ValidationError as problem:
        raise ValidationError(
            problem.message.replace("Email:", "Test email address:", 1), field="to"
        ) from None
    if not address:
        raise ValidationError("Type the address the test email should go to.", field="to")
    settings = clinic.settings.updated(**values)
    if not password and settings.smtp_username.strip():
        password = secret_store.get_smtp_password(settings) or ""
    smtp.send_test_email(settings, password or None, address, now=clinic.now(), timeout=TEST_TIMEOUT)
    return address


# -- the dialog --------------------------------------------------------------------------------


def _error_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(f"{name}Error")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(f"color: {ERROR_COLOR}; font-weight: 600;")
    label.hide()
    return label


def _help_label(parent: QWidget, text: str) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(f"color: {TEXT_MUTED};")
    return label


def _scrolling(page: QWidget, parent: QWidget) -> QScrollArea:
    scroll = QScrollArea(parent)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(page)
    return scroll


class ClinicSettingsDialog(QDialog):
    """Edit the clinic-wide settings and the mail server; saves and tests on worker threads.

    Signals:
        facts_loaded(object): keyring status and templates were checked (:class:`DialogFacts`).
        saved(object): the new :class:`ClinicSettings` were stored.
        save_failed(str): saving failed; the words say why (the dialog stays open).
        test_finished(bool, str): the test email went out (True) or not, and the words shown.
    """

    facts_loaded = Signal(object)
    saved = Signal(object)
    save_failed = Signal(str)
    test_finished = Signal(bool, str)

    def __init__(self, clinic: Clinic, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clinicSettingsDialog")
        self.setWindowTitle("Clinic settings")
        self.setAccessibleName("Clinic settings")
        self.setAccessibleDescription(
            "The clinic's names and addresses, how long portal links work, account lockout, and the "
            "mail server that sends portal emails"
        )
        self._clinic = clinic
        self._busy = False
        self._testing = False
        self.facts: DialogFacts | None = None
        self.edits: dict[str, QLineEdit] = {}
        self.spins: dict[str, QSpinBox] = {}
        self.errors: dict[str, QLabel] = {}
        self._field_widgets: dict[str, QWidget] = {}
        self._field_tab: dict[str, int] = {}

        self.message = QLabel(self)
        self.message.setObjectName("settingsMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setStyleSheet(f"color: {ERROR_COLOR}; font-weight: 600;")
        self.message.hide()

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("settingsTabs")
        self.tabs.setAccessibleName("Settings pages")
        self.tabs.addTab(_scrolling(self._build_clinic_page(), self.tabs), "&Clinic")
        self.tabs.addTab(_scrolling(self._build_links_page(), self.tabs), "Lin&ks and lockout")
        self.tabs.addTab(_scrolling(self._build_server_page(), self.tabs), "&Email server")

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

    # -- building ----------------------------------------------------------------------------------
    def _add_field(
        self,
        form: QFormLayout,
        page: QWidget,
        tab: int,
        name: str,
        label: str,
        widget: QWidget,
        help: str,
        *,
        row: QWidget | None = None,
    ) -> None:
        """A captioned field with its help line and (hidden) problem line; ``row`` holds it when given."""
        plain = label.replace("&", "")
        if not widget.objectName():
            widget.setObjectName(f"{name}Field")
        widget.setAccessibleName(plain)
        if help:
            widget.setAccessibleDescription(help)
        error = _error_label(page, name)
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addWidget(row or widget)
        if help:
            box.addWidget(_help_label(page, help))
        box.addWidget(error)
        caption = QLabel(label, page)
        caption.setBuddy(widget)
        form.addRow(caption, box)
        self.errors[name] = error
        self._field_widgets[name] = widget
        self._field_tab[name] = tab

    def _new_form(self, page: QWidget) -> QFormLayout:
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setVerticalSpacing(10)
        return form

    def _build_clinic_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("clinicPage")
        form = self._new_form(page)
        for field in CLINIC_FIELDS:
            edit = QLineEdit(page)
            edit.setPlaceholderText(field.placeholder)
            self._add_field(form, page, 0, field.name, field.label, edit, field.help)
            self.edits[field.name] = edit
        self.templates_label = QLabel("Checking the email templates…", page)
        self.templates_label.setObjectName("templatesField")
        self.templates_label.setWordWrap(True)
        self.templates_label.setTextFormat(Qt.TextFormat.PlainText)
        self.templates_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.templates_label.setAccessibleName("Email templates")
        error = _error_label(page, "templates")
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addWidget(self.templates_label)
        box.addWidget(error)
        form.addRow(QLabel("Email templates", page), box)
        self.errors["templates"] = error
        self._field_widgets["templates"] = self.templates_label
        self._field_tab["templates"] = 0
        return page

    def _build_links_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("linksPage")
        form = self._new_form(page)
        for field in LINK_FIELDS:
            spin = QSpinBox(page)
            spin.setRange(field.minimum, field.maximum)
            spin.setSuffix(field.suffix)
            spin.setMinimumWidth(170)
            spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            self._add_field(form, page, 1, field.name, field.label, spin, field.help)
            self.spins[field.name] = spin
        return page

    def _build_server_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("serverPage")
        form = self._new_form(page)
        host = QLineEdit(page)
        host.setPlaceholderText(SERVER_TEXT_FIELDS[0].placeholder)
        self._add_field(
            form, page, 2, "smtp_host", SERVER_TEXT_FIELDS[0].label, host, SERVER_TEXT_FIELDS[0].help
        )
        self.edits["smtp_host"] = host
        self.port_spin = QSpinBox(page)
        self.port_spin.setRange(1, 65535)
        self.port_spin.setMinimumWidth(120)
        self.port_spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._add_field(form, page, 2, "smtp_port", "Por&t", self.port_spin, "")
        self.security_combo = QComboBox(page)
        self.security_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.security_combo.setMinimumContentsLength(18)
        for value, words in SECURITY_LABELS.items():
            self.security_combo.addItem(words, value)
        self._add_field(
            form,
            page,
            2,
            "smtp_security",
            "Sec&urity",
            self.security_combo,
            "Your email provider says which one to use.",
        )
        user = QLineEdit(page)
        user.setPlaceholderText(SERVER_TEXT_FIELDS[1].placeholder)
        self._add_field(form, page, 2, "smtp_username", SERVER_TEXT_FIELDS[1].label, user, "")
        self.edits["smtp_username"] = user

        self.password_edit = QLineEdit(page)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("Type to set or replace the password")
        self._add_field(
            form,
            page,
            2,
            "password",
            "Pass&word",
            self.password_edit,
            "Kept in this computer's password store (keyring), never in a file.",
        )
        self.keyring_label = QLabel("Checking the password store…", page)
        self.keyring_label.setObjectName("keyringStatus")
        self.keyring_label.setWordWrap(True)
        self.keyring_label.setTextFormat(Qt.TextFormat.PlainText)
        self.keyring_label.setAccessibleName("Password store")
        self.session_only_check = QCheckBox("Use for this session onl&y (asked again next time)", page)
        self.session_only_check.setObjectName("sessionOnlyCheck")
        self.session_only_check.setAccessibleName("Use the password for this session only")
        self.session_only_check.setAccessibleDescription(
            "The password is kept in memory until Clinic Desk closes, and never written anywhere"
        )
        self.session_only_check.hide()
        store_box = QVBoxLayout()
        store_box.setSpacing(4)
        store_box.addWidget(self.keyring_label)
        store_box.addWidget(self.session_only_check)
        form.addRow(QLabel("Password store", page), store_box)

        rule = QFrame(page)
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setProperty("role", "rule")
        form.addRow(rule)
        self.test_to_edit = QLineEdit(page)
        self.test_to_edit.setObjectName("testEmailAddress")
        self.test_to_edit.setPlaceholderText("you@your-clinic.example")
        self.test_button = QPushButton("Send test emai&l", page)
        self.test_button.setObjectName("sendTestEmailButton")
        self.test_button.setAccessibleName("Send test email")
        self.test_button.setAccessibleDescription(
            "Send a short email with the settings as typed here, to the address beside it"
        )
        self.test_button.clicked.connect(self.send_test)
        self.test_to_edit.returnPressed.connect(self.send_test)
        holder = QWidget(page)
        holder.setObjectName("testEmailRow")
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.test_to_edit, 1)
        row.addWidget(self.test_button)
        self._add_field(
            form,
            page,
            2,
            "to",
            "Test email add&ress",
            self.test_to_edit,
            "Uses the settings as typed above, even before you save them.",
            row=holder,
        )
        self.test_result = QLabel(page)
        self.test_result.setObjectName("testEmailResult")
        self.test_result.setWordWrap(True)
        self.test_result.setTextFormat(Qt.TextFormat.PlainText)
        self.test_result.setAccessibleName("Test email result")
        self.test_result.hide()
        form.addRow("", self.test_result)
        return page

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
    def set_values(self, settings: ClinicSettings) -> None:
        """Fill the form from ``settings`` (never the password)."""
        for name, edit in self.edits.items():
            edit.setText(str(getattr(settings, name)))
        for name, spin in self.spins.items():
            spin.setValue(int(getattr(settings, name)))
        self.port_spin.setValue(settings.smtp_port)
        index = self.security_combo.findData(settings.smtp_security)
        self.security_combo.setCurrentIndex(max(index, 0))

    def values(self) -> dict[str, Any]:
        """The settings as typed (trimmed), keyed like :class:`ClinicSettings`."""
        values: dict[str, Any] = {name: edit.text().strip() for name, edit in self.edits.items()}
        values.update({name: spin.value() for name, spin in self.spins.items()})
        values["smtp_port"] = self.port_spin.value()
        values["smtp_security"] = str(self.security_combo.currentData())
        for name in ("whitelist_domain", "placeholder_domain"):
            values[name] = values[name].lower()
        known = set(asdict(self._clinic.settings))
        return {name: value for name, value in values.items() if name in known}

    def set_value(self, name: str, value: Any) -> None:
        """Type ``value`` into field ``name`` (tests and scripts)."""
        if name in self.edits:
            self.edits[name].setText(str(value))
        elif name in self.spins:
            self.spins[name].setValue(int(value))
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
        settings = self._clinic.settings
        run_in_background(
            lambda: inspect_setup(settings),
            self._on_facts_loaded,
            self._on_facts_failed,
            owner=self,
            name="settings_inspect",
        )

    def _on_facts_loaded(self, facts: DialogFacts) -> None:
        self.facts = facts
        self._show_keyring(facts.keyring, facts.password_stored)
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

    def _show_keyring(self, status: KeyringStatus, stored: bool) -> None:
        if not status.available:
            self.keyring_label.setText(status.message)
            self.keyring_label.setStyleSheet(f"color: {ERROR_COLOR};")
            self.session_only_check.show()
            self.session_only_check.setChecked(True)
        else:
            self.keyring_label.setStyleSheet("")
            stored_words = (
                "A password for this server and user name is stored; leave the field empty to keep it."
                if stored
                else "No password is stored for this server and user name."
            )
            self.keyring_label.setText(f"{status.message} {stored_words}")
        if stored:
            self.password_edit.setPlaceholderText("Stored — type to replace")
        self.keyring_label.setAccessibleDescription(self.keyring_label.text())

    # -- saving ------------------------------------------------------------------------------------
    def save(self) -> None:
        """Check and store the settings (and a typed password) on a worker; closes when saved."""
        if self._busy:
            return
        self._clear_errors()
        values = self.values()
        password = self.password_edit.text()
        remember = not self.session_only_check.isChecked()
        clinic = self._clinic
        self._set_busy(True)
        run_in_background(
            lambda: save_clinic_settings(clinic, values, password, remember=remember),
            self._on_save_done,
            self._on_save_failed,
            owner=self,
            name="save_clinic_settings",
        )

    def _on_save_done(self, settings: ClinicSettings) -> None:
        self._set_busy(False)
        self.password_edit.clear()
        self.saved.emit(settings)
        self.accept()

    def _on_save_failed(self, exc: Exception) -> None:
        self._set_busy(False)
        if isinstance(exc, secret_store.KeyringUnavailable):
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
        clinic = self._clinic
        self._testing = True
        self.test_button.setEnabled(False)
        self._show_test_result("Sending a test email…", None)
        run_in_background(
            lambda: send_test_email(clinic, values, password, to),
            self._on_test_done,
            self._on_test_failed,
            owner=self,
            name="send_test_email",
        )

    def _on_test_done(self, to: str) -> None:
        self._testing = False
        self.test_button.setEnabled(True)
        words = f"Test email sent to {to}. Check that inbox (and its spam folder)."
        self._show_test_result(words, True)
        self.test_finished.emit(True, words)

    def _on_test_failed(self, exc: Exception) -> None:
        self._testing = False
        self.test_button.setEnabled(True)
        if isinstance(exc, ClinicDeskError):
            words = exc.message
            field = exc.field if exc.field in self.errors else None
            if field and field != "to":
                self._show_error(field, words, focus=False)
                self._show_test_result(f"Not sent: see “{LABELS.get(field, field)}”.", False)
            elif field == "to":
                self._show_error("to", words)
                self._show_test_result("Not sent.", False)
            else:
                self._show_test_result(words, False)
        else:
            log.warning("test email failed (%s)", type(exc).__name__)
            words = f"The test email could not be sent ({type(exc).__name__})."
            self._show_test_result(words, False)
        self.test_finished.emit(False, words)

    def _show_test_result(self, words: str, ok: bool | None) -> None:
        mark = "" if ok is None else ("\u2714 " if ok else "\u2716 ")
        color = TEXT_MUTED if ok is None else (OK_COLOR if ok else ERROR_COLOR)
        self.test_result.setText(mark + words)
        self.test_result.setStyleSheet(f"color: {color}; font-weight: 600;")
        self.test_result.setAccessibleDescription(words)
        self.test_result.show()

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
            if isinstance(widget, QLineEdit):
                widget.selectAll()


def open_settings_dialog(clinic: Clinic, parent: QWidget | None = None) -> ClinicSettingsDialog:
    """Show the dialog (window-modal, deleted on close); returns it."""
    dialog = ClinicSettingsDialog(clinic, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
