"""The settings form's fields: captions, help lines, problem lines, and where each field lives.

Number ranges and the security choices come from the settings rules
(:mod:`clinic_desk.domain.settings_rules`); this module only says how they look.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.settings_rules import LABELS as SETTING_LABELS
from clinic_desk.domain.settings_rules import NUMBER_RANGES, SECURITY_CHOICES
from clinic_desk.ui.own_style import follow_theme, message_sheet, muted_sheet

CLINIC_TAB, LINKS_TAB, SERVER_TAB, BACKUPS_TAB = 0, 1, 2, 3
SECURITY_LABELS = dict(
    zip(
        SECURITY_CHOICES,
        ("STARTTLS (usually port 587)", "Implicit TLS (usually port 465)", "None (trusted network only)"),
        strict=True,
    )
)


@dataclass(frozen=True)
class TextField:
    """One line of text in the form."""

    name: str
    label: str
    placeholder: str
    help: str


@dataclass(frozen=True)
class NumberField:
    """One whole number in the form (its range is the setting's rule)."""

    name: str
    label: str
    suffix: str
    help: str

    @property
    def minimum(self) -> int:
        """The smallest number the setting accepts."""
        return NUMBER_RANGES[self.name].minimum

    @property
    def maximum(self) -> int:
        """The largest number the setting accepts."""
        return NUMBER_RANGES[self.name].maximum


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
# Several addresses, one a line (or comma-separated): the rule is settings_rules' address list.
ADDRESS_LIST_FIELD = TextField(
    "placeholder_addresses",
    "&Dummy email addresses",
    "none@none.com\nnoemail@*",
    "Addresses clinics type when a patient has no email, e.g. none@none.com; nothing is ever sent "
    "to them. One per line; noemail@* means that name at any domain.",
)
LINK_FIELDS = (
    NumberField("invitation_days", "&Invitation link works for", " days", "After that, send a new one."),
    NumberField("reset_days", "Password-&reset link works for", " days", ""),
    NumberField("confirmation_days", "Registration c&onfirmation works for", " days", ""),
    NumberField(
        "lockout_threshold",
        "Lock an account a&fter",
        " failed logins",
        "Too many wrong passwords in a row lock the patient's portal account.",
    ),
    NumberField("lockout_minutes", "Keep it locked &during", " minutes", ""),
    NumberField(
        "claim_attempt_limit",
        "Refuse claims for one person &after",
        " wrong tries",
        "Wrong details typed to claim a chart (same email, last name and ZIP code).",
    ),
    NumberField(
        "source_attempt_limit",
        "Refuse one client address af&ter",
        " failures",
        "Failed sign-ins, claims and links from one computer's address.",
    ),
    NumberField(
        "attempt_window_minutes",
        "Count those tries o&ver",
        " minutes",
        "Both limits count over this time and refuse for as long again.",
    ),
    NumberField(
        "bulk_invite_skip_days",
        "&Bulk invitations skip patients invited in the last",
        " days",
        "So nobody gets a second invitation days after the first (0: skip only live links).",
    ),
    NumberField(
        "mail_per_hour",
        "Send at &most",
        " emails an hour",
        "Across every desk, so the email provider does not block the clinic; 0 means no limit. "
        "The rest wait in the outbox.",
    ),
)
# Staff sign-in at the desks (DESIGN.md section 5): lockout, and the unattended window's lock.
STAFF_FIELDS = (
    NumberField(
        "staff_lockout_threshold",
        "Lock a staff si&gn-in after",
        " failed sign-ins",
        "Wrong passwords in a row at the desk's sign-in; an administrator can unlock it sooner.",
    ),
    NumberField("staff_lockout_minutes", "Keep a staff sign-in locked d&uring", " minutes", ""),
    NumberField(
        "idle_lock_minutes",
        "&Lock an unattended window after",
        " minutes",
        "Without keyboard or mouse use, the window hides patient data and asks for a password.",
    ),
)
SERVER_TEXT_FIELDS = (
    TextField(
        "smtp_host", "Mail ser&ver", "smtp.your-provider.example", "Leave empty to keep emails waiting."
    ),
    TextField("smtp_username", "User &name", "Leave empty if the server needs no login", ""),
)
BACKUP_FOLDER_FIELD = TextField(
    "backup_folder",
    "&Back up every day to",
    "/mnt/clinic-backups  or  \\\\server\\share\\clinic-backups",
    "A folder on another disk or a network share. The first desk opened each day copies the "
    "clinic file there. Leave empty for no daily backup.",
)
BACKUP_DAYS_FIELD = NumberField(
    "backup_keep_days",
    "&Keep backups for",
    " days",
    "Older backups made by Clinic Desk are deleted from that folder; other files there are never touched.",
)
LABELS = SETTING_LABELS | {
    "password": "Password",
    "to": "Test email address",
    "templates": "Email templates",
}


class SettingsForm:
    """Every field of the form across its pages: widget, problem line and tab, by setting name."""

    def __init__(self) -> None:
        self.edits: dict[str, QLineEdit] = {}
        self.spins: dict[str, QSpinBox] = {}
        self.lists: dict[str, QPlainTextEdit] = {}  # several values, one a line
        self.errors: dict[str, QLabel] = {}
        self.widgets: dict[str, QWidget] = {}
        self.tabs: dict[str, int] = {}

    def add_field(
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
        error = error_label(page, name)
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addWidget(row or widget)
        if help:
            box.addWidget(help_label(page, help))
        box.addWidget(error)
        caption = QLabel(label, page)
        caption.setBuddy(widget)
        form.addRow(caption, box)
        self.register(name, tab, widget, error)

    def register(self, name: str, tab: int, widget: QWidget, error: QLabel) -> None:
        """Remember where field ``name`` is, and the label its problems are shown in."""
        self.errors[name] = error
        self.widgets[name] = widget
        self.tabs[name] = tab


def error_label(parent: QWidget, name: str) -> QLabel:
    """The (hidden) line under a field that says what is wrong with it."""
    label = QLabel(parent)
    label.setObjectName(f"{name}Error")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    follow_theme(label, message_sheet("error"))
    label.hide()
    return label


def help_label(parent: QWidget, text: str) -> QLabel:
    """The muted line under a field that says what it is for."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    follow_theme(label, muted_sheet)
    return label


def status_label(parent: QWidget, text: str, object_name: str) -> QLabel:
    """A plain-text, wrapping line of information (templates, password store, test result)."""
    label = QLabel(text, parent)
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def new_form(page: QWidget) -> QFormLayout:
    """The two-column layout every page uses (captions right-aligned, rows wrap when narrow)."""
    form = QFormLayout(page)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    form.setVerticalSpacing(10)
    return form


def scrolling(page: QWidget, parent: QWidget) -> QScrollArea:
    """``page`` in a frameless area that scrolls down (never sideways), so the dialog fits small screens."""
    scroll = QScrollArea(parent)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(page)
    return scroll
