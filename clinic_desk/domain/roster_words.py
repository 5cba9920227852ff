"""The roster's short words for the reason a row names (one home for them).

The dash says a status in whole sentences (domain/status.py); a roster line has room
for a few words only, so each code the roster names has its short form here.
"""

from __future__ import annotations

from typing import Final

from clinic_desk.domain import codes

ROSTER_REASON_WORDS: Final[dict[str, str]] = {
    codes.PATIENT_DECEASED: "Deceased",
    codes.PATIENT_INACTIVE: "Inactive patient",
    codes.ACCESS_DISABLED_BY_STAFF: "Access turned off by staff",
    codes.REGISTRATION_UNCONFIRMED: "Registration not confirmed",
    codes.MISSING_EMAIL: "No email on file",
    codes.MISSING_ZIP: "No ZIP code on file",
    codes.ACCESS_NOT_ENABLED: "Access not turned on",
    codes.NEVER_LOGGED_IN: "Never logged in",
    codes.HAS_LOGGED_IN: "Has logged in",
    codes.NO_INVITATION_SENT: "Never invited",
    codes.INVITATION_EXPIRED: "Invitation expired",
    codes.EMAIL_DELIVERY_FAILED: "Email could not be delivered",
    codes.ACCOUNT_LOCKED: "Account locked",
    codes.PLACEHOLDER_EMAIL: "Placeholder email",
    codes.EMAIL_POSSIBLE_TYPO: "Email may be mistyped",
    codes.SHARED_EMAIL: "Email shared with another chart",
}


def reason_words(code: str) -> str:
    """The short words for a reason or trouble-spot code (the code itself if unknown)."""
    return ROSTER_REASON_WORDS.get(code, code.replace("_", " ").capitalize())
