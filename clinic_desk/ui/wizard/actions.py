"""Which service call each plan action makes, and the words around it.

Pure mapping, no widgets: :func:`service_call` returns a function to run on a worker
thread. ``actor`` is the staff member at the workstation; the services write the audit
entry (with the note) in the same transaction as the change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from clinic_desk.domain import codes
from clinic_desk.domain import troubleshooting as plan
from clinic_desk.domain.email_checks import is_placeholder
from clinic_desk.domain.errors import (
    ConflictError,
    DatabaseUnavailable,
    NotAllowed,
    OutcomeUnknown,
    ValidationError,
)
from clinic_desk.domain.roles import Permission, refusal
from clinic_desk.domain.troubleshooting import PlanStep, generate_temporary_password
from clinic_desk.domain.unset import UNSET
from clinic_desk.ui.intentions import Intentions

if TYPE_CHECKING:
    from clinic_desk import Clinic

#: Whether the signed-in member may do a permission (the window's ``may``).
PermissionCheck = Callable[[Permission], bool]

#: The fields update_contact may receive from a wizard form.
MATCH_FIELDS = ("email", "last_name", "date_of_birth", "zip_code")

#: Button words per action (mnemonics included, never the menu bar's F, P, C or V); the step id
#: wins when listed.
_BUTTON_WORDS: Mapping[str, str] = {
    plan.SET_PATIENT_STATUS_ACTIVE: "&Make active…",
    plan.SET_PORTAL_ACCESS_ON: "Turn access &on…",
    plan.UPDATE_CONTACT: "&Save…",
    plan.SEND_INVITATION: "Send &invitation…",
    plan.SET_CREDENTIALS: "Set pass&word…",
    plan.UNLOCK_ACCOUNT: "&Unlock…",
    plan.RESEND_CONFIRMATION: "Send a&gain…",
    plan.CHECK_MATCH: "C&heck",
}
_STEP_BUTTON_WORDS: Mapping[str, str] = {
    plan.OFFER_PLACEHOLDER_EMAIL: "Use a place&holder…",
    plan.FIX_EMAIL: "&Save email…",
    plan.ADD_MISSING_DETAILS: "&Save details…",
    plan.REENABLE_ACCESS: "Turn access back &on…",
    plan.RESEND_INVITATION: "Send new &invitation…",
    plan.SEND_PASSWORD_RESET: "Send &reset email…",
}

#: What the panel says when an action worked (the step itself may vanish from the new plan).
_DONE_WORDS: Mapping[str, str] = {
    plan.SET_PATIENT_STATUS_ACTIVE: "The patient is active again.",
    plan.SET_PORTAL_ACCESS_ON: "Portal access is on.",
    plan.UPDATE_CONTACT: "Saved.",
    plan.SEND_INVITATION: "The email is on its way.",
    plan.SET_CREDENTIALS: "Username and temporary password set.",
    plan.UNLOCK_ACCOUNT: "The account is unlocked.",
    plan.RESEND_CONFIRMATION: (
        "A new confirmation email is on its way to the address on file; the earlier link no longer works."
    ),
}


#: A value the confirmation adds when staff chose "Save, then turn access on".
THEN, THEN_ACCESS_ON = "then", "access_on"
_SAVE_THEN_ON = "Save, then turn &access on"


def also_words(step: PlanStep, whole: Any) -> str | None:
    """The combined answer a step's confirmation offers, or None.

    Saving the missing details (or the placeholder) and turning access on are one intention
    when the plan's next access step is the plain switch (not a colleague's switch-off and
    not an inactive patient): one confirmation, two actions, each still its own transaction.
    """
    step_ids = whole.step_ids
    if step.id not in (plan.ADD_MISSING_DETAILS, plan.OFFER_PLACEHOLDER_EMAIL):
        return None
    if plan.TURN_ACCESS_ON not in step_ids or plan.REACTIVATE_PATIENT in step_ids:
        return None
    return _SAVE_THEN_ON


def button_words(step: PlanStep) -> str:
    """The action button's text, with a mnemonic."""
    return _STEP_BUTTON_WORDS.get(step.id) or _BUTTON_WORDS.get(step.action or "", "&Do it…")


