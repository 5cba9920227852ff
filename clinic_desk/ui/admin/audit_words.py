"""Audit entries in plain words: what an action code means, and what changed (before → after).

Only the clinic-wide log's display; the codes themselves are the services' stable strings.
Values under a name that looks like a secret are never shown, whatever the entry holds
(the services never store one: this is a second lock on the same door).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from clinic_desk.domain import codes
from clinic_desk.domain.roles import role_label
from clinic_desk.domain.settings_rules import LABELS as SETTING_LABELS
from clinic_desk.domain.switch_off import off_reason_label

#: Each action code the services record, as the log says it.
ACTION_WORDS: Final[dict[str, str]] = {
    "add_patient": "Added a patient",
    "update_contact": "Changed contact details",
    "set_photo": "Changed the photo",
    "portal_access_on": "Turned portal access on",
    "portal_access_off": "Turned portal access off",
    "set_patient_status": "Changed the patient's status",
    "send_invitation": "Sent an invitation",
    "send_reset": "Sent a password-reset email",
    "send_confirmation": "Sent a confirmation email",
    "send_activation": "Issued an activation code",
    "resend_confirmation": "Sent the confirmation again",
    "set_credentials": "Set a portal username and password",
    "unlock_account": "Unlocked the portal account",
    "chart_opened": "Opened the chart",
    "chart_printed": "Printed the chart",
    "chart_exported": "Exported the chart",
    "self_register": "Patient registered online",
    "confirm_registration": "Patient confirmed the registration",
    "claim_account": "Patient claimed the chart online",
    "accept_invitation": "Patient accepted the invitation",
    "accept_reset": "Patient reset the password",
    "portal_login": "Patient signed in to the portal",
    "change_password": "Patient changed the portal password",
    "portal_login_failed": "Failed portal sign-in",
    "portal_change_password_failed": "Failed portal password change",
    "portal_register_refused": "Online registration refused",
    "portal_claim_refused": "Online claim refused",
    "portal_link_refused": "Emailed link refused",
    "update_settings": "Changed clinic settings",
    "bulk_load": "Loaded charts in bulk",
    "import_patients": "Imported patients",
    "staff_added": "Added a staff account",
    "staff_role_changed": "Changed a staff role",
    "staff_disabled": "Turned a staff account off",
    "staff_enabled": "Turned a staff account back on",
    "staff_password_reset": "Reset a staff password",
    "staff_password_changed": "Changed own password",
    "staff_unlocked": "Unlocked a staff sign-in",
    "staff_locked": "Staff sign-in locked",
    "staff_signed_in": "Signed in",
}

#: Field names as people say them (the settings' own captions included).
FIELD_WORDS: Final[dict[str, str]] = SETTING_LABELS | {
    "email": "Email",
    "zip_code": "ZIP code",
    "phone": "Phone",
    "status": "Status",
    "patient_status": "Status",
    "access_enabled": "Portal access",
    "access_off_reason": "Why off",
    "staff_off_reason": "Reason",
    "username": "Username",
    "full_name": "Full name",
    "role": "Role",
    "active": "Active",
    "must_change_password": "Must change password",
    "locked_until": "Locked until",
    "first_name": "First name",
    "last_name": "Last name",
    "date_of_birth": "Date of birth",
    "mrn": "MRN",
}

# Parts of a field name that mark a secret: its value is never shown or exported.
_SECRET_MARKS: Final = ("password_hash", "token", "secret", "hash", "code_hash")
_SECRET_NAMES: Final = frozenset({"password", "smtp_password", "temporary_password", "code"})
HIDDEN: Final = "(hidden)"
# Why the access switch is off, as the log says it.
_OFF_WORDS: Final = {
    codes.OFF_BY_STAFF: "turned off by staff",
    codes.OFF_UNCONFIRMED: "registration not confirmed",
    codes.OFF_NOT_ENABLED: "not turned on",
}
_ISO_MOMENT: Final = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def action_words(action: str) -> str:
    """'Turned portal access off' for ``portal_access_off``; an unknown code reads as itself."""
    return ACTION_WORDS.get(action, action.replace("_", " ").capitalize())


def is_secret(name: str) -> bool:
    """True for a field whose value must never be shown (a password, token or hash)."""
    lowered = name.lower()
    return lowered in _SECRET_NAMES or any(mark in lowered for mark in _SECRET_MARKS)


def _value(name: str, value: Any) -> str:
    if is_secret(name):
        return HIDDEN
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if name == "role" and isinstance(value, str):
        return role_label(value)
    if name == "staff_off_reason" and isinstance(value, str):
        return off_reason_label(value) or value
    if name == "access_off_reason" and isinstance(value, str):
        return _OFF_WORDS.get(value, value)
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        try:
            return local_time(datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def change_words(before: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    """'Email: a@x.org → b@x.org; ZIP code: — → 02139': only the fields that changed.

    An entry with only one side lists that side's filled-in fields ('Role: Manager').
    """
    names = [name for name in before if name in after and before[name] != after[name]]
    names += [name for name in after if name not in before and _filled(after[name])]
    names += [name for name in before if name not in after and _filled(before[name])]
    parts = []
    for name in names:
        label = FIELD_WORDS.get(name, name.replace("_", " ").capitalize())
        if name in before and name in after:
            parts.append(f"{label}: {_value(name, before[name])} → {_value(name, after[name])}")
        else:
            side = before if name in before else after
            parts.append(f"{label}: {_value(name, side[name])}")
    return "; ".join(parts)


def _filled(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != {}


#: The log's columns, in order.
COLUMNS: Final = ("When", "Who", "Workstation", "What", "Patient id", "Before → after", "Note")


def local_time(moment: Any) -> str:
    """'2026-03-02 10:00' in this computer's time zone ('' for none)."""
    if moment is None:
        return ""
    return str(moment.astimezone().strftime("%Y-%m-%d %H:%M"))


def entry_change(record: Any) -> str:
    """The entry's before → after; a staff-account entry first names the account ('dkim · ...')."""
    change = change_words(record.before, record.after)
    if record.action.startswith("staff_"):
        subject = record.after.get("username") or record.before.get("username")
        if subject and subject != record.actor:
            return f"{subject} · {change}" if change else str(subject)
    return change


def record_cells(record: Any) -> tuple[str, ...]:
    """One :class:`AuditRecord` as the log's cells (see :data:`COLUMNS`)."""
    return (
        local_time(record.at),
        record.actor,
        record.workstation or "",
        action_words(record.action),
        "" if record.patient_id is None else str(record.patient_id),
        entry_change(record),
        record.note or "",
    )
