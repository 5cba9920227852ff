"""Steps about the patient's contact details: the confirmation email, the address, a missing email or ZIP."""

from __future__ import annotations

from collections.abc import Sequence

from clinic_desk.domain import codes
from clinic_desk.domain.codes import EmailStatus
from clinic_desk.domain.email_checks import same_email
from clinic_desk.domain.troubleshooting.context import PlanContext
from clinic_desk.domain.troubleshooting.plan import (
    ADD_MISSING_DETAILS,
    FIX_EMAIL,
    OFFER_PLACEHOLDER_EMAIL,
    RESEND_CONFIRMATION,
    RESEND_CONFIRMATION_STEP,
    REVIEW_CONFIRMATION_EMAIL,
    UPDATE_CONTACT,
    WHITELIST_ADVICE,
    Detail,
    PlanStep,
    StepField,
)
from clinic_desk.domain.troubleshooting.wording import (
    delivery_details,
    email_word,
    failure_sentence,
    whitelist_details,
    whitelist_words,
)
from clinic_desk.domain.wording import join_words, when


def review_confirmation(ctx: PlanContext) -> PlanStep:
    """Info: where and when the registration confirmation went, and what became of it.

    The words say what it means and what to do; the dates, the address and the delivery are
    the detail rows. A mistyped address is the next step's warning, not repeated here.
    """
    facts = ctx.facts
    sent_to = (facts.confirmation_sent_to or "").strip() or ctx.email
    mail = facts.confirmation_mail
    chose = f" as {ctx.username}" if ctx.username else ""
    parts = [
        f"{ctx.first} registered online{chose} but has not clicked the confirmation link, "
        "so portal access is still off."
    ]
    details = [Detail("Registered", when(facts.registered_at))]
    if mail is not None:
        # What became of the email: waiting to send, delivered, not delivered, cancelled.
        details.append(Detail("Sent to", mail.to))
        details.extend(delivery_details(mail))
        if mail.status == EmailStatus.FAILED:  # the one thing to act on: said in words too
            parts.append(failure_sentence(mail))
    elif sent_to:
        details.append(Detail("Confirmation link for", sent_to))
    if ctx.failed_mail is not None and ctx.failed_mail is not mail:
        parts.append(failure_sentence(ctx.failed_mail))
        details.extend(delivery_details(ctx.failed_mail))
    if sent_to and ctx.email and not same_email(sent_to, ctx.email):
        parts.append(f"The email on file is now {ctx.email}.")
    parts.append("Check the address with the patient: turning access on here confirms the registration.")
    return PlanStep(
        id=REVIEW_CONFIRMATION_EMAIL,
        kind="info",
        title="The registration was not confirmed",
        body=" ".join(parts),
        details=tuple(details),
        addresses=(codes.REGISTRATION_UNCONFIRMED,),
    )


def resend_confirmation(ctx: PlanContext) -> PlanStep:
    """Action (optional, confirmed): queue a new confirmation email to the address on file."""
    email = ctx.email or ""
    sender = ctx.advice.sender_address
    details = [Detail("Send to", email), Detail("From", sender)]
    earlier = (ctx.facts.confirmation_sent_to or "").strip()
    if earlier and not same_email(earlier, email):  # the same address needs no second row
        details.append(Detail("Earlier link sent to", earlier))
    return PlanStep(
        id=RESEND_CONFIRMATION_STEP,
        kind="action",
        title="Send the confirmation email again",
        body=(
            f"If {ctx.first} cannot find the confirmation email, send a new one; the earlier link "
            "then stops working. Or turn portal access on below instead of waiting for the click."
        ),
        action=RESEND_CONFIRMATION,
        details=tuple(details),
        confirm_text=(
            f"Send a new confirmation email to {email}? Read the address back to the patient "
            "first. The link in the earlier email will stop working."
        ),
        optional=True,
        addresses=(codes.REGISTRATION_UNCONFIRMED,),
    )


