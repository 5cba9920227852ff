"""Clinic-wide settings, shared by every workstation through the database. Never secrets."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desk.db.models import ClinicSetting
from clinic_desk.domain.email_checks import DEFAULT_PLACEHOLDER_ADDRESSES, DEFAULT_PLACEHOLDER_DOMAIN
from clinic_desk.services.change_feed import announce_settings_changed

# A row of clinic_settings that is not a setting: a new random value at every settings save,
# so a desk knows whether the settings changed by reading one row (``settings_stamp``).
STAMP_KEY = "settings_stamp"


@dataclass(frozen=True)
class ClinicSettings:
    """What the clinic configures once: names, addresses, link lifetimes, lockout, SMTP."""

    clinic_name: str = "Riverside Family Clinic"
    sender_address: str = "portal@riverside-clinic.example"
    sender_name: str = "Riverside Family Clinic"
    whitelist_domain: str = "riverside-clinic.example"
    portal_url: str = "https://portal.riverside-clinic.example"
    placeholder_domain: str = DEFAULT_PLACEHOLDER_DOMAIN
    # Dummy addresses that mean "no email" too (none@none.com; noemail@* is any domain).
    placeholder_addresses: tuple[str, ...] = DEFAULT_PLACEHOLDER_ADDRESSES
    invitation_days: int = 7
    reset_days: int = 7
    confirmation_days: int = 3
    lockout_threshold: int = 5
    lockout_minutes: int = 15
    claim_attempt_limit: int = 5
    source_attempt_limit: int = 50
    attempt_window_minutes: int = 60
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_security: str = "starttls"  # one of domain.settings_rules.SECURITY_CHOICES
    smtp_username: str = ""
    # The daily backup of a local clinic file: a folder every desk can reach ("" = none).
    backup_folder: str = ""
    backup_keep_days: int = 14
    # Staff sign-in (DESIGN.md section 5): lockout after failed sign-ins, and the idle lock.
    staff_lockout_threshold: int = 5
    staff_lockout_minutes: int = 15
    idle_lock_minutes: int = 10
    # Bulk invitations skip a patient invited this recently (DESIGN.md section 6).
    bulk_invite_skip_days: int = 7
    # The patient portal's pages (DESIGN.md section 7): how long a printed activation code
    # works, and how long a signed-in page may sit unused before the patient signs in again.
    activation_code_days: int = 30
    portal_session_idle_minutes: int = 15
    # At most this many emails leave in any rolling hour, across every desk (0: no limit).
    mail_per_hour: int = 0
    # Patient import (DESIGN.md section 6): the CSV columns staff mapped last time
    # (column -> field), and the FHIR identifier system the clinic's MRNs carry ("" = type MR).
    csv_import_mapping: dict[str, str] = field(default_factory=dict)
    fhir_mrn_system: str = ""

    @property
    def invitation_lifetime(self) -> timedelta:
        """How long an invitation link works."""
        return timedelta(days=self.invitation_days)

    @property
    def reset_lifetime(self) -> timedelta:
        """How long a password-reset link works."""
        return timedelta(days=self.reset_days)

    @property
    def confirmation_lifetime(self) -> timedelta:
        """How long a registration-confirmation link works."""
        return timedelta(days=self.confirmation_days)

    @property
    def activation_code_lifetime(self) -> timedelta:
        """How long a printed activation code works."""
        return timedelta(days=self.activation_code_days)

    @property
    def portal_session_idle(self) -> timedelta:
        """How long a portal web session may sit unused."""
        return timedelta(minutes=self.portal_session_idle_minutes)

    @property
    def lockout_duration(self) -> timedelta:
        """How long an account stays locked after too many failed logins."""
        return timedelta(minutes=self.lockout_minutes)

    @property
    def attempt_window(self) -> timedelta:
        """How long claim and client-address failures are counted together, and locked after the limit."""
        return timedelta(minutes=self.attempt_window_minutes)

    def updated(self, **changes: Any) -> ClinicSettings:
        """A copy with some settings changed (unknown names are refused)."""
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise KeyError(f"unknown settings: {', '.join(sorted(unknown))}")
        return replace(self, **changes)


def load_settings(session: Session) -> ClinicSettings:
    """Read the stored settings over the defaults."""
    stored = {row.key: json.loads(row.value) for row in session.scalars(select(ClinicSetting))}
    # JSON keeps lists; the settings hold tuples (frozen, and equal to what was saved).
    stored = {key: tuple(value) if isinstance(value, list) else value for key, value in stored.items()}
    known = {f.name for f in fields(ClinicSettings)}
    return ClinicSettings(**{key: value for key, value in stored.items() if key in known})


def settings_stamp(session: Session) -> str | None:
    """The stored settings' stamp (one row by its key); None when they were never saved."""
    value = session.scalar(select(ClinicSetting.value).where(ClinicSetting.key == STAMP_KEY))
    return None if value is None else str(json.loads(value))


def save_settings(session: Session, settings: ClinicSettings, names: Iterable[str] | None = None) -> None:
    """Write the settings called ``names``, by default every one (in the caller's transaction).

    Every save gives the settings a new stamp and tells listening desks (at COMMIT) that
    the settings changed.
    """
    values = asdict(settings)
    keys = list(values if names is None else names)
    for key in keys:
        _put(session, key, values[key])
    if keys:
        _put(session, STAMP_KEY, uuid.uuid4().hex)
        announce_settings_changed(session)


def _put(session: Session, key: str, value: Any) -> None:
    row = session.get(ClinicSetting, key)
    if row is None:
        session.add(ClinicSetting(key=key, value=json.dumps(value)))
    else:
        row.value = json.dumps(value)
