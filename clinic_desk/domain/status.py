"""Portal status evaluation: plain facts in, colour and reasons out (DESIGN.md section 1)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from clinic_desk.domain import codes
from clinic_desk.domain.access import color_from, has_logged_in, red_reason_codes
from clinic_desk.domain.codes import Color
from clinic_desk.domain.email_checks import (
    is_placeholder,
    same_email,
    suggest_email,
)
from clinic_desk.domain.facts import PortalFacts
from clinic_desk.domain.mail_words import delivery_words
from clinic_desk.domain.status_item import StatusItem as StatusItem  # re-exported: the status's parts
from clinic_desk.domain.status_item import make_item
from clinic_desk.domain.switch_off import off_reason_words
from clinic_desk.domain.trouble_spots import trouble_spots
from clinic_desk.domain.wording import join_words, plural, when


@dataclass(frozen=True)
class PortalStatus:
    """The colour of the secure-message icon and why."""

    patient_id: int
    color: Color
    headline: str
    reasons: tuple[StatusItem, ...]
    trouble_spots: tuple[StatusItem, ...]
    evaluated_at: datetime

    @property
    def reason_codes(self) -> tuple[str, ...]:
        """The reason codes, in contract order."""
        return tuple(item.code for item in self.reasons)

    @property
    def trouble_codes(self) -> tuple[str, ...]:
        """The trouble-spot codes, in contract order."""
        return tuple(item.code for item in self.trouble_spots)

    def reason(self, code: str) -> StatusItem | None:
        """The reason with this code, or None."""
        return next((item for item in self.reasons if item.code == code), None)

    def trouble(self, code: str) -> StatusItem | None:
        """The trouble spot with this code, or None."""
        return next((item for item in self.trouble_spots if item.code == code), None)


@dataclass(frozen=True)
class _Inputs:
    patient_status: str
    access_enabled: bool
    access_off_reason: str | None
    email: str | None
    zip_code: str | None


def color_of(
    *,
    patient_status: str,
    access_enabled: bool,
    email: str | None,
    zip_code: str | None,
    has_logged_in: bool,
    access_off_reason: str | None = None,
) -> Color:
    """The colour alone, from the rule table in ``domain.access`` (as the SQL colour is)."""
    inputs = _Inputs(patient_status, access_enabled, access_off_reason, email, zip_code)
    return color_from(red_reason_codes(inputs), has_logged_in)


def evaluate(facts: PortalFacts, now: datetime) -> PortalStatus:
    """Work out the portal status of one patient at ``now``."""
    red_codes = red_reason_codes(facts)
    logged_in = has_logged_in(facts.last_login_at, facts.login_count)
    color = color_from(red_codes, logged_in)
    reasons = [_RED_REASON_WORDS[code](facts) for code in red_codes]
    if color == "gold":
        reasons.append(
            make_item(
                codes.NEVER_LOGGED_IN,
                "Portal access is on, but the patient has never logged in"
                + (f" (username {facts.username})." if facts.username else " and has no username yet."),
                username=facts.username,
                access_turned_on_by=facts.access_changed_by,
                access_turned_on_at=facts.access_changed_at,
            )
        )
    elif color == "blue":
        reasons.append(
            make_item(
                codes.HAS_LOGGED_IN,
                f"The patient last logged in on {when(facts.last_login_at)}"
                + (f" as {facts.username}" if facts.username else "")
                + f" ({plural(facts.login_count, 'login')} in all).",
                username=facts.username,
                last_login_at=facts.last_login_at,
                login_count=facts.login_count,
            )
        )
    return PortalStatus(
        patient_id=facts.patient_id,
        color=color,
        headline=_headline(color, reasons),
        reasons=tuple(reasons),
        trouble_spots=tuple(trouble_spots(facts, now, logged_in)),
        evaluated_at=now,
    )


_RED_HEADLINES = {
    codes.PATIENT_DECEASED: "Portal access is off: the patient is deceased",
    codes.PATIENT_INACTIVE: "Portal access is off: the patient is inactive",
    codes.ACCESS_DISABLED_BY_STAFF: "Portal access is off: turned off by staff",
    codes.REGISTRATION_UNCONFIRMED: "Portal access is off: online registration not confirmed",
    codes.ACCESS_NOT_ENABLED: "Portal access is off: it has not been turned on",
}


def _headline(color: Color, reasons: list[StatusItem]) -> str:
    if color == "gold":
        return "Portal access is on, but the patient has never logged in"
    if color == "blue":
        return "Portal access is on and the patient has logged in"
    found = [item.code for item in reasons]
    missing = [
        word
        for code, word in ((codes.MISSING_EMAIL, "email"), (codes.MISSING_ZIP, "ZIP code"))
        if code in found
    ]
    for item in reasons:
        code = item.code
        if code in (codes.MISSING_EMAIL, codes.MISSING_ZIP):
            return f"Portal access is off: {join_words(missing)} missing"
        if code == codes.ACCESS_NOT_ENABLED and item.facts.get("changed_at") is not None:
            # It was on before: a status change turned it off (DESIGN.md section 1).
            return "Portal access is off: it was turned off when the patient's status changed"
        if code in _RED_HEADLINES:
            return _RED_HEADLINES[code]
    return "Portal access is off"


def _deceased(facts: PortalFacts) -> StatusItem:
    return make_item(
        codes.PATIENT_DECEASED,
        "The patient is marked deceased. Portal access stays off for deceased patients.",
        patient_status=facts.patient_status,
    )


def _inactive(facts: PortalFacts) -> StatusItem:
    return make_item(
        codes.PATIENT_INACTIVE,
        "The patient is marked inactive. Make the patient active again before turning portal access on.",
        patient_status=facts.patient_status,
    )


def _missing_email(facts: PortalFacts) -> StatusItem:
    return make_item(
        codes.MISSING_EMAIL,
        "No email address is on file. The portal needs one (a placeholder address "
        "will do if the patient has none).",
        brief="No email address is on file.",
    )


def _missing_zip(facts: PortalFacts) -> StatusItem:
    return make_item(codes.MISSING_ZIP, "No ZIP code is on file. The portal needs one.")


def _disabled_by_staff(facts: PortalFacts) -> StatusItem:
    who = facts.access_changed_by or "a staff member"
    why = off_reason_words(facts.staff_off_reason)
    message = f"Portal access was turned off by {who} on {when(facts.access_changed_at)}"
    message += f" {why}." if why else "."
    if facts.access_note:
        message += f' Their note: "{facts.access_note.strip().rstrip(".")}".'
    return make_item(
        codes.ACCESS_DISABLED_BY_STAFF,
        message,
        disabled_by=facts.access_changed_by,
        disabled_at=facts.access_changed_at,
        note=facts.access_note,
        reason=facts.staff_off_reason,
        reason_words=why,
    )


def _unconfirmed(facts: PortalFacts) -> StatusItem:
    email = (facts.email or "").strip() or None
    sent_to = (facts.confirmation_sent_to or email or "").strip() or None
    mail = facts.confirmation_mail
    message = (
        f"The patient registered online on {when(facts.registered_at)} but has not clicked "
        "the link in the confirmation email."
    )
    brief = message
    if mail is not None:
        message += f" The confirmation email to {mail.to} {delivery_words(mail)}."
    elif sent_to:
        message += f" Its link was made for {sent_to}"
        message += f" on {when(facts.confirmation_sent_at)}." if facts.confirmation_sent_at else "."
    moved = sent_to is not None and email is not None and not same_email(sent_to, email)
    if moved:
        message += f" The email on file is now {email}."
    # Only the address on file can still be mistyped: a corrected one needs no warning.
    suggestion = (
        suggest_email(email)
        if email and not is_placeholder(email, facts.placeholder_domain, facts.placeholder_addresses)
        else None
    )
    if suggestion:
        message += f" The address may be mistyped: did they mean {suggestion}?"
    return make_item(
        codes.REGISTRATION_UNCONFIRMED,
        message,
        brief=brief,
        registered_at=facts.registered_at,
        confirmation_sent_to=sent_to,
        confirmation_sent_at=facts.confirmation_sent_at,
        confirmation_status=mail.status if mail is not None else None,
        username=facts.username,
        suggestion=suggestion,
    )


def _not_enabled(facts: PortalFacts) -> StatusItem:
    why = "it was never turned on"
    if facts.access_changed_at is not None:
        who = f" by {facts.access_changed_by}" if facts.access_changed_by else ""
        why = (
            f"it was turned off{who} on {when(facts.access_changed_at)} when the patient's "
            "status changed, and has not been turned back on"
        )
    return make_item(
        codes.ACCESS_NOT_ENABLED,
        f"The 'patient can access portal' switch is off: {why}.",
        changed_by=facts.access_changed_by,
        changed_at=facts.access_changed_at,
    )


# The words for each red reason; *whether* it holds is decided by domain.access.RED_RULES.
_RED_REASON_WORDS: Mapping[str, Callable[[PortalFacts], StatusItem]] = MappingProxyType(
    {
        codes.PATIENT_DECEASED: _deceased,
        codes.PATIENT_INACTIVE: _inactive,
        codes.ACCESS_DISABLED_BY_STAFF: _disabled_by_staff,
        codes.REGISTRATION_UNCONFIRMED: _unconfirmed,
        codes.MISSING_EMAIL: _missing_email,
        codes.MISSING_ZIP: _missing_zip,
        codes.ACCESS_NOT_ENABLED: _not_enabled,
    }
)
