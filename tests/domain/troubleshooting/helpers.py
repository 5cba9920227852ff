"""Shared lookups for the troubleshooting plan tests: the clinic's advice, the step order, plan lookups."""

from __future__ import annotations

from datetime import date

from clinic_desk.domain.facts import PortalFacts
from clinic_desk.domain.status import evaluate
from clinic_desk.domain.troubleshooting import ClinicAdvice, PlanStep, Tip, TroubleshootingPlan, build_plan
from tests.domain.factories import NOW

BORN = date(1980, 3, 14)

ADVICE = ClinicAdvice(
    clinic_name="Riverside Family Clinic",
    sender_address="portal@riverside-clinic.example",
    whitelist_domain="riverside-clinic.example",
    placeholder_domain="noemail.invalid",
    portal_url="https://portal.riverside-clinic.example",
)
PLACEHOLDER = "mrn0007@noemail.invalid"

# Steps in the only order they may ever appear in (a plan uses a subsequence).
CANONICAL_ORDER = (
    "explain_deceased",
    "account_summary",
    "invitation_history",
    "reactivate_patient",
    "review_confirmation_email",
    "fix_email",
    "resend_confirmation",
    "add_missing_details",
    "offer_placeholder_email",
    "reenable_access",
    "turn_access_on",
    "unlock_account",
    "tell_patient_to_log_in",
    "choose_invite_method",
    "send_invitation",
    "resend_invitation",
    "self_signup_guide",
    "match_check",
    "set_credentials",
    "send_password_reset",
    "whitelist_advice",
)
# Actions that change something: each asks first.
CONFIRMED_ACTIONS = (
    "set_patient_status_active",
    "set_portal_access_on",
    "send_invitation",
    "set_credentials",
    "unlock_account",
    "resend_confirmation",
)


def plan_for(
    facts: PortalFacts, advice: ClinicAdvice = ADVICE, born: date | None = BORN
) -> TroubleshootingPlan:
    return build_plan(evaluate(facts, NOW), facts, advice, date_of_birth=born)


def step(plan: TroubleshootingPlan, step_id: str) -> PlanStep:
    found = plan.step(step_id)
    assert found is not None, f"no step {step_id!r} in {plan.step_ids}"
    return found


def tip_of(plan: TroubleshootingPlan, tip_id: str) -> Tip:
    found = plan.tip(tip_id)
    assert found is not None, f"no tip {tip_id!r} in {plan.tip_ids}"
    return found


def texts_of(plan: TroubleshootingPlan) -> list[str]:
    """Every piece of text the panel shows."""
    out = [plan.title, plan.summary]
    for item in plan.steps:
        out += [item.title, item.body, item.confirm_text or "", item.warning or ""]
        out += [f"{detail.label} {detail.value}" for detail in item.details]
        out += [text or "" for f in item.fields for text in (f.label, f.prefill, f.suggestion, f.help)]
        out += [f"{option.label} {option.description}" for option in item.options]
    for tip in plan.tips:
        out += [tip.title, tip.body] + [f"{detail.label} {detail.value}" for detail in tip.details]
    return out


def shown(item: PlanStep | Tip) -> str:
    """What the panel shows for one step or tip: its words, its warning and its detail rows.

    Facts (dates, addresses) live in the detail rows beside the words, not repeated in them.
    """
    warning = item.warning or "" if isinstance(item, PlanStep) else ""
    rows = " ".join(f"{detail.label}: {detail.value}" for detail in item.details)
    return f"{item.body} {warning} {rows}"


def first_reading(plan: TroubleshootingPlan) -> str:
    """What staff read in the panel before choosing anything: every step but the branches of a
    choice's later options, and the tips (confirmations come later, one at a time)."""
    first_branch = {step_id for item in plan.steps if item.options for step_id in item.options[0].steps}
    parts = [plan.title, plan.summary]
    for item in plan.steps:
        if item.branch_of is None or item.id in first_branch:
            parts.append(shown(item))
            parts += [f"{option.label} {option.description}" for option in item.options]
    parts += [f"{tip.title} {shown(tip)}" for tip in plan.tips]
    return " ".join(parts)