#: Said instead of "on its way" while the clinic has no email server (its smtp_host is empty).
QUEUED_WORDS = "Queued: it goes out once the clinic's email server is set up."
NOTHING_CHANGED_WORDS = "Nothing changed: the chart already has these details."
_SENDS_EMAIL = (plan.SEND_INVITATION, plan.RESEND_CONFIRMATION)


def done_words(
    step: PlanStep,
    values: Mapping[str, str] | None = None,
    result: Any = None,
    *,
    mail_server_set: bool = True,
    expected_version: int | None = None,
) -> str:
    """A short sentence saying what the step's action did.

    A contact save that returns the version the panel showed changed nothing, and says so.
    An email is "on its way" only when the clinic has an email server; otherwise it is queued.
    """
    action = step.action or ""
    if isinstance(result, SavedThenOn):
        saved = done_words(step, values, result.version, expected_version=expected_version)
        if result.problem:
            return f"{saved} Portal access is still off: {result.problem}"
        return f"{saved} Portal access is on."
    if action == plan.UPDATE_CONTACT:
        if expected_version is not None and result == expected_version:
            return NOTHING_CHANGED_WORDS
        saved = _contact_words(values or {})
        return f"Saved: {saved}." if saved else "Saved."
    if action in _SENDS_EMAIL and not mail_server_set:
        if action == plan.RESEND_CONFIRMATION:
            return f"{QUEUED_WORDS} The earlier link no longer works."
        return QUEUED_WORDS
    if step.id == plan.SEND_PASSWORD_RESET:
        return "The password-reset email is on its way."
    return _DONE_WORDS.get(action, "Done.")


def done_role(words: str) -> str:
    """How the feedback line shows a result: queued mail is a warning, nothing changed is plain."""
    if words.startswith(QUEUED_WORDS) or "still off" in words:
        return "warning"
    return "muted" if words == NOTHING_CHANGED_WORDS else "success"


def _contact_words(values: Mapping[str, str]) -> str:
    parts = []
    if "email" in values:
        parts.append(f"email {values['email']}")
    if "zip_code" in values:
        parts.append(f"ZIP code {values['zip_code']}")
    return " and ".join(parts)


def replaces_password(step: PlanStep) -> bool:
    """True when the step replaces a password already issued (its username is fixed).

    Its confirmation is a careful one: a stray Enter keeps the password the patient has.
    """
    return step.action == plan.SET_CREDENTIALS and any(
        field.name == "username" and field.read_only for field in step.fields
    )


def confirm_words(
    step: PlanStep, values: Mapping[str, str], is_placeholder: Callable[[str], bool] = is_placeholder
) -> str:
    """The question asked before the action runs (the plan's own, or one made from the form).

    It says what else happens: a resend kills the earlier link, a placeholder address means
    no password resets, and turning access back on repeats the colleague's note.
    """
    question = step.confirm_text or (
        f"Save {_contact_words(values) or 'these details'} to the chart?"
        if step.action == plan.UPDATE_CONTACT
        else f"{step.title}?"
    )
    extra = ""
    if step.id in _KILLS_EARLIER_LINK and "stop working" not in question:
        extra = _KILLS_EARLIER_LINK[step.id]
    elif step.action == plan.UPDATE_CONTACT and is_placeholder(values.get("email", "")):
        if "reset their own password" not in question:
            extra = PLACEHOLDER_WARNING
    elif step.id == plan.REENABLE_ACCESS:
        extra = _colleague_note(step)
    return f"{question} {extra}" if extra else question


