"""The tips: advice on each trouble spot that applies, plus the email-delivery advice."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Final

from clinic_desk.domain import codes
from clinic_desk.domain.email_checks import same_email
from clinic_desk.domain.facts import EmailFacts
from clinic_desk.domain.troubleshooting.context import PlanContext
from clinic_desk.domain.troubleshooting.plan import (
    EMAILS_NOT_ARRIVING,
    SEND_INVITATION,
    WHITELIST_ADVICE,
    Detail,
    PlanStep,
    Tip,
)
from clinic_desk.domain.troubleshooting.wording import (
    delivery_details,
    email_word,
    failure_sentence,
    whitelist_details,
    whitelist_words,
)
from clinic_desk.domain.wording import join_words, plural, when


def tips(ctx: PlanContext, steps: Sequence[PlanStep]) -> list[Tip]:
    """A tip per trouble spot, in the status's order, then 'emails not arriving' where it helps."""
    found = [tip_for(ctx, item.code) for item in ctx.status.trouble_spots]
    result = [tip for tip in found if tip is not None]
    has_whitelist_step = any(step.id == WHITELIST_ADVICE for step in steps)
    emails_involved = (
        ctx.facts.any_invitation_sent
        or ctx.facts.confirmation_sent_at is not None
        or ctx.facts.newest_email is not None
        or ctx.facts.newest_link is not None
        or any(step.action == SEND_INVITATION for step in steps)
    )
    if ctx.real_email and emails_involved and not has_whitelist_step:
        result.append(
            Tip(
                id=EMAILS_NOT_ARRIVING,
                title="Emails from the clinic not arriving?",
                body=whitelist_words(ctx.advice, resend=True),
                details=whitelist_details(ctx.advice),
                addresses=ctx.found(codes.EMAIL_DELIVERY_FAILED, codes.INVITATION_EXPIRED),
            )
        )
    return result


def tip_for(ctx: PlanContext, code: str) -> Tip | None:
    """The tip on one trouble spot, or None when there is nothing to say about it."""
    tip = _TIPS.get(code)
    return tip(ctx) if tip is not None else None


def _invitation_expired(ctx: PlanContext) -> Tip | None:
    link = ctx.facts.newest_link
    if link is None:
        return None
    word = email_word(link.kind)
    return Tip(
        id=codes.INVITATION_EXPIRED,
        title=f"The {word} link expired",
        body=f"The {word} link expired unused. Send a new one, and ask {ctx.first} to use the newest email.",
        details=(
            *(
                ()
                if ctx.email and same_email(link.sent_to, ctx.email)
                else (Detail("Sent to", link.sent_to),)
            ),
            Detail("Expired", when(link.expires_at)),
        ),
        addresses=(codes.INVITATION_EXPIRED,),
    )


def _sent_to_if_other(ctx: PlanContext, sent_to: str) -> tuple[Detail, ...]:
    """A "Sent to" row, unless it went to the address on file (another step names that one)."""
    return () if ctx.email and same_email(sent_to, ctx.email) else (Detail("Sent to", sent_to),)


def _email_delivery_failed(ctx: PlanContext) -> Tip | None:
    mail = ctx.failed_mail
    if mail is None:
        return None
    if mail.kind == codes.CONFIRMATION:
        # Staff do not resend a confirmation: turning access on confirms the registration.
        then = "then turn portal access on (that confirms the registration; no link is needed)"
    elif mail.kind == codes.RESET:
        then = "then send a new password-reset email"
    else:
        then = "then send a new invitation"
    return Tip(
        id=codes.EMAIL_DELIVERY_FAILED,
        title="An email could not be delivered",
        body=(
            failure_sentence(mail)
            + " Usually the address is wrong or the mailbox is full or closed: check the address "
            f"with the patient letter by letter, correct it, {then}."
        ),
        # The sentence says when and why; the rows add only what it leaves out.
        details=tuple(
            row
            for row in (*_sent_to_if_other(ctx, mail.to), *delivery_details(mail))
            if row.label != "Delivery"
        ),
        addresses=(codes.EMAIL_DELIVERY_FAILED,),
    )


def _server_reply(mail: EmailFacts) -> tuple[Detail, ...]:
    """The mail server's own reply as a row, when it said more than the plain words."""
    return tuple(row for row in delivery_details(mail) if row.label != "Delivery")


