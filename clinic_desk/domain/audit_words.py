"""Audit entries in the clinic's words: what an action code means, and what changed.

One home for the words the History card, the clinic-wide log and its CSV export use.
Secrets never show: any field named like a password, token or hash is left out,
whatever the entry holds (the services never store one: a second lock on the same door).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, Final

from clinic_desk.domain import codes
from clinic_desk.domain.roles import role_label
from clinic_desk.domain.settings_rules import LABELS as SETTING_LABELS
from clinic_desk.domain.switch_off import off_reason_label

#: Each action code the services record, in plain words.
ACTION_WORDS: Final[Mapping[str, str]] = {
    "add_patient": "Added the chart",
    "update_contact": "Changed contact details",
    "portal_access_on": "Turned portal access on",
    "portal_access_off": "Turned portal access off",
    "set_patient_status": "Changed the patient's status",
    "set_photo": "Changed the photo",
    "send_invitation": "Sent a portal invitation",
    "send_reset": "Sent a password-reset email",
    "send_confirmation": "Sent a confirmation email",
    "send_activation": "Issued an activation code",
    "send_invitations": "Sent portal invitations in bulk",
    "resend_confirmation": "Sent the registration confirmation again",
    "set_credentials": "Set a username and temporary password",
    "unlock_account": "Unlocked the portal account",
    "chart_opened": "Opened the chart",
    "chart_printed": "Printed the chart",
    "chart_exported": "Exported the chart",
    "self_register": "Registered on the portal",
    "confirm_registration": "Confirmed the registration email",
    "accept_invitation": "Accepted the portal invitation",
    "accept_reset": "Chose a new portal password",
    "accept_activation": "Set up the portal account with an activation code",
    "request_reset": "Asked for a password-reset email on the portal",
    "claim_account": "Created a portal account for this chart",
    "portal_login": "Signed in to the portal",
    "change_password": "Changed the portal password",
    "portal_login_failed": "A portal sign-in failed",
    "portal_change_password_failed": "A portal password change failed",
    "portal_register_refused": "An online registration was refused",
    "portal_claim_refused": "A portal account claim was refused",
    "portal_link_refused": "An emailed link was refused",
    "portal_activation_refused": "An activation code was refused",
    "update_settings": "Changed clinic settings",
    "bulk_load": "Loaded charts",
    "import_patients": "Imported patients",
    "export_roster": "Exported the portal roster",
    "print_roster": "Printed the portal roster",
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

#: Access events: someone looked at a chart (the History card folds runs of them).
ACCESS_ACTIONS: Final = frozenset({"chart_opened", "chart_printed", "chart_exported"})

#: How each field reads as a label ("Portal access: off → on"); settings use their form captions.
FIELD_WORDS: Final[Mapping[str, str]] = {
    "access_enabled": "Portal access",
    "access_off_reason": "Why off",
    "staff_off_reason": "Reason",
    "username": "Username",
    "must_change_password": "Must change password",
    "locked_until": "Locked until",
    "failed_logins": "Failed sign-ins",
    "status": "Status",
    "email": "Email",
    "zip_code": "ZIP code",
    "phone": "Phone",
    "address_line1": "Address",
    "address_line2": "Address line 2",
    "city": "City",
    "state": "State",
    "preferred_name": "Preferred name",
    "first_name": "First name",
    "last_name": "Last name",
    "date_of_birth": "Date of birth",
    "mrn": "MRN",
    "created_via": "Added by",
    "photo_bytes": "Photo size",
    "media_type": "Photo type",
    "photo": "Photo",
    "kind": "Email",
    "to": "Sent to",
    "expires_at": "Works until",
    "why": "Why",
    "source": "From",
    "full_name": "Full name",
    "role": "Role",
    "active": "Active",
    # an exported or printed portal roster: its filter (never the typed text) and size
    "color": "Portal colour",
    "trouble": "Trouble spot",
    "text_filter": "Narrowed by typed text",
    "descending": "Reverse order",
    "rows": "Charts",
    # A bulk invitation batch (services/bulk_invitations.py) and its patients' entries.
    "batch": "Part of a bulk batch",
    "requested": "Patients asked for",
    "queued": "Invited",
    "skipped": "Skipped",
    "cancelled": "Stopped part-way",
    "queued_ids": "Invited (chart ids)",
    "skipped_ids": "Skipped (chart ids)",
    **SETTING_LABELS,
}

# Names (or parts of names) that mark a secret: its value is never shown or exported.
_SECRET_PARTS: Final = ("password_hash", "token", "hash", "sha256", "secret")
_SECRET_NAMES: Final = frozenset({"password", "smtp_password", "temporary_password", "code"})
# Fields that say nothing to a receptionist.
_UNSAID: Final = frozenset({"email_id", "count"})

_VALUE_WORDS: Final[Mapping[str, Mapping[Any, str]]] = {
    "access_enabled": {True: "on", False: "off"},
    "access_off_reason": {
        codes.OFF_BY_STAFF: "turned off by staff",
        codes.OFF_UNCONFIRMED: "waiting for the registration email's confirmation",
        codes.OFF_NOT_ENABLED: "not turned on",
    },
    "status": {status: status.title() for status in codes.PATIENT_STATUSES},
    "created_via": {
        codes.CREATED_BY_STAFF: "staff",
        codes.CREATED_BY_ONLINE_REGISTRATION: "online registration",
        codes.CREATED_BY_IMPORT: "import",
        codes.CREATED_BY_PHOTO: "photo",
    },
    "kind": {
        codes.INVITATION: "invitation",
        codes.RESET: "password reset",
        codes.CONFIRMATION: "confirmation",
        codes.ACTIVATION: "activation letter",
    },
    # Why the portal refused a patient (services/portal.py, portal_claim.py).
    "why": {
        "wrong_password": "wrong password",
        "account_locked": "account locked",
        "access_off": "portal access is off",
        "too_many_tries": "too many tries from one place",
        "unknown_link": "unknown or old link",
        "chart_exists": "a chart with these details exists",
        "no_match": "no chart matches",
        "several_match": "several charts match",
        "has_username": "the chart already has a username",
        "invalid_input": "incomplete or invalid details",
        "unknown_code": "unknown or mistyped activation code",
        "wrong_date_of_birth": "wrong date of birth",
        "code_used": "the code was already used",
        "code_expired": "the code had expired",
        "code_revoked": "the code had been replaced or cancelled",
    },
}
EMPTY: Final = "(none)"

TimeWords = Callable[[datetime], str]


def minute_words(moment: datetime) -> str:
    """'2026-03-02 10:00' in this computer's time zone."""
    local = moment.astimezone() if moment.tzinfo else moment
    return f"{local:%Y-%m-%d %H:%M}"


