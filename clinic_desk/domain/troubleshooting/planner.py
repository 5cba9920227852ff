"""The decision tree: which steps a patient's plan has, and in which order.

The wording of each step lives in the ``steps_*`` modules and the tips in :mod:`.tips`;
here only the choice of steps.
"""

from __future__ import annotations

from datetime import date

from clinic_desk.domain import codes
from clinic_desk.domain.email_checks import looks_like_email, same_email
from clinic_desk.domain.facts import PortalFacts
from clinic_desk.domain.status import PortalStatus
from clinic_desk.domain.troubleshooting.advice import ClinicAdvice
from clinic_desk.domain.troubleshooting.context import PlanContext
from clinic_desk.domain.troubleshooting.plan import CHOOSE_INVITE_METHOD, PlanStep, Tip, TroubleshootingPlan
from clinic_desk.domain.troubleshooting.steps_access import (
    explain_deceased,
    reactivate,
    reenable_access,
    turn_access_on,
)
from clinic_desk.domain.troubleshooting.steps_account import (
    account_summary,
    password_reset,
    set_credentials,
    tell_to_log_in,
    unlock,
)
from clinic_desk.domain.troubleshooting.steps_contact import (
    add_missing_details,
    fix_email,
    offer_placeholder,
    resend_confirmation,
    review_confirmation,
    whitelist_advice,
)
from clinic_desk.domain.troubleshooting.steps_invitation import (
    choose_invite_method,
    credentials_option,
    invitation,
    invitation_history,
    invitation_option,
    self_signup_option,
)
from clinic_desk.domain.troubleshooting.steps_self_signup import match_check, self_signup_guide
from clinic_desk.domain.troubleshooting.tips import tips


def build_plan(
    status: PortalStatus,
    facts: PortalFacts,
    advice: ClinicAdvice,
    *,
    date_of_birth: date | None = None,
) -> TroubleshootingPlan:
    """The wizard's steps and tips for one patient, from their status and the facts behind it.

    ``date_of_birth`` (from the chart) is quoted in the self-signup guide and the match
    check. Raises ValueError when status and facts are about different patients.
    """
    if status.patient_id != facts.patient_id:
        raise ValueError(
            f"The status is for patient {status.patient_id} but the facts are for patient {facts.patient_id}."
        )
    ctx = PlanContext.of(status, facts, advice, date_of_birth)
    summary = " ".join(item.gist for item in status.reasons) or status.headline
    if codes.PATIENT_DECEASED in ctx.reasons:
        steps: list[PlanStep] = [explain_deceased(ctx)]
        plan_tips: list[Tip] = []
    else:
        steps = _steps(ctx)
        plan_tips = tips(ctx, steps)
    return TroubleshootingPlan(
        patient_id=facts.patient_id,
        color=status.color,
        title=status.headline,
        summary=summary,
        steps=tuple(steps),
        tips=tuple(plan_tips),
    )


def _steps(ctx: PlanContext) -> list[PlanStep]:
    """Overview, status, contact details, the access switch, a lock, then the way in."""
    steps: list[PlanStep] = []
    if ctx.status.color == "blue":
        steps.append(account_summary(ctx))
    elif ctx.status.color == "gold":
        steps.append(invitation_history(ctx))
    if codes.PATIENT_INACTIVE in ctx.reasons:
        steps.append(reactivate(ctx))
    if ctx.unconfirmed:
        steps.append(review_confirmation(ctx))
    if ctx.real_email and (
        ctx.unconfirmed or ctx.typo or ctx.failed_mail or codes.EMAIL_DELIVERY_FAILED in ctx.spots
    ):
        steps.append(fix_email(ctx))
    if _can_resend_confirmation(ctx):
        steps.append(resend_confirmation(ctx))
    missing = ctx.found(codes.MISSING_EMAIL, codes.MISSING_ZIP)
    if missing:
        steps.append(add_missing_details(ctx, missing))
    if codes.MISSING_EMAIL in ctx.reasons:
        steps.append(offer_placeholder(ctx))
    if not ctx.facts.access_enabled:
        if codes.ACCESS_DISABLED_BY_STAFF in ctx.reasons:
            steps.append(reenable_access(ctx))
        else:
            steps.append(turn_access_on(ctx))
    if codes.ACCOUNT_LOCKED in ctx.spots:
        steps.append(unlock(ctx))
    steps.extend(_login_path(ctx))
    return steps


def _can_resend_confirmation(ctx: PlanContext) -> bool:
    """An unconfirmed registration whose new confirmation email can arrive.

    The email on file is real (``ctx.real_email``: not a placeholder by the clinic's
    placeholder domain and dummy addresses), shaped like an address, the patient may use the
    portal, and the newest email did not fail for good at that very address.
    """
    email = ctx.email
    if not ctx.unconfirmed or not ctx.real_email or not looks_like_email(email):
        return False
    if codes.PATIENT_INACTIVE in ctx.reasons:
        return False
    failed = ctx.failed_mail
    return not (failed is not None and same_email(failed.to, email))


def _login_path(ctx: PlanContext) -> list[PlanStep]:
    """How the patient gets in once access is on."""
    if ctx.unconfirmed:
        steps = [tell_to_log_in(ctx)]
        if ctx.email is None or ctx.real_email:
            steps.append(whitelist_advice(ctx))
        return steps
    if ctx.username:
        steps = [] if ctx.status.color == "blue" else [tell_to_log_in(ctx)]
        if ctx.real_email:
            steps.append(password_reset(ctx))
        elif ctx.placeholder:
            steps.append(set_credentials(ctx, branch_of=None, optional=True))
        return steps
    if ctx.placeholder:
        return [set_credentials(ctx, branch_of=None, optional=False)]
    return _invite_choice(ctx)


def _invite_choice(ctx: PlanContext) -> list[PlanStep]:
    """No username yet and an email that can receive mail (or one still to be added)."""
    gold = ctx.status.color == "gold"
    sent_before = codes.NO_INVITATION_SENT not in ctx.spots and (
        ctx.facts.any_invitation_sent or ctx.facts.confirmation_sent_at is not None
    )
    invite = invitation(ctx, resend=gold and sent_before)
    options = [invitation_option(invite)]
    alternatives = [invite]
    if gold:
        guide, check = self_signup_guide(ctx), match_check(ctx)
        options.append(self_signup_option(guide, check))
        alternatives += [guide, check]
    credentials = set_credentials(ctx, branch_of=CHOOSE_INVITE_METHOD, optional=False)
    options.append(credentials_option(credentials))
    alternatives.append(credentials)
    return [choose_invite_method(ctx, options), *alternatives]
