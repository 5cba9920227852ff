"""Steps about the patient's portal account: the summary, a lock, logging in, credentials, a reset."""

from __future__ import annotations

from typing import Final

from clinic_desk.domain import codes
from clinic_desk.domain.troubleshooting.context import PlanContext
from clinic_desk.domain.troubleshooting.credentials import generate_username
from clinic_desk.domain.troubleshooting.plan import (
    ACCOUNT_SUMMARY,
    SEND_INVITATION,
    SEND_PASSWORD_RESET,
    SET_CREDENTIALS,
    SET_CREDENTIALS_STEP,
    TELL_PATIENT_TO_LOG_IN,
    UNLOCK_ACCOUNT,
    UNLOCK_ACCOUNT_STEP,
    Detail,
    PlanStep,
    StepField,
)
from clinic_desk.domain.wording import plural, when


def account_summary(ctx: PlanContext) -> PlanStep:
    """Info (blue): username, last login, failed logins, lock."""
    facts = ctx.facts
    details = [
        Detail("Username", ctx.username or "none"),
        Detail("Last login", when(facts.last_login_at) if facts.last_login_at else "unknown"),
        Detail("Logins in all", str(facts.login_count)),
        Detail("Failed logins since then", str(facts.failed_logins)),
    ]
    parts = [f"{ctx.first} has used the portal" + (f" as {ctx.username}." if ctx.username else ".")]
    if facts.failed_logins:
        latest = f", the latest on {when(facts.last_failed_login_at)}" if facts.last_failed_login_at else ""
        parts.append(f"{plural(facts.failed_logins, 'failed login')} since then{latest}.")
    else:
        parts.append("No failed logins since then.")
    if codes.ACCOUNT_LOCKED in ctx.spots:
        parts.append("The account is locked (see below).")  # the unlock step says until when
    if facts.must_change_password:
        parts.append("They still have to replace the temporary password they were given.")
    return PlanStep(
        id=ACCOUNT_SUMMARY,
        kind="info",
        title="The patient's portal account",
        body=" ".join(parts),
        details=tuple(details),
        addresses=(codes.HAS_LOGGED_IN,),
    )


def unlock(ctx: PlanContext) -> PlanStep:
    """Action (confirmed): clear a lockout."""
    facts = ctx.facts
    return PlanStep(
        id=UNLOCK_ACCOUNT_STEP,
        kind="action",
        title="Unlock the account",
        body=(
            f"Unlock it now so {ctx.first} can try again, and ask them to type the username and "
            "password instead of letting the browser fill them in."
        ),
        action=UNLOCK_ACCOUNT,
        details=(
            Detail("Locked until", when(facts.locked_until)),
            Detail("Failed logins", str(facts.failed_logins)),
        ),
        confirm_text=f"Unlock {ctx.name}'s portal account now?",
        addresses=(codes.ACCOUNT_LOCKED,),
    )


def tell_to_log_in(ctx: PlanContext) -> PlanStep:
    """Info: what to tell the patient so they can log in now."""
    portal = ctx.advice.portal
    tell = "Once portal access is on, tell" if ctx.status.color == "red" else "Tell"
    if ctx.unconfirmed:
        chosen = (
            f"the username they chose when registering ({ctx.username})"
            if ctx.username
            else "the username they chose when registering"
        )
        body = (
            f"Once access is on, {ctx.first} can log in now at {portal} with {chosen} and their own "
            "password. No new email is needed."
        )
    else:
        password = (
            "the temporary password they were given; the portal then asks them to choose their own"
            if ctx.facts.must_change_password
            else "their own password"
        )
        body = f"{tell} {ctx.first} to log in at {portal} with the username {ctx.username} and {password}."
    if ctx.username and codes.USERNAME_IS_OLD_EMAIL in ctx.spots:
        body += (
            f" The username is an old email address: they must type {ctx.username} exactly, "
            "not their current email."
        )
    if not ctx.unconfirmed:
        if ctx.real_email:
            body += " If they forgot the password, send a password-reset email (next step)."
        elif ctx.placeholder:
            body += " If they lost the password, set a new temporary one (next step)."
    return PlanStep(
        id=TELL_PATIENT_TO_LOG_IN,
        kind="info",
        title="Tell the patient how to log in",
        body=body,
        details=(Detail("Username", ctx.username or "the one they chose"),),
        addresses=ctx.found(
            codes.REGISTRATION_UNCONFIRMED,
            codes.NEVER_LOGGED_IN,
            codes.NO_INVITATION_SENT,
            codes.USERNAME_IS_OLD_EMAIL,
        ),
    )


#: Beside the username and password set by hand, for a patient without a real email.
LETTER_OFFER: Final = (
    "Or print an activation letter: the patient enters its one-use code and their date of birth "
    "on the portal and chooses their own username and password."
)


def set_credentials(ctx: PlanContext, *, branch_of: str | None, optional: bool) -> PlanStep:
    """Form (confirmed): username and a temporary password, shown once; without a real email,
    an activation letter is offered beside it."""
    username = ctx.username or generate_username(ctx.facts.first_name, ctx.facts.last_name)
    if ctx.placeholder:
        body = (
            f"{ctx.name}'s email ({ctx.email}) is a placeholder, so no invitation or reset email "
            "can be sent. "
        )
    else:
        body = ""
    if ctx.username:
        body += f"Set a new temporary password for the username {ctx.username} if the patient lost theirs."
        confirm = f"Replace {ctx.name}'s password with a new temporary one?"
    else:
        body += "Give the patient a username and a temporary password."
        confirm = f"Set the username and a temporary password for {ctx.name}?"
    body += " They change it at first login."
    confirm += " The patient must change the password at first login."
    return PlanStep(
        id=SET_CREDENTIALS_STEP,
        kind="form",
        title="Set a username and temporary password" if not ctx.username else "Set a temporary password",
        body=body,
        action=SET_CREDENTIALS,
        fields=(
            StepField(
                name="username",
                label="Username",
                kind="username",
                prefill=username,
                suggestion=None if ctx.username else username,
                read_only=ctx.username is not None,
            ),
            StepField(
                name="password",
                label="Temporary password",
                kind="temporary_password",
                help="Made for you when you confirm.",
            ),
        ),
        confirm_text=confirm,
        warning="The temporary password is shown only once: copy or print it before closing the panel.",
        optional=optional,
        branch_of=branch_of,
        addresses=ctx.found(codes.PLACEHOLDER_EMAIL, codes.NEVER_LOGGED_IN, codes.NO_INVITATION_SENT),
        letter_offer=None if ctx.real_email else LETTER_OFFER,
    )


def password_reset(ctx: PlanContext) -> PlanStep:
    """Action (optional, confirmed): email a password-reset link."""
    email = ctx.email or ""
    body = (
        f"If {ctx.first} forgot the password, send a password-reset email: its link lets them "
        "choose a new one. The username stays the same."
    )
    if ctx.typo:
        body += " Check the address first: it may be mistyped."
    return PlanStep(
        id=SEND_PASSWORD_RESET,
        kind="action",
        title="Send a password-reset email",
        body=body,
        action=SEND_INVITATION,
        details=(Detail("Send to", email), Detail("From", ctx.advice.sender_address)),
        confirm_text=f"Send a password-reset email to {email}? Read the address back to the patient first.",
        optional=True,
        addresses=ctx.found(codes.INVITATION_EXPIRED, codes.RECENT_FAILED_LOGINS),
    )
