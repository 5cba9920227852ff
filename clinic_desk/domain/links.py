"""The life of an emailed link (DESIGN.md section 1): the one place that says what state a link is in.

The dash's email card, the tooltip, the wizard, the outbox and the portal all ask
``link_state``; nothing else compares a link's timestamps.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from clinic_desk.domain import codes
from clinic_desk.domain.access import status_allows_portal
from clinic_desk.domain.email_checks import same_email
from clinic_desk.domain.wording import when


class LinkState(StrEnum):
    """Where a link is in its life; the values are stable strings."""

    ACTIVE = "active"  # can still be used
    USED = "used"  # did its job once; never works again
    EXPIRED = "expired"  # ran out unused
    REVOKED = "revoked"  # killed before use (a newer link, credentials set by hand, an unlock...)


class EndReason(StrEnum):
    """Why a link died before use, or a queued email was cancelled (DESIGN.md section 1).

    Stored on the token (``revoke_reason``) and the email (``cancel_reason``); a link that
    ended never works again, whatever happens later.
    """

    REPLACED = "replaced"  # a newer link of the same purpose was issued
    ACCESS_TURNED_OFF = "access_turned_off"
    PATIENT_INACTIVE = "patient_inactive"
    PATIENT_DECEASED = "patient_deceased"
    EMAIL_CHANGED = "email_changed"  # the email on file no longer is the address it went to
    CREDENTIALS_SET_BY_STAFF = "credentials_set_by_staff"
    ACCOUNT_UNLOCKED = "account_unlocked"  # pending password resets end with an unlock
    CONFIRMED_BY_STAFF = "confirmed_by_staff"  # staff confirmed the address and turned access on
    PLACEHOLDER_ADDRESS = "placeholder_address"  # never sent to a placeholder


END_REASON_WORDS: dict[EndReason, str] = {
    EndReason.REPLACED: "a newer email replaced it",
    EndReason.ACCESS_TURNED_OFF: "portal access was turned off",
    EndReason.PATIENT_INACTIVE: "the patient was made inactive",
    EndReason.PATIENT_DECEASED: "the patient was marked deceased",
    EndReason.EMAIL_CHANGED: "the email on file changed",
    EndReason.CREDENTIALS_SET_BY_STAFF: "staff set the username and password by hand",
    EndReason.ACCOUNT_UNLOCKED: "staff unlocked the account",
    EndReason.CONFIRMED_BY_STAFF: "staff confirmed the email and turned access on",
    EndReason.PLACEHOLDER_ADDRESS: "the address is a placeholder",
}


def end_reason_words(reason: str | None) -> str:
    """Why a link or email ended, as the end of a sentence ('a newer email replaced it')."""
    try:
        return END_REASON_WORDS[EndReason(reason or "")]
    except ValueError:
        return "it was cancelled"


def why_email_cannot_go(
    *,
    kind: str,
    to_address: str,
    email_on_file: str | None,
    patient_status: str,
    access_enabled: bool,
    access_off_reason: str | None,
    placeholder: bool,
) -> EndReason | None:
    """Why a queued email must be cancelled instead of sent now, or None when it may go.

    Nothing goes to a placeholder address, a deceased or inactive patient, an address no
    longer on file, or while access is off; the registration confirmation is the one email
    that goes while access is off, and only while it waits for that confirmation
    (DESIGN.md section 1). ``placeholder`` is ``is_placeholder(to_address, ...)``.
    """
    if placeholder:
        return EndReason.PLACEHOLDER_ADDRESS
    if not status_allows_portal(patient_status):
        return EndReason.PATIENT_DECEASED if patient_status == codes.DECEASED else EndReason.PATIENT_INACTIVE
    if not same_email(to_address, email_on_file):
        return EndReason.EMAIL_CHANGED
    waiting_for_confirmation = access_off_reason == codes.OFF_UNCONFIRMED
    if not access_enabled and not (kind == codes.CONFIRMATION and waiting_for_confirmation):
        return EndReason.ACCESS_TURNED_OFF
    return None


def link_state(
    *, used_at: datetime | None, revoked_at: datetime | None, expires_at: datetime, now: datetime
) -> LinkState:
    """The state of a link at ``now``. Used and revoked are final; expiry is checked last."""
    if used_at is not None:
        return LinkState.USED
    if revoked_at is not None:
        return LinkState.REVOKED
    if expires_at <= now:
        return LinkState.EXPIRED
    return LinkState.ACTIVE


def link_state_words(
    state: LinkState,
    *,
    used_at: datetime | None,
    revoked_at: datetime | None,
    expires_at: datetime,
    revoke_reason: str | None = None,
) -> str:
    """The state as the end of a sentence: 'used on ...', 'valid until ...'."""
    if state is LinkState.USED:
        return f"used on {when(used_at)}"
    if state is LinkState.REVOKED:
        why = f" because {end_reason_words(revoke_reason)}" if revoke_reason else ""
        return f"cancelled on {when(revoked_at)}{why}"
    if state is LinkState.EXPIRED:
        return f"expired unused on {when(expires_at)}"
    return f"valid until {when(expires_at)}"
