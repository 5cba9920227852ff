"""The services' refusals and complaints, said in the page's language next to the field they are about.

The services speak English; their errors carry the field at fault. Spanish words are chosen
by that field and the kind of complaint; the services' own English text is only the last
resort (a complaint this table does not know yet).
"""

from __future__ import annotations

from collections.abc import Mapping

from clinic_desk import ClinicDeskError, ConflictError, NotAllowed
from clinic_desk.portal.words import Words

# The dead-link answers (services.portal_guard.DEAD_LINK_WORDS), told apart by their words.
_DEAD_LINKS = (
    ("already been used", "link_used"),
    ("no longer works", "link_revoked"),
    ("expired", "link_expired"),
)

# (field, words in the English complaint) -> key in words.py; the first match wins.
_COMPLAINTS: tuple[tuple[str | None, str, str], ...] = (
    (None, "invisible or control", "hidden_characters"),
    (None, "required", "field_required"),
    (None, "enter your", "field_required"),
    (None, "choose a username", "field_required"),
    ("password", "too short", "password_too_short"),
    ("password", "too long", "password_too_long"),
    ("password", "username", "password_is_username"),
    ("password", "different from the current", "password_same_as_old"),
    ("username", "too short", "username_too_short"),
    ("username", "can only contain", "username_characters"),
    ("username", "must start", "username_characters"),
    (None, "at most", "too_long"),
    (None, "too long", "too_long"),
    ("email", "", "email_not_valid"),
    ("zip_code", "", "zip_not_valid"),
    ("date_of_birth", "", "date_not_valid"),
    ("first_name", "", "name_not_valid"),
    ("last_name", "", "name_not_valid"),
)


def explain(
    error: ClinicDeskError, words: Words, fields: Mapping[str, str] | None = None
) -> tuple[str | None, str]:
    """(the form field it is about or None for the whole form, what to say).

    ``fields`` renames the services' field to the page's (``password`` -> ``new_password``).
    """
    if isinstance(error, NotAllowed):
        if error.field == "token":
            for clue, key in _DEAD_LINKS:
                if clue in error.message:
                    return None, words[key]
        return None, words.refused
    field = (fields or {}).get(error.field or "", error.field)
    if isinstance(error, ConflictError):
        return field, words.username_taken
    if words.language == "en":
        return field, _without_label(error.message) if field else error.message
    lowered = error.message.lower()
    for about, clue, key in _COMPLAINTS:
        if (about is None or about == error.field) and clue in lowered:
            return field, words[key]
    return field, words.field_not_accepted if field else error.message


def _without_label(message: str) -> str:
    """An error shown under the Email box need not begin with "Email: " again."""
    label, colon, rest = message.partition(": ")
    if not colon or not rest or len(label) > 30 or "'" in label:
        return message
    return rest[0].upper() + rest[1:]


def form_errors(
    error: ClinicDeskError, words: Words, shown: tuple[str, ...], fields: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The error as the template's ``errors``: keyed by a field ``shown`` on the form, else ``form``."""
    field, message = explain(error, words, fields)
    return {field if field in shown else "form": message}
