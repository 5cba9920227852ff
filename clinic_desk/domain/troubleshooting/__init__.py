"""The troubleshooting wizard's plan: what to do, step by step, for the patient on screen.

:func:`build_plan` turns a :class:`~clinic_desk.domain.status.PortalStatus` and the
:class:`~clinic_desk.domain.facts.PortalFacts` behind it into frozen data: steps in the
order the receptionist should do them, and tips for the trouble spots that apply. The
panel (``troubleshootingWizard``) renders the plan and maps each step's ``action`` code
to a service call; nothing here touches Qt or the database.

The plan always starts from the patient's *current* state: after any action, reload the
status and facts and build the plan again. The steps still to do are then the new plan.

Where things live: :mod:`.plan` (the value types and ids), :mod:`.planner` (which steps,
in which order), the ``steps_*`` modules (each step's words), :mod:`.tips`,
:mod:`.wording` (shared sentences), :mod:`.advice` and :mod:`.credentials`.
"""

from __future__ import annotations

from clinic_desk.domain.troubleshooting.advice import ClinicAdvice
from clinic_desk.domain.troubleshooting.credentials import (
    generate_temporary_password,
    generate_username,
    placeholder_email_for,
)
from clinic_desk.domain.troubleshooting.plan import (
    ACCOUNT_SUMMARY,
    ACTIONS,
    ADD_MISSING_DETAILS,
    CHECK_MATCH,
    CHOOSE_INVITE_METHOD,
    EMAILS_NOT_ARRIVING,
    EXPLAIN_DECEASED,
    FIELD_KINDS,
    FIX_EMAIL,
    INVITATION_HISTORY,
    MATCH_CHECK,
    OFFER_PLACEHOLDER_EMAIL,
    REACTIVATE_PATIENT,
    REENABLE_ACCESS,
    RESEND_CONFIRMATION,
    RESEND_CONFIRMATION_STEP,
    RESEND_INVITATION,
    REVIEW_CONFIRMATION_EMAIL,
    SELF_SIGNUP_GUIDE,
    SEND_INVITATION,
    SEND_INVITATION_STEP,
    SEND_PASSWORD_RESET,
    SET_CREDENTIALS,
    SET_CREDENTIALS_STEP,
    SET_PATIENT_STATUS_ACTIVE,
    SET_PORTAL_ACCESS_ON,
    STEP_IDS,
    STEP_KINDS,
    TELL_PATIENT_TO_LOG_IN,
    TIP_IDS,
    TURN_ACCESS_ON,
    UNLOCK_ACCOUNT,
    UNLOCK_ACCOUNT_STEP,
    UPDATE_CONTACT,
    WHITELIST_ADVICE,
    ChoiceOption,
    Detail,
    PlanStep,
    StepField,
    StepKind,
    Tip,
    TroubleshootingPlan,
)
from clinic_desk.domain.troubleshooting.planner import build_plan

__all__ = [
    "ACCOUNT_SUMMARY",
    "ACTIONS",
    "ADD_MISSING_DETAILS",
    "CHECK_MATCH",
    "CHOOSE_INVITE_METHOD",
    "EMAILS_NOT_ARRIVING",
    "EXPLAIN_DECEASED",
    "FIELD_KINDS",
    "FIX_EMAIL",
    "INVITATION_HISTORY",
    "MATCH_CHECK",
    "OFFER_PLACEHOLDER_EMAIL",
    "REACTIVATE_PATIENT",
    "REENABLE_ACCESS",
    "RESEND_CONFIRMATION",
    "RESEND_CONFIRMATION_STEP",
    "RESEND_INVITATION",
    "REVIEW_CONFIRMATION_EMAIL",
    "SELF_SIGNUP_GUIDE",
    "SEND_INVITATION",
    "SEND_INVITATION_STEP",
    "SEND_PASSWORD_RESET",
    "SET_CREDENTIALS",
    "SET_CREDENTIALS_STEP",
    "SET_PATIENT_STATUS_ACTIVE",
    "SET_PORTAL_ACCESS_ON",
    "STEP_IDS",
    "STEP_KINDS",
    "TELL_PATIENT_TO_LOG_IN",
    "TIP_IDS",
    "TURN_ACCESS_ON",
    "UNLOCK_ACCOUNT",
    "UNLOCK_ACCOUNT_STEP",
    "UPDATE_CONTACT",
    "WHITELIST_ADVICE",
    "ChoiceOption",
    "ClinicAdvice",
    "Detail",
    "PlanStep",
    "StepField",
    "StepKind",
    "Tip",
    "TroubleshootingPlan",
    "build_plan",
    "generate_temporary_password",
    "generate_username",
    "placeholder_email_for",
]
