"""Why staff turned portal access off, in plain words, and when moving the switch needs a note.

The one home of the staff rules of DESIGN.md section 3 (``set_portal_access(reason=...)``,
``set_patient_status``): the services ask these functions; the tooltip and the wizard say
the reason with ``off_reason_words``.
"""

from __future__ import annotations

from typing import Final

from clinic_desk.domain import codes
from clinic_desk.domain.errors import ValidationError

# How each reason code reads at the end of "Portal access was turned off ...".
OFF_REASON_WORDS: Final = {
    codes.OFF_PATIENT_REQUEST: "because the patient asked",
    codes.OFF_PREVENTING_HARM: "to prevent harm to the patient or someone else",
    codes.OFF_SECURITY: "for security (the account may be in the wrong hands)",
    codes.OFF_DECEASED_OR_DUPLICATE: "because the chart is of a deceased patient or a duplicate",
    codes.OFF_OTHER: "for another reason (see the note)",
}

# How each reason code reads as a choice ("patient_request" means "the patient asked").
OFF_REASON_CHOICES: Final = {
    codes.OFF_PATIENT_REQUEST: "the patient asked",
    codes.OFF_PREVENTING_HARM: "preventing harm",
    codes.OFF_SECURITY: "security",
    codes.OFF_DECEASED_OR_DUPLICATE: "deceased or duplicate chart",
    codes.OFF_OTHER: "other (with a note)",
}


# The reason as a short label (a detail row: "Why: Preventing harm").
OFF_REASON_LABELS: Final = {
    codes.OFF_PATIENT_REQUEST: "The patient asked",
    codes.OFF_PREVENTING_HARM: "Preventing harm",
    codes.OFF_SECURITY: "Security",
    codes.OFF_DECEASED_OR_DUPLICATE: "Deceased or duplicate chart",
    codes.OFF_OTHER: "Other",
}


def off_reason_label(reason: str | None) -> str | None:
    """'Preventing harm', or None when no (known) reason was recorded."""
    return OFF_REASON_LABELS.get(reason or "")


def off_reason_words(reason: str | None) -> str | None:
    """'because the patient asked', or None when no (known) reason was recorded."""
    return OFF_REASON_WORDS.get(reason or "")


def _choices() -> str:
    """'"patient_request" (the patient asked), ... or "other" (with a note)'."""
    parts = [f'"{code}" ({OFF_REASON_CHOICES[code]})' for code in codes.STAFF_OFF_REASONS]
    return ", ".join(parts[:-1]) + " or " + parts[-1]


def clean_off_reason(reason: str | None, note: str | None) -> str:
    """The reason for turning access off, checked; ``note`` is the already-cleaned note.

    Raises:
        ValidationError: no reason, an unknown one, or "other" without a note.
    """
    code = (reason or "").strip().lower()
    if not code:
        raise ValidationError(
            "Say why portal access is being turned off (the reason is required): " + _choices() + ".",
            field="reason",
        )
    if code not in codes.STAFF_OFF_REASONS:
        raise ValidationError(
            f"'{reason}' is not a reason for turning portal access off. Choose one of: {_choices()}.",
            field="reason",
        )
    if code == codes.OFF_OTHER and not note:
        raise ValidationError(
            "The reason is 'other': add a note saying why portal access is being turned off.",
            field="note",
        )
    return code


def note_needed_to_turn_on(
    *,
    access_off_reason: str | None,
    staff_off_reason: str | None,
    switched_off_by: str | None,
    actor: str,
) -> str | None:
    """Why turning access back on needs a note (a sentence), or None when it does not.

    A switch-off by staff is undone with a note when a colleague (another actor) made it,
    and always when it was for preventing harm or security.
    """
    if access_off_reason != codes.OFF_BY_STAFF:
        return None
    who = (switched_off_by or "").strip()
    if staff_off_reason in codes.PROTECTED_OFF_REASONS:
        why = off_reason_words(staff_off_reason)
        return f"Portal access was turned off {why}: add a note saying why it is safe to turn it back on."
    if who.casefold() != actor.strip().casefold():
        by = who or "another staff member"
        return f"Portal access was turned off by {by}: add a note saying why you are turning it back on."
    return None


def note_needed_for_status(old_status: str, new_status: str) -> str | None:
    """Why this status change needs a note (a sentence), or None when it does not."""
    if old_status == codes.DECEASED and new_status != codes.DECEASED:
        return (
            f"The patient is marked deceased: add a note saying why the status is changing to "
            f"{new_status} (for example, marked deceased by mistake)."
        )
    return None
