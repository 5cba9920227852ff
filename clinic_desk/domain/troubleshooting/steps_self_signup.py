"""Steps for a patient who creates the account on the portal: the guide and the match check."""

from __future__ import annotations

from clinic_desk.domain import codes
from clinic_desk.domain.troubleshooting.context import PlanContext
from clinic_desk.domain.troubleshooting.plan import (
    CHECK_MATCH,
    CHOOSE_INVITE_METHOD,
    MATCH_CHECK,
    SELF_SIGNUP_GUIDE,
    Detail,
    PlanStep,
    StepField,
)
from clinic_desk.domain.wording import day


def self_signup_guide(ctx: PlanContext) -> PlanStep:
    """Info: how the patient creates the account on the portal, with what is on file."""
    facts = ctx.facts
    born = day(ctx.born) if ctx.born else "as on the chart"
    zip_code = (facts.zip_code or "").strip()
    details = (
        Detail("Email", ctx.email or "none"),
        Detail("Last name", facts.last_name),
        Detail("Date of birth", born),
        Detail("ZIP code", zip_code[:5] or "none"),
    )
    body = (
        f"Ask {ctx.first} to open {ctx.advice.portal}, choose 'I am a registered patient' and "
        "type exactly what is on file (below). Then they choose their own username and password."
    )
    warnings = []
    if ctx.typo:
        warnings.append(
            "The email on file may be mistyped: fix it first, or the address the patient types "
            "will not match."
        )
    if facts.shared_with:
        warnings.append(
            "Other charts share this email: if one also has the same last name, date of birth and "
            "ZIP code, the portal refuses. Use the match check."
        )
    return PlanStep(
        id=SELF_SIGNUP_GUIDE,
        kind="info",
        title="Guide the patient to create the account",
        body=body,
        details=details,
        warning=" ".join(warnings) or None,
        branch_of=CHOOSE_INVITE_METHOD,
        addresses=ctx.found(codes.NEVER_LOGGED_IN),
    )


def match_check(ctx: PlanContext) -> PlanStep:
    """Form (read-only): replay what the patient typed on the portal against the chart."""
    facts = ctx.facts
    return PlanStep(
        id=MATCH_CHECK,
        kind="form",
        title="Check what the patient typed",
        body=(
            "If the portal cannot find the chart, type what the patient typed: the panel says "
            "which detail does not match, as the portal would."
        ),
        action=CHECK_MATCH,
        fields=(
            StepField(name="email", label="Email", kind="email", help=f"On file: {ctx.email}"),
            StepField(name="last_name", label="Last name", help=f"On file: {facts.last_name}"),
            StepField(
                name="date_of_birth",
                label="Date of birth",
                kind="date",
                help=f"On file: {day(ctx.born)}" if ctx.born else "As the patient typed it",
            ),
            StepField(
                name="zip_code",
                label="ZIP code",
                kind="zip_code",
                help=f"On file: {(facts.zip_code or '').strip() or 'none'}",
            ),
        ),
        optional=True,
        branch_of=CHOOSE_INVITE_METHOD,
        addresses=ctx.found(codes.NEVER_LOGGED_IN),
    )
