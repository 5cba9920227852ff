"""Steps about invitations: what has been sent, sending one, and the choice of how to get an account."""

from __future__ import annotations

from collections.abc import Sequence

from clinic_desk.domain import codes
from clinic_desk.domain.codes import EmailStatus
from clinic_desk.domain.email_checks import same_email
from clinic_desk.domain.troubleshooting.context import PlanContext
from clinic_desk.domain.troubleshooting.plan import (
    CHOOSE_INVITE_METHOD,
    INVITATION_HISTORY,
    RESEND_INVITATION,
    SEND_INVITATION,
    SEND_INVITATION_STEP,
    ChoiceOption,
    Detail,
    PlanStep,
)
from clinic_desk.domain.troubleshooting.wording import email_sentence, link_sentence, link_words
from clinic_desk.domain.wording import when


def invitation_history(ctx: PlanContext) -> PlanStep:
    """Info (gold): what was sent, when, to which address, expired or failed."""
    facts = ctx.facts
    parts: list[str] = []
    details: list[Detail] = []
    if facts.registered_at is not None:
        confirmed = f", confirmed on {when(facts.confirmed_at)}" if facts.confirmed_at is not None else ""
        parts.append(f"{ctx.first} registered online on {when(facts.registered_at)}{confirmed}.")
        details.append(Detail("Registered online", when(facts.registered_at)))
    link = facts.newest_link
    mail = facts.newest_email
    # A link whose email is still waiting has not gone anywhere yet: the email sentence says so.
    waiting = (
        link is not None and mail is not None and mail.status == EmailStatus.QUEUED and mail.kind == link.kind
    )
    if link is not None and mail is not None and not waiting and mail.kind == link.kind:
        # One sentence for the email and its link; the address is a detail row.
        parts.append(f"{email_sentence(mail, named=False)[:-1]}; its link {link_words(link, ctx.now)}.")
    else:
        if link is not None and not waiting:
            parts.append(link_sentence(link, ctx.now))
        if mail is not None:
            parts.append(email_sentence(mail))
    if waiting:
        parts.append("Its link starts to work, for a limited time, once the email has gone out.")
    if link is not None and ctx.email and not same_email(link.sent_to, ctx.email):
        parts.append("That is not the address on file now.")
        details.append(Detail("Link sent to", link.sent_to))
    if codes.NO_INVITATION_SENT in ctx.spots or (
        link is None and mail is None and not facts.any_invitation_sent and facts.registered_at is None
    ):
        parts.append("No invitation or registration email has ever been sent to this patient.")
    elif not parts:
        parts.append("An invitation was sent before; no details of it are on record.")
    if ctx.username:
        parts.append(f"A username is set ({ctx.username}), but it has never been used to log in.")
    details.append(Detail("Email on file", ctx.email or "none"))
    return PlanStep(
        id=INVITATION_HISTORY,
        kind="info",
        title="What has been sent",
        body=" ".join(parts),
        details=tuple(details),
        addresses=ctx.found(codes.NEVER_LOGGED_IN, codes.NO_INVITATION_SENT, codes.INVITATION_EXPIRED),
    )


def invitation(ctx: PlanContext, *, resend: bool) -> PlanStep:
    """Action (confirmed): email the first invitation, or a new one when ``resend``."""
    email = ctx.email
    target = email or "the email address you add"
    sender = ctx.advice.sender_address
    body = (
        f"{ctx.first} chooses their own username and password from the emailed link: "
        f"ask them to look for it{' now' if resend else ''}."
    )
    if resend:
        body += " The earlier link stops working."
    if ctx.typo:
        body += " Check the address first: it may be mistyped (see above)."
    verb = "Send a new invitation" if resend else "Send the portal invitation"
    return PlanStep(
        id=RESEND_INVITATION if resend else SEND_INVITATION_STEP,
        kind="action",
        title="Send a new invitation" if resend else "Email the invitation",
        body=body,
        action=SEND_INVITATION,
        details=(Detail("Send to", target), Detail("From", sender)),
        confirm_text=(
            f"{verb} to {email}? Read the address back to the patient first."
            if email
            else f"{verb} to {ctx.name}'s email address? Read it back to the patient first."
        ),
        branch_of=CHOOSE_INVITE_METHOD,
        addresses=ctx.found(
            codes.NEVER_LOGGED_IN,
            codes.NO_INVITATION_SENT,
            codes.INVITATION_EXPIRED,
            codes.ACCESS_NOT_ENABLED,
        ),
    )


def invitation_option(invite: PlanStep) -> ChoiceOption:
    """The choice 'email an invitation', leading to the invitation step."""
    return ChoiceOption(
        id=invite.id,
        label="Email an invitation" if invite.id == SEND_INVITATION_STEP else "Send a new invitation",
        description="An emailed link; the patient chooses their own username and password.",
        steps=(invite.id,),
    )


def self_signup_option(guide: PlanStep, check: PlanStep) -> ChoiceOption:
    """The choice 'the patient creates the account', leading to the guide and the match check."""
    return ChoiceOption(
        id="self_signup",
        label="The patient creates the account on the portal",
        description="'I am a registered patient' on the portal, with the details on file.",
        steps=(guide.id, check.id),
    )


def credentials_option(credentials: PlanStep) -> ChoiceOption:
    """The choice 'set a username and temporary password now', leading to the credentials form."""
    return ChoiceOption(
        id=credentials.id,
        label="Set a username and temporary password now",
        description=(
            "For a patient without email: you read out or print a temporary password, or print an "
            "activation letter."
        ),
        steps=(credentials.id,),
    )


def choose_invite_method(ctx: PlanContext, options: Sequence[ChoiceOption]) -> PlanStep:
    """Choice: how the patient gets a username and password; the options name the steps."""
    return PlanStep(
        id=CHOOSE_INVITE_METHOD,
        kind="choice",
        title="How will the patient get a username and password?",
        body=(
            f"{ctx.first} has no portal username yet. Choose one way; its steps follow."
            + (
                " With a placeholder email only a password set by hand or an activation letter works."
                if ctx.email is None
                else ""
            )
        ),
        options=tuple(options),
        addresses=ctx.found(codes.NEVER_LOGGED_IN, codes.NO_INVITATION_SENT),
    )
