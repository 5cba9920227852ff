"""A patient's trouble spots (DESIGN.md section 1): what may stop them even with access on.

Also the rules the kept counts share with them (db/status_counts.py): no invitation sent, the
chart's email troubles, a shared email.
"""

from __future__ import annotations

from datetime import datetime

from clinic_desk.domain import codes
from clinic_desk.domain.codes import EmailStatus
from clinic_desk.domain.email_checks import (
    domain_of,
    is_placeholder,
    looks_like_email,
    same_email,
    suggest_email,
)
from clinic_desk.domain.facts import PortalFacts
from clinic_desk.domain.mail_words import failure_words
from clinic_desk.domain.status_item import StatusItem, make_item
from clinic_desk.domain.wording import join_words, plural, when

_KIND_WORDS = {
    codes.CONFIRMATION: "registration confirmation",
    codes.INVITATION: "invitation",
    codes.RESET: "password reset",
}


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


def trouble_spots(facts: PortalFacts, now: datetime, has_logged_in: bool) -> list[StatusItem]:
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
            make_item(
                codes.NO_INVITATION_SENT, message, username=facts.username, username_set_by_staff=by_staff
            )
        )

    link = facts.newest_link
    if link is not None and link.kind in (codes.INVITATION, codes.RESET) and link.expired(now):
        word = "invitation" if link.kind == codes.INVITATION else "password-reset"
        spots.append(
            make_item(
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
            make_item(
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
            make_item(
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
                make_item(
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
            make_item(
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
            make_item(
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
            make_item(
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
            make_item(
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