#: What a placeholder address means for the patient (said wherever one is about to be saved).
PLACEHOLDER_WARNING = (
    "This is a placeholder address: the patient will not be able to reset their own password, "
    "and no email can be sent to it."
)
_KILLS_EARLIER_LINK: Mapping[str, str] = {
    plan.RESEND_INVITATION: "The link in the earlier invitation will stop working.",
    plan.SEND_PASSWORD_RESET: "Any link in an earlier reset or invitation email will stop working.",
}


def _colleague_note(step: PlanStep) -> str:
    """'dr.kim turned it off with the note: “…”.' from the step's details."""
    details = {detail.label: detail.value for detail in step.details}
    who, note = details.get("Turned off by", ""), details.get("Their note", "")
    if not who:
        return ""
    if not note or note == "no note":
        return f"{who} turned it off and left no note."
    return f"{who} turned it off with the note: “{note}”"


def failure_words(exc: BaseException) -> tuple[str, str]:
    """The panel's status line after a failed action, and its role."""
    if isinstance(exc, OutcomeUnknown):
        return (
            "It may have been saved — reloading to check. If it is not done, press the button "
            "again: it will not be done twice.",
            "warning",
        )
    if isinstance(exc, DatabaseUnavailable):
        return "Not done: nothing was changed. Press the button again in a moment.", "error"
    return "Not done: nothing was changed. See the step for why.", "error"


def reload_after(exc: BaseException) -> bool:
    """True when the chart on screen may be out of date after this failure (reload it)."""
    return isinstance(exc, OutcomeUnknown | ConflictError)


def is_read_only(step: PlanStep) -> bool:
    """True when the step's action changes nothing (it runs without a confirmation)."""
    return step.action == plan.CHECK_MATCH


def permission_needed(step: PlanStep, status: Any) -> Permission | None:
    """The permission the services will ask for the step's action (None: nothing to do, or reading).

    Mirrors the services: making a patient active needs the status permission, and turning
    access back on after a switch-off made to prevent harm or for security needs a manager.
    ``status`` is the patient's :class:`PortalStatus` (None while unknown).
    """
    action = step.action
    if action is None or action == plan.CHECK_MATCH:
        return None
    if action == plan.SET_PATIENT_STATUS_ACTIVE:
        return Permission.SET_PATIENT_STATUS
    if action == plan.SET_PORTAL_ACCESS_ON and _protected_switch_off(status):
        return Permission.UNDO_PROTECTED_SWITCH_OFF
    return Permission.CHART_WORK


def refusal_for(step: PlanStep, status: Any, may: PermissionCheck) -> str | None:
    """Who may do the step's action, when the signed-in member (``may``) may not; else None."""
    needed = permission_needed(step, status)
    return refusal(needed) if needed is not None and not may(needed) else None


def everything_allowed(_permission: Permission) -> bool:
    """A panel used on its own (no window, single-user mode) may do everything."""
    return True


def _protected_switch_off(status: Any) -> bool:
    for item in getattr(status, "reasons", ()):
        if item.code == codes.ACCESS_DISABLED_BY_STAFF:
            return item.facts.get("reason") in codes.PROTECTED_OFF_REASONS
    return False


def prepared_call(
    clinic: Clinic,
    intentions: Intentions,
    patient_id: int,
    step: PlanStep,
    values: Mapping[str, str],
    actor: str,
    expected_version: int | None,
) -> tuple[Callable[[], Any], dict[str, str]]:
    """:func:`service_call` for a press of the step's button, and the values it sends.

    A press again after a fault is the same intention: the same request id, and the same
    temporary password (the slip must show the one that was saved).
    """
    key = (patient_id, step.id, frozenset(values.items()))
    request_id, sent = intentions.begin(key, values)
    if step.action == plan.SET_CREDENTIALS and "password" not in sent:
        sent["password"] = generate_temporary_password(sent.get("username"))
        intentions.settle()
        request_id, sent = intentions.begin(key, sent)
    call = service_call(
        clinic, patient_id, step, sent, actor, expected_version=expected_version, request_id=request_id
    )
    return call, sent


