"""Portal status evaluation: plain facts in, colour and reasons out (DESIGN.md section 1)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from clinic_desk.domain import codes
from clinic_desk.domain.access import color_from, has_logged_in, red_reason_codes
from clinic_desk.domain.codes import Color, EmailStatus
from clinic_desk.domain.email_checks import (
    domain_of,
    is_placeholder,
    looks_like_email,
    same_email,
    suggest_email,
)
from clinic_desk.domain.facts import PortalFacts
from clinic_desk.domain.mail_words import delivery_words, failure_words
from clinic_desk.domain.switch_off import off_reason_words
from clinic_desk.domain.wording import join_words, plural, when


@dataclass(frozen=True)
class StatusItem:
    """One reason or trouble spot: a stable code, plain words, and the facts behind them."""

    code: str
    message: str
    facts: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    brief: str = ""  # the message's gist, where the wizard's steps give the rest (else the message)

    @property
    def gist(self) -> str:
        """The short form: ``brief`` when set, else the whole message."""
        return self.brief or self.message


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


def _item(code: str, message: str, *, brief: str = "", **facts: Any) -> StatusItem:
    return StatusItem(code=code, message=message, facts=MappingProxyType(facts), brief=brief)


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
            _item(
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
            _item(
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
        trouble_spots=tuple(_trouble_spots(facts, now, logged_in)),
        evaluated_at=now,
    )


_KIND_WORDS = {
    codes.CONFIRMATION: "registration confirmation",
    codes.INVITATION: "invitation",
    codes.RESET: "password reset",
}

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
    return _item(
        codes.PATIENT_DECEASED,
        "The patient is marked deceased. Portal access stays off for deceased patients.",
        patient_status=facts.patient_status,
    )


def _inactive(facts: PortalFacts) -> StatusItem:
    return _item(
        codes.PATIENT_INACTIVE,
        "The patient is marked inactive. Make the patient active again before turning portal access on.",
        patient_status=facts.patient_status,
    )


def _missing_email(facts: PortalFacts) -> StatusItem:
    return _item(
        codes.MISSING_EMAIL,
        "No email address is on file. The portal needs one (a placeholder address "
        "will do if the patient has none).",
        brief="No email address is on file.",
    )


def _missing_zip(facts: PortalFacts) -> StatusItem:
    return _item(codes.MISSING_ZIP, "No ZIP code is on file. The portal needs one.")


def _disabled_by_staff(facts: PortalFacts) -> StatusItem:
    who = facts.access_changed_by or "a staff member"
    why = off_reason_words(facts.staff_off_reason)
    message = f"Portal access was turned off by {who} on {when(facts.access_changed_at)}"
    message += f" {why}." if why else "."
    if facts.access_note:
        message += f' Their note: "{facts.access_note.strip().rstrip(".")}".'
    return _item(
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
    return _item(
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
    return _item(
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


def lacks_invitation(access_enabled: bool, logged_in: bool, invited: bool) -> bool:
    """The ``no_invitation_sent`` trouble spot: access on, never logged in, nothing ever sent."""
    return access_enabled and not logged_in and not invited


def chart_email_troubles(
    email_on_file: str | None,
    username: str | None,
    placeholder_domain: str,
    placeholder_addresses: tuple[str, ...],
) -> tuple[str, ...]:
    """The trouble spots read from the chart's own email and username alone, in contract order.

    (``placeholder_email``, ``email_possible_typo``, ``username_is_old_email``.) The
    icon and the clinic-wide counts both decide them here.
    """
    email = (email_on_file or "").strip() or None
    found: list[str] = []
    if is_placeholder(email, placeholder_domain, placeholder_addresses):
        found.append(codes.PLACEHOLDER_EMAIL)
    elif email and suggest_email(email):
        found.append(codes.EMAIL_POSSIBLE_TYPO)
    if username and looks_like_email(username) and not same_email(username, email):
        found.append(codes.USERNAME_IS_OLD_EMAIL)
    return tuple(found)


def has_shared_email(
    email_on_file: str | None,
    others_have_it: bool,
    placeholder_domain: str,
    placeholder_addresses: tuple[str, ...],
) -> bool:
    """The ``shared_email`` trouble spot: a real email on file that other charts have too."""
    email = (email_on_file or "").strip() or None
    return (
        bool(email)
        and others_have_it
        and not is_placeholder(email, placeholder_domain, placeholder_addresses)
    )


def _trouble_spots(facts: PortalFacts, now: datetime, has_logged_in: bool) -> list[StatusItem]:
    spots: list[StatusItem] = []
    email = (facts.email or "").strip() or None
    own = chart_email_troubles(
        facts.email, facts.username, facts.placeholder_domain, facts.placeholder_addresses
    )

    # A confirmation email counts: a registration email went out.
    invited = facts.any_invitation_sent or facts.confirmation_sent_at is not None
    if lacks_invitation(facts.access_enabled, has_logged_in, invited):
        message = "No invitation or registration email has ever been sent to this patient."
        # Staff's hand-set credentials carry a temporary password; a claimed account does not.
        by_staff = bool(facts.username) and facts.must_change_password
        if by_staff:
            message += f" Staff set the username ({facts.username}) and a temporary password by hand."
        elif facts.username:
            message += f" The patient chose the username {facts.username} on the portal."
        spots.append(
            _item(codes.NO_INVITATION_SENT, message, username=facts.username, username_set_by_staff=by_staff)
        )

    link = facts.newest_link
    if link is not None and link.kind in (codes.INVITATION, codes.RESET) and link.expired(now):
        word = "invitation" if link.kind == codes.INVITATION else "password-reset"
        spots.append(
            _item(
                codes.INVITATION_EXPIRED,
                f"The newest {word} link, sent to {link.sent_to} on {when(link.created_at)}, "
                f"expired unused on {when(link.expires_at)}.",
                kind=link.kind,
                sent_to=link.sent_to,
                sent_at=link.created_at,
                expired_at=link.expires_at,
            )
        )

    mail = facts.newest_email
    if mail is not None and mail.status == EmailStatus.FAILED:
        # Plain words here; the server's own reply stays in the facts (and the details view).
        reason = failure_words(mail.failure_reason)
        spots.append(
            _item(
                codes.EMAIL_DELIVERY_FAILED,
                f"The newest email ({_KIND_WORDS.get(mail.kind, mail.kind)}) to {mail.to} could not "
                f"be delivered on {when(mail.failed_at)}: {reason}.",
                kind=mail.kind,
                to=mail.to,
                failed_at=mail.failed_at,
                failure_reason=mail.failure_reason,
                failure_words=reason,
            )
        )

    if codes.PLACEHOLDER_EMAIL in own:
        spots.append(
            _item(
                codes.PLACEHOLDER_EMAIL,
                f"The email on file ({email}) is a placeholder: no email can be sent to it and "
                "the patient cannot reset their own password. Staff must set the username "
                "and password by hand.",
                email=email,
                placeholder_domain=facts.placeholder_domain,
            )
        )
    elif email and codes.EMAIL_POSSIBLE_TYPO in own:
        suggestion = suggest_email(email)
        if suggestion:
            spots.append(
                _item(
                    codes.EMAIL_POSSIBLE_TYPO,
                    f"The email on file ({email}) may be mistyped: "
                    f"{domain_of(email)} looks like {domain_of(suggestion)}. "
                    f"Did the patient mean {suggestion}?",
                    email=email,
                    suggestion=suggestion,
                )
            )

    if codes.USERNAME_IS_OLD_EMAIL in own:
        spots.append(
            _item(
                codes.USERNAME_IS_OLD_EMAIL,
                f"The username is {facts.username}, an email address that is not the one on "
                "file. The patient may be typing their current email as the username.",
                username=facts.username,
                email=email,
            )
        )

    if has_shared_email(
        facts.email, bool(facts.shared_with), facts.placeholder_domain, facts.placeholder_addresses
    ):
        others = [
            chart.name + (f" (username {chart.username})" if chart.username else " (no username)")
            for chart in facts.shared_with
        ]
        mine = (
            f"This patient's username is {facts.username}."
            if facts.username
            else ("This patient has no username yet.")
        )
        spots.append(
            _item(
                codes.SHARED_EMAIL,
                f"{plural(len(others), 'other chart')} {'uses' if len(others) == 1 else 'use'} "
                f"the same email: {join_words(others)}. "
                f"{mine} Make sure the patient logs in with their own username.",
                email=email,
                username=facts.username,
                charts=tuple(
                    {
                        "patient_id": chart.patient_id,
                        "name": chart.name,
                        "mrn": chart.mrn,
                        "username": chart.username,
                    }
                    for chart in facts.shared_with
                ),
            )
        )

    if facts.locked_until is not None and facts.locked_until > now:
        spots.append(
            _item(
                codes.ACCOUNT_LOCKED,
                f"The account is locked after too many failed logins until "
                f"{when(facts.locked_until)}. Staff can unlock it now.",
                locked_until=facts.locked_until,
                failed_logins=facts.failed_logins,
            )
        )

    if facts.failed_logins > 0 or facts.unknown_username_failures > 0:
        said: list[str] = []
        if facts.failed_logins > 0:
            said.append(
                f"{plural(facts.failed_logins, 'failed login')} since the last successful one"
                + (
                    f", the latest on {when(facts.last_failed_login_at)}"
                    if facts.last_failed_login_at
                    else ""
                )
                + "."
            )
        typed = facts.unknown_username_typed
        if facts.unknown_username_failures > 0 and typed:
            attempts = plural(facts.unknown_username_failures, "sign-in attempt")
            if facts.username and typed == facts.username.lower():
                said.append(f"{attempts} used {typed} as the username before it was this patient's.")
            else:
                whose = (
                    f"the username is {facts.username}"
                    if facts.username
                    else "this patient has no username yet"
                )
                said.append(f"{attempts} used {typed} as the username ({whose}).")
        spots.append(
            _item(
                codes.RECENT_FAILED_LOGINS,
                " ".join(said) + " Browser autofill of an old username or password is the usual cause.",
                failed_logins=facts.failed_logins,
                last_failed_login_at=facts.last_failed_login_at,
                last_login_at=facts.last_login_at,
                unknown_username_failures=facts.unknown_username_failures,
                unknown_username_typed=typed,
                unknown_username_last_at=facts.unknown_username_last_at,
            )
        )
    return spots