def fix_email(ctx: PlanContext) -> PlanStep:
    """Form (optional): correct the email, prefilled with a typo suggestion."""
    email = ctx.email or ""
    parts = ["Read the address on file back to the patient, letter by letter."]
    warning = None
    if ctx.typo:
        # The one place the plan names the suggestion: the box below holds it too.
        parts.append("The box holds the suggestion below: save it only if the patient agrees.")
        warning = f"Possible typo: did they mean {ctx.typo}?"
    failed = ctx.failed_mail
    if failed is not None:
        # The tip on the failure says when and why; here only that it happened.
        to_it = "to it" if same_email(failed.to, email) else f"to {failed.to}"
        parts.append(f"The last {email_word(failed.kind)} email {to_it} could not be delivered.")
    parts.append("If the address is right, skip this step.")
    return PlanStep(
        id=FIX_EMAIL,
        kind="form",
        title="Check the email address with the patient",
        body=" ".join(parts),
        action=UPDATE_CONTACT,
        fields=(
            StepField(
                name="email",
                label="Email",
                kind="email",
                prefill=ctx.typo or email,
                suggestion=ctx.typo,
                required=True,
                help="Type the address as the patient spells it.",
            ),
        ),
        details=(Detail("Email on file", email),),
        warning=warning,
        optional=True,
        addresses=ctx.found(
            codes.REGISTRATION_UNCONFIRMED, codes.EMAIL_POSSIBLE_TYPO, codes.EMAIL_DELIVERY_FAILED
        ),
    )


def add_missing_details(ctx: PlanContext, missing: Sequence[str]) -> PlanStep:
    """Form: exactly the missing email and/or ZIP code (``missing`` holds their codes)."""
    words = [
        word
        for code, word in ((codes.MISSING_EMAIL, "email address"), (codes.MISSING_ZIP, "ZIP code"))
        if code in missing
    ]
    fields = []
    if codes.MISSING_EMAIL in missing:
        fields.append(
            StepField(
                name="email",
                label="Email",
                kind="email",
                suggestion=ctx.placeholder_address,
                required=True,
                help="No email? Use the placeholder: the patient then cannot reset their own password.",
            )
        )
    if codes.MISSING_ZIP in missing:
        fields.append(
            StepField(
                name="zip_code",
                label="ZIP code",
                kind="zip_code",
                required=True,
                help="5 digits, like 02139 (or ZIP+4).",
            )
        )
    return PlanStep(
        id=ADD_MISSING_DETAILS,
        kind="form",
        title=f"Add the missing {join_words(words)}",
        body=(
            f"The portal needs an email address and a ZIP code. Ask {ctx.first} for the "
            f"{join_words(words)}. Saving alone leaves portal access off: turn it on next, "
            "or do both at once."
        ),
        action=UPDATE_CONTACT,
        fields=tuple(fields),
        addresses=tuple(missing),
    )


def offer_placeholder(ctx: PlanContext) -> PlanStep:
    """Action (optional, confirmed): save a placeholder email for a patient without one."""
    address = ctx.placeholder_address
    return PlanStep(
        id=OFFER_PLACEHOLDER_EMAIL,
        kind="action",
        title="No email? Use a placeholder address",
        body=(
            f"If {ctx.first} has no email address, save this placeholder instead. Access can then "
            "be turned on, and staff set the username and a temporary password by hand."
        ),
        action=UPDATE_CONTACT,
        fields=(
            StepField(name="email", label="Placeholder email", kind="email", prefill=address, read_only=True),
        ),
        confirm_text=(
            f"Use the placeholder address {address} for {ctx.name}? "
            "They will not be able to reset their own password."
        ),
        warning=(
            "The patient will not be able to reset their own password: every forgotten password "
            "means a call to the front desk."
        ),
        optional=True,
        addresses=(codes.MISSING_EMAIL,),
    )


def whitelist_advice(ctx: PlanContext) -> PlanStep:
    """Info: spam/junk, search for the sender, not spam, whitelist the sender or domain."""
    return PlanStep(
        id=WHITELIST_ADVICE,
        kind="info",
        title="Make sure the clinic's emails arrive",
        body=whitelist_words(ctx.advice, resend=False),
        details=whitelist_details(ctx.advice),
        addresses=(codes.REGISTRATION_UNCONFIRMED,),
    )
