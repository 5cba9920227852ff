"""Steps about the patient's status and the portal access switch: why it is off, how to turn it on."""

from __future__ import annotations

from clinic_desk.domain import codes
from clinic_desk.domain.switch_off import off_reason_label, off_reason_words
from clinic_desk.domain.troubleshooting.context import PlanContext
from clinic_desk.domain.troubleshooting.plan import (
    EXPLAIN_DECEASED,
    REACTIVATE_PATIENT,
    REENABLE_ACCESS,
    SET_PATIENT_STATUS_ACTIVE,
    SET_PORTAL_ACCESS_ON,
    TURN_ACCESS_ON,
    Detail,
    PlanStep,
    StepField,
)
from clinic_desk.domain.troubleshooting.wording import quoted
from clinic_desk.domain.wording import join_words, when


def explain_deceased(ctx: PlanContext) -> PlanStep:
    """Info: portal access stays off for a deceased patient; nothing to do."""
    return PlanStep(
        id=EXPLAIN_DECEASED,
        kind="info",
        title="Portal access stays off",
        body=(
            f"{ctx.name} is marked deceased. Portal access stays off for deceased patients and "
            "cannot be turned on, so there is nothing to fix here. Requests for the patient's "
            "records go through the clinic's records process, not the portal."
        ),
        addresses=tuple(ctx.status.reason_codes),
    )


def reactivate(ctx: PlanContext) -> PlanStep:
    """Action (confirmed): make an inactive patient active."""
    body = (
        f"Only active and prospective patients can use the portal. If {ctx.first} is coming back "
        "to the clinic, make them active again, then continue with the next steps."
    )
    if ctx.facts.access_note and codes.ACCESS_NOT_ENABLED in ctx.reasons:
        body += " (Portal access was turned off then: " + quoted(ctx.facts.access_note) + ")"
    return PlanStep(
        id=REACTIVATE_PATIENT,
        kind="action",
        title="Make the patient active again",
        body=body,
        action=SET_PATIENT_STATUS_ACTIVE,
        confirm_text=f"Make {ctx.name} active again?",
        details=(Detail("Patient status", ctx.facts.patient_status),),
        addresses=(codes.PATIENT_INACTIVE,),
    )


def _after_earlier_steps(ctx: PlanContext) -> str:
    """' Do this after making the patient active and adding the missing details.', or ''."""
    pending = []
    if codes.PATIENT_INACTIVE in ctx.reasons:
        pending.append("making the patient active")
    if codes.MISSING_EMAIL in ctx.reasons or codes.MISSING_ZIP in ctx.reasons:
        pending.append("adding the missing details")
    return f" Do this after {join_words(pending)}." if pending else ""


def reenable_access(ctx: PlanContext) -> PlanStep:
    """Action with a required note: undo a staff member's switch-off."""
    facts = ctx.facts
    who = facts.access_changed_by or "a staff member"
    note = (facts.access_note or "").strip()
    why = off_reason_words(facts.staff_off_reason)
    label = off_reason_label(facts.staff_off_reason)
    body = (
        f"Portal access was turned off by {who} on {when(facts.access_changed_at)}"
        + (f" {why}. " if why else ". ")
        + ("Their note: " + quoted(note, end=".") if note else "They left no note.")
    )
    body += (
        " It was turned off on purpose: read the note (and ask them if unsure) before turning it "
        "back on, and say why in your own note." + _after_earlier_steps(ctx)
    )
    return PlanStep(
        id=REENABLE_ACCESS,
        kind="action",
        title="Turn portal access back on",
        body=body,
        action=SET_PORTAL_ACCESS_ON,
        fields=(
            StepField(
                name="note",
                label="Why are you turning it back on?",
                kind="note",
                required=True,
            ),
        ),
        details=(
            Detail("Turned off by", who),
            Detail("When", when(facts.access_changed_at)),
            *((Detail("Why", label),) if label else ()),
            Detail("Their note", note or "no note"),
        ),
        requires_note=True,
        confirm_text=f"Turn portal access back on for {ctx.name}?",
        warning=f"{who} turned portal access off on purpose.",
        addresses=(codes.ACCESS_DISABLED_BY_STAFF,),
    )


def turn_access_on(ctx: PlanContext) -> PlanStep:
    """Action (confirmed): turn the access switch on; for an unconfirmed registration, confirm it."""
    facts = ctx.facts
    details: list[Detail] = []
    if ctx.unconfirmed:
        title = "Turn portal access on (this confirms the registration)"
        body = (
            "Once the email address is confirmed with the patient, turn portal access on. This "
            "confirms the registration: the patient does not need the confirmation link."
        )
        address = f" This confirms {ctx.email} as their address." if ctx.email else ""
        confirm = f"Turn on portal access for {ctx.name}?{address}"
    else:
        title = "Turn portal access on"
        if facts.access_changed_at is None:
            body = "The 'patient can access portal' switch has never been turned on."
        else:
            by = f" by {facts.access_changed_by}" if facts.access_changed_by else ""
            # When it happened is the detail row below; who did it and why stay in the words.
            body = f"The 'patient can access portal' switch was turned off{by} and is still off."
            if facts.access_note:
                body += " The note says: " + quoted(facts.access_note, end=".")
            details.append(Detail("Turned off", when(facts.access_changed_at)))
        confirm = f"Turn on portal access for {ctx.name}?"
    body += _after_earlier_steps(ctx)
    return PlanStep(
        id=TURN_ACCESS_ON,
        kind="action",
        title=title,
        body=body,
        action=SET_PORTAL_ACCESS_ON,
        fields=(StepField(name="note", label="Note (optional)", kind="note", required=False),),
        details=tuple(details),
        confirm_text=confirm,
        addresses=ctx.found(codes.REGISTRATION_UNCONFIRMED, codes.ACCESS_NOT_ENABLED),
    )