def _placeholder_email(ctx: PlanContext) -> Tip:
    return Tip(
        id=codes.PLACEHOLDER_EMAIL,
        title="Placeholder email",
        body=(
            f"No email can be sent to a placeholder and {ctx.first} cannot reset their own password: "
            "staff set the username and a temporary password by hand. If the patient now has an "
            "email address, replace the placeholder with it."
        ),
        details=(Detail("Email on file", ctx.email or ""),),
        addresses=(codes.PLACEHOLDER_EMAIL,),
    )


def _email_possible_typo(ctx: PlanContext) -> Tip | None:
    if not ctx.typo:
        return None
    return Tip(
        id=codes.EMAIL_POSSIBLE_TYPO,
        title="The email may be mistyped",
        body=f"Mail to a mistyped address never arrives: ask {ctx.first} and correct it.",
        details=(Detail("Did they mean", ctx.typo),),
        addresses=(codes.EMAIL_POSSIBLE_TYPO,),
    )


def _username_is_old_email(ctx: PlanContext) -> Tip | None:
    if not ctx.username:
        return None
    current = ", not their current email" if ctx.email else ""
    return Tip(
        id=codes.USERNAME_IS_OLD_EMAIL,
        title="The username is an old email address",
        body=(
            f"The username is an email address that is no longer the one on file: {ctx.first} "
            f"must type {ctx.username} as the username{current}."
        ),
        details=(Detail("Email on file", ctx.email or "none"),),
        addresses=(codes.USERNAME_IS_OLD_EMAIL,),
    )


def _shared_email(ctx: PlanContext) -> Tip | None:
    shared_with = ctx.facts.shared_with
    if not shared_with:
        return None
    charts = [
        f"{chart.name} (MRN {chart.mrn}, "
        + (f"username {chart.username})" if chart.username else "no username)")
        for chart in shared_with
    ]
    mine = (
        f"{ctx.name}'s own username is {ctx.username}."
        if ctx.username
        else f"{ctx.name} has no username yet."
    )
    return Tip(
        id=codes.SHARED_EMAIL,
        title="Several family members share this email",
        body=(
            f"{plural(len(charts), 'other chart')} {'uses' if len(charts) == 1 else 'use'} the same "
            f"email ({ctx.email}): {join_words(charts)}. {mine} Each person logs in with their "
            "own username: make sure the patient is not typing a family member's."
        ),
        details=tuple(
            Detail(chart.name, f"MRN {chart.mrn}, " + (chart.username or "no username"))
            for chart in shared_with
        ),
        addresses=(codes.SHARED_EMAIL,),
    )


def _account_locked(ctx: PlanContext) -> Tip:
    locked_until = ctx.facts.locked_until
    return Tip(
        id=codes.ACCOUNT_LOCKED,
        title="The account is locked",
        body=(
            "Too many failed logins. Unlock it rather than waiting, and find out why the logins "
            "failed (autofill, an old username, a family member's username)."
        ),
        details=(Detail("Locked until", when(locked_until)),),
        addresses=(codes.ACCOUNT_LOCKED,),
    )


def _recent_failed_logins(ctx: PlanContext) -> Tip:
    facts = ctx.facts
    username = f" ({ctx.username})" if ctx.username else ""
    latest = (Detail("Latest", when(facts.last_failed_login_at)),) if facts.last_failed_login_at else ()
    return Tip(
        id=codes.RECENT_FAILED_LOGINS,
        title="Failed logins: check browser autofill",
        body=(
            f"{plural(facts.failed_logins, 'failed login')} since the last successful one. The browser "
            "often fills in an old username or password: ask the patient to clear the "
            f"username field and type it{username}, and to type the password too."
        ),
        details=(Detail("Failed logins", str(facts.failed_logins)), *latest),
        addresses=(codes.RECENT_FAILED_LOGINS,),
    )


# One tip per trouble spot; a spot missing here gets no tip.
_TIPS: Final[Mapping[str, Callable[[PlanContext], Tip | None]]] = {
    codes.INVITATION_EXPIRED: _invitation_expired,
    codes.EMAIL_DELIVERY_FAILED: _email_delivery_failed,
    codes.PLACEHOLDER_EMAIL: _placeholder_email,
    codes.EMAIL_POSSIBLE_TYPO: _email_possible_typo,
    codes.USERNAME_IS_OLD_EMAIL: _username_is_old_email,
    codes.SHARED_EMAIL: _shared_email,
    codes.ACCOUNT_LOCKED: _account_locked,
    codes.RECENT_FAILED_LOGINS: _recent_failed_logins,
}
