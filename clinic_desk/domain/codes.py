"""Stable strings of the portal-status contract (DESIGN.md section 1)."""

from __future__ import annotations

from enum import StrEnum
from typing import Final, Literal

Color = Literal["red", "gold", "blue"]
RED: Final = "red"
GOLD: Final = "gold"
BLUE: Final = "blue"
COLORS: Final[tuple[Color, ...]] = ("red", "gold", "blue")

# Red reasons, in the order they are always listed.
PATIENT_DECEASED: Final = "patient_deceased"
PATIENT_INACTIVE: Final = "patient_inactive"
ACCESS_DISABLED_BY_STAFF: Final = "access_disabled_by_staff"
REGISTRATION_UNCONFIRMED: Final = "registration_unconfirmed"
MISSING_EMAIL: Final = "missing_email"
MISSING_ZIP: Final = "missing_zip"
ACCESS_NOT_ENABLED: Final = "access_not_enabled"
RED_REASONS: Final = (
    PATIENT_DECEASED,
    PATIENT_INACTIVE,
    ACCESS_DISABLED_BY_STAFF,
    REGISTRATION_UNCONFIRMED,
    MISSING_EMAIL,
    MISSING_ZIP,
    ACCESS_NOT_ENABLED,
)
NEVER_LOGGED_IN: Final = "never_logged_in"
HAS_LOGGED_IN: Final = "has_logged_in"

# Trouble spots, in the order they are always listed.
NO_INVITATION_SENT: Final = "no_invitation_sent"
INVITATION_EXPIRED: Final = "invitation_expired"
EMAIL_DELIVERY_FAILED: Final = "email_delivery_failed"
PLACEHOLDER_EMAIL: Final = "placeholder_email"
EMAIL_POSSIBLE_TYPO: Final = "email_possible_typo"
USERNAME_IS_OLD_EMAIL: Final = "username_is_old_email"
SHARED_EMAIL: Final = "shared_email"
ACCOUNT_LOCKED: Final = "account_locked"
RECENT_FAILED_LOGINS: Final = "recent_failed_logins"
TROUBLE_SPOTS: Final = (
    NO_INVITATION_SENT,
    INVITATION_EXPIRED,
    EMAIL_DELIVERY_FAILED,
    PLACEHOLDER_EMAIL,
    EMAIL_POSSIBLE_TYPO,
    USERNAME_IS_OLD_EMAIL,
    SHARED_EMAIL,
    ACCOUNT_LOCKED,
    RECENT_FAILED_LOGINS,
)

# Patient statuses; only the first two may use the portal.
ACTIVE: Final = "active"
PROSPECTIVE: Final = "prospective"
INACTIVE: Final = "inactive"
DECEASED: Final = "deceased"
PATIENT_STATUSES: Final = (ACTIVE, PROSPECTIVE, INACTIVE, DECEASED)
PORTAL_STATUSES: Final = (ACTIVE, PROSPECTIVE)

# Why the access switch is off (stored on the account when it is off).
OFF_BY_STAFF: Final = "disabled_by_staff"
OFF_UNCONFIRMED: Final = "registration_unconfirmed"
OFF_NOT_ENABLED: Final = "not_enabled"
OFF_REASONS: Final = (OFF_BY_STAFF, OFF_UNCONFIRMED, OFF_NOT_ENABLED)

# Email and link kinds.
CONFIRMATION: Final = "confirmation"
INVITATION: Final = "invitation"
RESET: Final = "reset"
EMAIL_KINDS: Final = (CONFIRMATION, INVITATION, RESET)
# An activation code printed on a letter: a link of its own kind, never emailed (DESIGN.md section 7).
ACTIVATION: Final = "activation"
LINK_KINDS: Final = (*EMAIL_KINDS, ACTIVATION)


class EmailStatus(StrEnum):
    """Where an outbox email is; the values are stable strings."""

    QUEUED = "queued"  # waiting to be sent (or to be tried again)
    SENT = "sent"  # the mail server took it
    FAILED = "failed"  # refused for good
    CANCELLED = "cancelled"  # never sent: what it was for no longer holds (see EndReason)


EMAIL_STATUSES: Final = tuple(EmailStatus)

# Why staff turned portal access off (DESIGN.md section 3, ``set_portal_access(reason=...)``).
OFF_PATIENT_REQUEST: Final = "patient_request"
OFF_PREVENTING_HARM: Final = "preventing_harm"
OFF_SECURITY: Final = "security"
OFF_DECEASED_OR_DUPLICATE: Final = "deceased_or_duplicate"
OFF_OTHER: Final = "other"
STAFF_OFF_REASONS: Final = (
    OFF_PATIENT_REQUEST,
    OFF_PREVENTING_HARM,
    OFF_SECURITY,
    OFF_DECEASED_OR_DUPLICATE,
    OFF_OTHER,
)
# Undoing a switch-off for these needs a manager (issue 12) and always a note.
PROTECTED_OFF_REASONS: Final = (OFF_PREVENTING_HARM, OFF_SECURITY)

# How a chart came to be.
CREATED_BY_STAFF: Final = "staff"
CREATED_BY_ONLINE_REGISTRATION: Final = "online_registration"
CREATED_BY_IMPORT: Final = "import"
CREATED_BY_PHOTO: Final = "photo"
CHART_ORIGINS: Final = (
    CREATED_BY_STAFF,
    CREATED_BY_ONLINE_REGISTRATION,
    CREATED_BY_IMPORT,
    CREATED_BY_PHOTO,
)

# Patient-side events with no account to hang on (portal_events.kind): a failure under a
# username nobody has. Staff see them on the chart whose email or username was typed.
EVENT_SIGN_IN_UNKNOWN_USERNAME: Final = "sign_in_unknown_username"
EVENT_CHANGE_PASSWORD_UNKNOWN_USERNAME: Final = "change_password_unknown_username"
UNKNOWN_USERNAME_EVENTS: Final = (EVENT_SIGN_IN_UNKNOWN_USERNAME, EVENT_CHANGE_PASSWORD_UNKNOWN_USERNAME)
