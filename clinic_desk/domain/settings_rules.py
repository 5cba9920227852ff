"""What each clinic setting may hold: one rule per setting, said in words a receptionist can act on.

The services check every change with :func:`clean_setting` before storing it, and the
settings form takes its number ranges and security choices from here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.import_columns import clean_mapping
from clinic_desk.domain.text_rules import hidden_character
from clinic_desk.domain.validation import clean_email

SECURITY_CHOICES = ("starttls", "tls", "none")


@dataclass(frozen=True)
class NumberRange:
    """The whole numbers a setting accepts, and the unit said after them."""

    minimum: int
    maximum: int
    unit: str = ""


# The name of each setting as the settings form captions it (used in every message).
LABELS = {
    "clinic_name": "Clinic name",
    "sender_address": "Sender address",
    "sender_name": "Sender display name",
    "whitelist_domain": "Whitelist domain",
    "portal_url": "Portal web address",
    "placeholder_domain": "Placeholder email domain",
    "placeholder_addresses": "Dummy email addresses",
    "invitation_days": "Invitation link works for",
    "reset_days": "Password-reset link works for",
    "confirmation_days": "Registration confirmation works for",
    "lockout_threshold": "Lock an account after",
    "lockout_minutes": "Keep it locked during",
    "claim_attempt_limit": "Refuse claims for one person after",
    "source_attempt_limit": "Refuse one client address after",
    "attempt_window_minutes": "Count those tries over",
    "smtp_host": "Mail server",
    "smtp_port": "Port",
    "smtp_security": "Security",
    "smtp_username": "User name",
    "backup_folder": "Back up every day to",
    "backup_keep_days": "Keep backups for",
    "staff_lockout_threshold": "Lock a staff sign-in after",
    "staff_lockout_minutes": "Keep a staff sign-in locked during",
    "idle_lock_minutes": "Lock an unattended window after",
    "bulk_invite_skip_days": "Bulk invitations skip patients invited in the last",
    "activation_code_days": "Activation code works for",
    "portal_session_idle_minutes": "Sign portal pages out after",
    "mail_per_hour": "Send at most",
    "csv_import_mapping": "CSV import columns",
    "fhir_mrn_system": "FHIR system of the MRN",
}

NUMBER_RANGES = {
    "invitation_days": NumberRange(1, 90, "days"),
    "reset_days": NumberRange(1, 90, "days"),
    "confirmation_days": NumberRange(1, 90, "days"),
    "lockout_threshold": NumberRange(1, 100, "failed logins"),
    "lockout_minutes": NumberRange(1, 24 * 60, "minutes"),
    "claim_attempt_limit": NumberRange(1, 100, "wrong tries"),
    "source_attempt_limit": NumberRange(1, 10_000, "failures"),
    "attempt_window_minutes": NumberRange(1, 24 * 60, "minutes"),
    "smtp_port": NumberRange(1, 65535),
    "backup_keep_days": NumberRange(1, 365, "days"),
    "staff_lockout_threshold": NumberRange(1, 100, "failed sign-ins"),
    "staff_lockout_minutes": NumberRange(1, 24 * 60, "minutes"),
    "idle_lock_minutes": NumberRange(1, 240, "minutes"),
    "bulk_invite_skip_days": NumberRange(0, 365, "days"),
    "activation_code_days": NumberRange(1, 365, "days"),
    "portal_session_idle_minutes": NumberRange(5, 240, "minutes unused"),
    "mail_per_hour": NumberRange(0, 100_000, "emails an hour"),
}

_NAMES = ("clinic_name", "sender_name")
_DOMAINS = ("whitelist_domain", "placeholder_domain")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$")
_URL = re.compile(r"https?://[^\s/?#]+\.[^\s/?#]+(/\S*)?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
TEXT_LIMIT = 254


def clean_setting(name: str, value: object) -> str | int | tuple[str, ...] | dict[str, str]:
    """The value as it is stored (trimmed, domains lower-cased), or ValidationError naming the setting.

    Raises:
        ValidationError: the value breaks the setting's rule (``field`` is ``name``), or
            ``name`` is not a setting.
    """
    if name not in LABELS:
        raise ValidationError(f"'{str(name)[:60]}' is not a clinic setting.", field=name)
    if name in NUMBER_RANGES:
        return _number(name, value)
    if name == "placeholder_addresses":
        return _address_list(name, value)
    if name == "backup_folder":
        return _folder(name, value)
    if name == "csv_import_mapping":
        if not isinstance(value, dict):
            raise ValidationError(f"{LABELS[name]}: a mapping of column names to fields.", field=name)
        return clean_mapping(value)
    text = _text(name, value)
    if name in _NAMES:
        if not text:
            raise ValidationError(f"{LABELS[name]}: enter a name.", field=name)
        return text
    if name == "sender_address":
        return _sender_address(text)
    if name in _DOMAINS:
        return _domain(name, text)
    if name == "portal_url":
        if not _URL.fullmatch(text):
            raise ValidationError(
                "Portal web address: type the full address, like https://portal.clinic.example.org.",
                field=name,
            )
        return text
    if name == "smtp_host":
        if any(ch.isspace() for ch in text) or "://" in text or "@" in text:
            raise ValidationError(
                "Mail server: type only the server's name, like smtp.office365.com (no https:// or @).",
                field=name,
            )
        return text
    if name == "smtp_security":
        if text.lower() not in SECURITY_CHOICES:
            raise ValidationError("Security: choose STARTTLS, implicit TLS or none.", field=name)
        return text.lower()
    return text  # smtp_username: anything on one line, empty for a server without login


def _text(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"{LABELS[name]}: type it as text.", field=name)
    if len(value) > TEXT_LIMIT * 2:  # before anything reads a pasted essay
        raise ValidationError(f"{LABELS[name]}: at most {TEXT_LIMIT} characters.", field=name)
    text = value.strip()
    if _CONTROL.search(text):
        raise ValidationError(f"{LABELS[name]}: type it on one line, without tabs.", field=name)
    if hidden_character(text):
        raise ValidationError(f"{LABELS[name]}: remove the invisible or control characters.", field=name)
    if len(text) > TEXT_LIMIT:
        raise ValidationError(
            f"{LABELS[name]}: {len(text)} characters is too long; the limit is {TEXT_LIMIT}.", field=name
        )
    return text


FOLDER_LIMIT = 1024


def _folder(name: str, value: object) -> str:
    """A full folder path (``/mnt/backups``, ``C:\\Backups``, ``\\\\server\\share``), or empty for none."""
    return clean_path(value, label=LABELS[name], field=name, absolute=True)


def clean_path(value: object, *, label: str, field: str, absolute: bool = False) -> str:
    """A file or folder path as typed, trimmed; ValidationError naming ``field`` when it cannot be one.

    Refused: not text, longer than FOLDER_LIMIT, control, invisible or broken (surrogate)
    characters, and with ``absolute`` a relative path. Empty is allowed (the caller decides).
    """
    if not isinstance(value, str):
        raise ValidationError(f"{label}: type the path as text.", field=field)
    text = value.strip()
    if len(text) > FOLDER_LIMIT:
        raise ValidationError(
            f"{label}: {len(text)} characters is too long; the limit is {FOLDER_LIMIT}.", field=field
        )
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in text):
        raise ValidationError(
            f"{label}: type the path on one line, without tabs or invisible characters.", field=field
        )
    if absolute and text and not (PurePosixPath(text).is_absolute() or PureWindowsPath(text).is_absolute()):
        raise ValidationError(
            f"{label}: type the folder's full path, like /mnt/clinic-backups or "
            "\\\\server\\share\\clinic-backups (or leave it empty for no daily backup).",
            field=field,
        )
    return text


def _number(name: str, value: object) -> int:
    allowed = NUMBER_RANGES[name]
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isdecimal():
        number = int(value.strip())
    if number is None or not allowed.minimum <= number <= allowed.maximum:
        unit = f" {allowed.unit}" if allowed.unit else ""
        raise ValidationError(
            f"{LABELS[name]}: choose a whole number from {allowed.minimum} to {allowed.maximum}{unit}.",
            field=name,
        )
    return number


ADDRESS_LIST_LIMIT = 50
_LOCAL_PART = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}")


def _address_list(name: str, value: object) -> tuple[str, ...]:
    """Dummy addresses, one per line or comma: ``none@none.com``, or ``noemail@*`` for any domain."""
    if isinstance(value, str):
        if len(value) > ADDRESS_LIST_LIMIT * (TEXT_LIMIT + 1):
            raise ValidationError(
                f"{LABELS[name]}: the list is too long; keep it to a few addresses.", field=name
            )
        entries = [part for line in value.splitlines() for part in line.split(",")]
    elif isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        entries = list(value)
    else:
        raise ValidationError(f"{LABELS[name]}: type the addresses as text, one per line.", field=name)
    cleaned: list[str] = []
    for entry in entries:
        text = _text(name, entry).lower()
        if not text:
            continue
        local, at, domain = text.partition("@")
        if not at or not _LOCAL_PART.fullmatch(local) or not (domain == "*" or _DOMAIN.fullmatch(domain)):
            raise ValidationError(
                f"{LABELS[name]}: '{text[:60]}' is not an address — type it like none@none.com, "
                "or noemail@* for that name at any domain.",
                field=name,
            )
        if text not in cleaned:
            cleaned.append(text)
    if len(cleaned) > ADDRESS_LIST_LIMIT:
        raise ValidationError(
            f"{LABELS[name]}: {len(cleaned)} addresses is too many; the limit is {ADDRESS_LIST_LIMIT}.",
            field=name,
        )
    return tuple(cleaned)


def _sender_address(text: str) -> str:
    try:
        address = clean_email(text)
    except ValidationError as problem:
        words = problem.message.removeprefix("Email: ").removeprefix("Email ")
        raise ValidationError(f"Sender address: {words}", field="sender_address") from None
    if not address:
        raise ValidationError(
            "Sender address: enter the address portal emails come from.", field="sender_address"
        )
    return address


def _domain(name: str, text: str) -> str:
    domain = text.lower()
    if not _DOMAIN.fullmatch(domain):
        raise ValidationError(
            f"{LABELS[name]}: '{domain[:60]}' is not a domain name — type it like clinic.example.org, "
            "without @ or https://.",
            field=name,
        )
    return domain