def _humanised(code: str) -> str:
    """'issue_activation_code' → 'Issue activation code'."""
    words = code.replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else "Something changed"


def action_words(action: str) -> str:
    """The action in plain words ('portal_access_off' → 'Turned portal access off')."""
    return ACTION_WORDS.get(action) or _humanised(action)


def is_secret(name: str) -> bool:
    """True for a field whose value must never be shown (a password, token or hash)."""
    lowered = name.lower()
    return lowered in _SECRET_NAMES or any(part in lowered for part in _SECRET_PARTS)


def field_words(name: str) -> str:
    """The field's label ('zip_code' → 'ZIP code')."""
    return FIELD_WORDS.get(name) or _humanised(name)


def value_words(name: str, value: Any, time_words: TimeWords = minute_words) -> str:
    """One value as people read it ('(none)' for nothing)."""
    if name == "staff_off_reason":
        return off_reason_label(value) or EMPTY
    if name == "role" and isinstance(value, str):
        return role_label(value)
    known = _VALUE_WORDS.get(name)
    if known is not None and value in known:
        return known[value]
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return time_words(value)
    if isinstance(value, str) and len(value) >= 16 and value[4] == "-" and value[10] in " T":
        try:  # a time stored as text in the entry's JSON
            return time_words(datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, date):
        return f"{value:%m/%d/%Y}"
    return str(value)


def changes(
    before: Mapping[str, Any], after: Mapping[str, Any], time_words: TimeWords = minute_words
) -> list[tuple[str, str, str]]:
    """(label, before, after) for every shown field whose value changed; secrets never.

    A field only in ``after`` (a new chart, a refusal's facts) is listed when it has a value.
    """
    rows = []
    order = {name: place for place, name in enumerate(FIELD_WORDS)}
    names = sorted(dict.fromkeys([*before, *after]), key=lambda name: order.get(name, len(order)))
    for name in names:
        if is_secret(name) or name in _UNSAID:
            continue
        old, new = before.get(name), after.get(name)
        if old == new or (name not in before and new in (None, "")):
            continue
        if name == "access_off_reason" and _said_by_the_switch(before, after):
            continue
        rows.append(
            (field_words(name), value_words(name, old, time_words), value_words(name, new, time_words))
        )
    return rows


def _said_by_the_switch(before: Mapping[str, Any], after: Mapping[str, Any]) -> bool:
    """True when the switch moved and the off-reason only repeats it (staff turned it off, or on)."""
    moved = before.get("access_enabled") != after.get("access_enabled")
    return moved and after.get("access_off_reason") in (None, codes.OFF_BY_STAFF)


def changes_words(
    before: Mapping[str, Any], after: Mapping[str, Any], time_words: TimeWords = minute_words
) -> str:
    """'Portal access: on → off; Reason: Security' (a field that was empty just says its new value)."""
    parts = []
    for label, old, new in changes(before, after, time_words):
        parts.append(f"{label}: {new}" if old == EMPTY else f"{label}: {old} → {new}")
    return "; ".join(parts)
