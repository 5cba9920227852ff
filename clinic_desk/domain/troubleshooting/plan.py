"""The plan as frozen data: its value types and the ids and kinds they use.

A step's ``action`` is one of the action codes; the panel maps each code to a service
call (``clinic_desk.ui.wizard.actions``). Step and tip ids name what the panel shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from clinic_desk.domain import codes
from clinic_desk.domain.codes import Color

StepKind = Literal["info", "action", "form", "choice"]
STEP_KINDS: Final[tuple[StepKind, ...]] = ("info", "action", "form", "choice")

# How a form field is drawn; "temporary_password" means: generate it with
# generate_temporary_password(), show it once with Copy and Print buttons.
FIELD_KINDS: Final = ("text", "email", "zip_code", "date", "username", "temporary_password", "note")

# --- action codes: what the panel calls when the receptionist does a step ----

SET_PATIENT_STATUS_ACTIVE: Final = "set_patient_status_active"
SET_PORTAL_ACCESS_ON: Final = "set_portal_access_on"
UPDATE_CONTACT: Final = "update_contact"
SEND_INVITATION: Final = "send_invitation"  # an invitation, or a reset when a username is set
SET_CREDENTIALS: Final = "set_credentials"
UNLOCK_ACCOUNT: Final = "unlock_account"
RESEND_CONFIRMATION: Final = "resend_confirmation"  # a new registration-confirmation email
CHECK_MATCH: Final = "check_match"  # read-only: compares typed details with the charts

ACTIONS: Final = (
    SET_PATIENT_STATUS_ACTIVE,
    SET_PORTAL_ACCESS_ON,
    UPDATE_CONTACT,
    SEND_INVITATION,
    SET_CREDENTIALS,
    UNLOCK_ACCOUNT,
    RESEND_CONFIRMATION,
    CHECK_MATCH,
)

# --- step ids ----------------------------------------------------------------

EXPLAIN_DECEASED: Final = "explain_deceased"
ACCOUNT_SUMMARY: Final = "account_summary"
INVITATION_HISTORY: Final = "invitation_history"
REACTIVATE_PATIENT: Final = "reactivate_patient"
REVIEW_CONFIRMATION_EMAIL: Final = "review_confirmation_email"
FIX_EMAIL: Final = "fix_email"
RESEND_CONFIRMATION_STEP: Final = "resend_confirmation"
ADD_MISSING_DETAILS: Final = "add_missing_details"
OFFER_PLACEHOLDER_EMAIL: Final = "offer_placeholder_email"
REENABLE_ACCESS: Final = "reenable_access"
TURN_ACCESS_ON: Final = "turn_access_on"
UNLOCK_ACCOUNT_STEP: Final = "unlock_account"
TELL_PATIENT_TO_LOG_IN: Final = "tell_patient_to_log_in"
CHOOSE_INVITE_METHOD: Final = "choose_invite_method"
SEND_INVITATION_STEP: Final = "send_invitation"
RESEND_INVITATION: Final = "resend_invitation"
SELF_SIGNUP_GUIDE: Final = "self_signup_guide"
MATCH_CHECK: Final = "match_check"
SET_CREDENTIALS_STEP: Final = "set_credentials"
SEND_PASSWORD_RESET: Final = "send_password_reset"
WHITELIST_ADVICE: Final = "whitelist_advice"

# Every step id, in the order a plan shows them (a plan uses some of them).
STEP_IDS: Final = (
    EXPLAIN_DECEASED,
    ACCOUNT_SUMMARY,
    INVITATION_HISTORY,
    REACTIVATE_PATIENT,
    REVIEW_CONFIRMATION_EMAIL,
    FIX_EMAIL,
    RESEND_CONFIRMATION_STEP,
    ADD_MISSING_DETAILS,
    OFFER_PLACEHOLDER_EMAIL,
    REENABLE_ACCESS,
    TURN_ACCESS_ON,
    UNLOCK_ACCOUNT_STEP,
    TELL_PATIENT_TO_LOG_IN,
    CHOOSE_INVITE_METHOD,
    SEND_INVITATION_STEP,
    RESEND_INVITATION,
    SELF_SIGNUP_GUIDE,
    MATCH_CHECK,
    SET_CREDENTIALS_STEP,
    SEND_PASSWORD_RESET,
    WHITELIST_ADVICE,
)

# --- tip ids (one per trouble spot that applies, plus the email-delivery advice) ---

EMAILS_NOT_ARRIVING: Final = "emails_not_arriving"
TIP_IDS: Final = (
    codes.INVITATION_EXPIRED,
    codes.EMAIL_DELIVERY_FAILED,
    codes.PLACEHOLDER_EMAIL,
    codes.EMAIL_POSSIBLE_TYPO,
    codes.USERNAME_IS_OLD_EMAIL,
    codes.SHARED_EMAIL,
    codes.ACCOUNT_LOCKED,
    codes.RECENT_FAILED_LOGINS,
    EMAILS_NOT_ARRIVING,
)


# --- the plan ----------------------------------------------------------------


@dataclass(frozen=True)
class Detail:
    """One labelled fact the panel can show as a row: 'Turned off by' / 'dr.kim'."""

    label: str
    value: str


@dataclass(frozen=True)
class StepField:
    """One field of a form step. ``name`` is the service's keyword argument."""

    name: str
    label: str
    kind: str = "text"  # one of FIELD_KINDS
    prefill: str | None = None  # what the box starts with
    suggestion: str | None = None  # a value the panel may offer with a button (typo fix, placeholder)
    required: bool = True
    help: str | None = None
    read_only: bool = False