def service_call(
    clinic: Clinic,
    patient_id: int,
    step: PlanStep,
    values: Mapping[str, str],
    actor: str,
    *,
    expected_version: int | None = None,
    request_id: str | None = None,
) -> Callable[[], Any]:
    """The call that does ``step``'s action with the form ``values``; run it on a worker thread.

    ``expected_version`` is the chart version the panel showed: a contact save made on top of
    a colleague's newer change is refused (like the contact editor's). ``request_id`` is the
    one made for this press of the button (sent again on a retry).

    Raises:
        ValueError: the step has no action the wizard knows.
    """
    action = step.action
    note = (values.get("note") or "").strip() or None
    staff = clinic.staff
    if action == plan.SET_PATIENT_STATUS_ACTIVE:
        return lambda: staff.set_patient_status(
            patient_id, "active", actor=actor, note=note, request_id=request_id
        )
    if action == plan.SET_PORTAL_ACCESS_ON:
        return lambda: staff.set_portal_access(
            patient_id, enabled=True, actor=actor, note=note, request_id=request_id
        )
    if action == plan.UPDATE_CONTACT and values.get(THEN) == THEN_ACCESS_ON:
        save = service_call(
            clinic,
            patient_id,
            step,
            {name: value for name, value in values.items() if name != THEN},
            actor,
            expected_version=expected_version,
            request_id=request_id,
        )
        turn_on = replace(step, action=plan.SET_PORTAL_ACCESS_ON)
        then = service_call(
            clinic, patient_id, turn_on, {}, actor, request_id=f"{request_id}-on" if request_id else None
        )
        return lambda: _saved_then_on(save, then)
    if action == plan.UPDATE_CONTACT:
        email, zip_code = values.get("email", UNSET), values.get("zip_code", UNSET)
        return lambda: staff.update_contact(
            patient_id,
            email=email,
            zip_code=zip_code,
            expected_version=expected_version,
            actor=actor,
            note=note,
            request_id=request_id,
        )
    if action == plan.SEND_INVITATION:
        return lambda: staff.send_invitation(patient_id, actor=actor, note=note, request_id=request_id)
    if action == plan.SET_CREDENTIALS:
        username, password = values.get("username", ""), values.get("password", "")
        return lambda: staff.set_credentials(
            patient_id, username=username, password=password, actor=actor, note=note, request_id=request_id
        )
    if action == plan.UNLOCK_ACCOUNT:
        return lambda: staff.unlock_account(patient_id, actor=actor, note=note, request_id=request_id)
    if action == plan.RESEND_CONFIRMATION:
        return lambda: staff.resend_confirmation(patient_id, actor=actor, note=note, request_id=request_id)
    if action == plan.CHECK_MATCH:
        typed = {name: values.get(name, "") for name in MATCH_FIELDS}
        return lambda: clinic.portal.check_match(patient_id=patient_id, **typed)
    raise ValueError(f"The wizard does not know the action {action!r} of step {step.id!r}.")


@dataclass(frozen=True)
class SavedThenOn:
    """What "Save, then turn access on" did: the chart's version, and why access stayed off ("")."""

    version: int
    problem: str = ""


def _saved_then_on(save: Callable[[], Any], then: Callable[[], Any]) -> SavedThenOn:
    """Save (its failure is the whole action's), then turn access on (its refusal is said)."""
    version = save()
    try:
        then()
    except (ValidationError, NotAllowed, ConflictError) as exc:  # the save stands; say why not on
        return SavedThenOn(version, str(exc))
    return SavedThenOn(version)


def mail_server_set(settings: Any) -> bool:
    """True when the clinic has an email server (its smtp_host): emails can be on their way."""
    return bool((settings.smtp_host or "").strip())