@dataclass(frozen=True)
class ChoiceOption:
    """One way forward at a choice step; ``steps`` are the ids of the steps it leads to."""

    id: str
    label: str
    description: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class PlanStep:
    """One thing the receptionist reads or does, in plain words."""

    id: str
    kind: StepKind
    title: str
    body: str
    action: str | None = None  # one of ACTIONS, or None for info and choice steps
    fields: tuple[StepField, ...] = ()
    details: tuple[Detail, ...] = ()
    options: tuple[ChoiceOption, ...] = ()  # choice steps only
    requires_note: bool = False  # the action needs a note saying why (field 'note')
    confirm_text: str | None = None  # ask this before doing the action
    warning: str | None = None
    optional: bool = False  # only needed in some cases; the panel offers Skip
    branch_of: str | None = None  # the id of the choice step one of whose options leads here
    addresses: tuple[str, ...] = ()  # the reason and trouble-spot codes this step deals with
    letter_offer: str | None = None  # words offering an activation letter beside this step's form


@dataclass(frozen=True)
class Tip:
    """Advice on one trouble spot that may explain a login problem."""

    id: str
    title: str
    body: str
    details: tuple[Detail, ...] = ()
    addresses: tuple[str, ...] = ()


@dataclass(frozen=True)
class TroubleshootingPlan:
    """Everything the wizard shows for one patient, in order."""

    patient_id: int
    color: Color
    title: str
    summary: str
    steps: tuple[PlanStep, ...]
    tips: tuple[Tip, ...]

    @property
    def step_ids(self) -> tuple[str, ...]:
        """The step ids, in order."""
        return tuple(step.id for step in self.steps)

    @property
    def actions(self) -> tuple[str, ...]:
        """The action codes of the steps, in order (a code appears once per step using it)."""
        return tuple(step.action for step in self.steps if step.action)

    @property
    def tip_ids(self) -> tuple[str, ...]:
        """The tip ids, in order."""
        return tuple(tip.id for tip in self.tips)

    def step(self, step_id: str) -> PlanStep | None:
        """The step with this id, or None."""
        return next((step for step in self.steps if step.id == step_id), None)

    def tip(self, tip_id: str) -> Tip | None:
        """The tip with this id, or None."""
        return next((tip for tip in self.tips if tip.id == tip_id), None)
