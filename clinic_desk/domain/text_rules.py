"""The text gate: how long each typed value may be, and which characters no field accepts.

One home for both rules. Every facade call checks what it was given here *before* any
parsing, regex or database work, so a pasted essay or an invisible character gets a
plain sentence naming the field, on the API, the command line and the window alike.

==================  =====  ======================================================
field               limit  characters refused
==================  =====  ======================================================
first/last name       100  control (Cc), format (Cf: zero-width, RTL override),
preferred name        100  lone surrogates (Cs); NUL is a control character
email, test address   254
ZIP code               20
phone                  40
address lines         200
city                  100
state                  40
sex, status            20
date of birth          40
username               64
MRN, patient ref       64
reason                 40
photo type, origin     40
token                 256
request id            100
setting (one line)    254
note                  500  as above, but line breaks and tabs are kept
password (current,   1024  only NUL and lone surrogates (any other text is fine)
new, mail server)
actor                  64  anything but plain printable text (see ``clean_actor``)
search text           200  never refused: cut and cleaned (``search_text``)
==================  =====  ======================================================
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import Enum
from typing import Final

from clinic_desk.domain.errors import ValidationError


class Kind(Enum):
    """Which characters a field refuses."""

    LINE = "line"  # one line of visible text
    NOTE = "note"  # several lines: line breaks and tabs are fine
    SECRET = "secret"  # a password: anything but NUL and lone surrogates


@dataclass(frozen=True)
class TextField:
    """A typed field: its caption in messages, its length limit and its kind."""

    label: str
    limit: int
    kind: Kind = Kind.LINE


TEXT_FIELDS: Final[dict[str, TextField]] = {
    "first_name": TextField("First name", 100),
    "last_name": TextField("Last name", 100),
    "preferred_name": TextField("Preferred name", 100),
    "email": TextField("Email", 254),
    "zip_code": TextField("ZIP code", 20),
    "phone": TextField("Phone", 40),
    "address_line1": TextField("Address", 200),
    "address_line2": TextField("Address line 2", 200),
    "city": TextField("City", 100),
    "state": TextField("State", 40),
    "sex": TextField("Sex", 20),
    "status": TextField("Patient status", 20),
    "date_of_birth": TextField("Date of birth", 40),
    "username": TextField("Username", 64),
    "ref": TextField("Patient id or MRN", 64),
    "mrn": TextField("MRN", 64),
    "reason": TextField("Reason", 40),
    "token": TextField("Link", 256),
    "request_id": TextField("Request id", 100),
    "media_type": TextField("Photo type", 40),
    "created_via": TextField("Chart origin", 40),
    "setting": TextField("Setting", 254),
    "to": TextField("Test email address", 254),
    "note": TextField("Note", 500, Kind.NOTE),
    "password": TextField("Password", 1024, Kind.SECRET),
    "old_password": TextField("Current password", 1024, Kind.SECRET),
    "new_password": TextField("New password", 1024, Kind.SECRET),
    "actor": TextField("Staff name", 64),
    "full_name": TextField("Full name", 100),
    "role": TextField("Role", 20),
}
SEARCH_LIMIT: Final = 200
ACTOR_LIMIT: Final = TEXT_FIELDS["actor"].limit
# Who the audit log names for patient-side actions: no staff member may pass as them.
PATIENT_ACTOR: Final = "patient (portal)"
RESERVED_ACTORS: Final = frozenset({"portal", PATIENT_ACTOR})

_REFUSED_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs"})
_NOTE_ALLOWED: Final = frozenset("\n\r\t")


def shown(value: str, limit: int = 40) -> str:
    """The typed value as a message may repeat it: a short prefix, so a pasted essay stays out."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def printable_prefix(value: str, limit: int = 20) -> str:
    """A short prefix of ``value`` safe to repeat in a message: hidden characters shown as '?'."""
    return shown("".join(ch if ch.isprintable() else "?" for ch in value[: limit + 1]), limit)


def is_surrogate(ch: str) -> bool:
    """True for half of a UTF-16 pair on its own (no database can store one)."""
    return 0xD800 <= ord(ch) <= 0xDFFF


def hidden_character(text: str, kind: Kind = Kind.LINE) -> bool:
    """True when ``text`` holds a character its kind refuses (linear in the length)."""
    if kind is Kind.SECRET:
        return "\x00" in text or any(is_surrogate(ch) for ch in text)
    allowed = _NOTE_ALLOWED if kind is Kind.NOTE else frozenset()
    return any(unicodedata.category(ch) in _REFUSED_CATEGORIES and ch not in allowed for ch in text)


def check_text(value: object, name: str, label: str | None = None) -> None:
    """Refuse ``value`` when it is too long or holds hidden characters; anything not text passes.

    ``name`` is a key of :data:`TEXT_FIELDS` (unknown names get the one-line setting rule);
    ``label`` overrides the caption. The length is checked first, so nothing slow ever
    runs on a pasted essay; the message never repeats what was typed.

    Raises:
        ValidationError: naming the field (``field`` is ``name``).
    """
    if not isinstance(value, str):
        return
    rule = TEXT_FIELDS.get(name, TEXT_FIELDS["setting"])
    caption = label or rule.label
    if len(value) > rule.limit:
        raise ValidationError(f"{caption}: at most {rule.limit} characters.", field=name)
    # Spaces, tabs and line breaks around a value are trimmed later, never refused.
    if hidden_character(value if rule.kind is Kind.SECRET else value.strip(), rule.kind):
        raise ValidationError(
            f"{caption}: remove the invisible or control characters (retype it rather than pasting it).",
            field=name,
        )


def check_fields(**values: object) -> None:
    """:func:`check_text` for each keyword (its name is the field), in the order given."""
    for name, value in values.items():
        check_text(value, name)


def is_acceptable(value: object, name: str) -> bool:
    """True when :func:`check_text` would let ``value`` through (for the uniform patient answers)."""
    try:
        check_text(value, name)
    except ValidationError:
        return False
    return True


def clean_actor(actor: object) -> str:
    """The staff member's name as the audit log keeps it: plain printable text, at most 64 characters.

    Refuses control and escape characters, zero-width and direction marks, line breaks and
    the names the log uses for patients ("portal", "patient (portal)").

    Raises:
        ValidationError: naming the actor field.
    """
    text = actor.strip() if isinstance(actor, str) else ""
    if not text:
        raise ValidationError("Say who is making this change (staff name is required).", field="actor")
    if len(text) > ACTOR_LIMIT:
        raise ValidationError(f"Staff name: at most {ACTOR_LIMIT} characters.", field="actor")
    # isprintable() is False for control, format, surrogate, private-use, unassigned and
    # separator characters other than the plain space.
    if not text.isprintable():
        raise ValidationError(
            "Staff name: use plain letters, digits and punctuation (no invisible or control characters).",
            field="actor",
        )
    if " ".join(text.split()).casefold() in RESERVED_ACTORS:
        raise ValidationError(
            "Staff name: that name is kept for the patient portal; use your own staff name.", field="actor"
        )
    return text


def search_text(text: object) -> str:
    """What a search looks for: at most 200 characters, hidden characters dropped, never an error."""
    if not isinstance(text, str):
        return ""
    # Cut before cleaning so a pasted essay costs nothing; a little slack for dropped characters.
    head = text[: SEARCH_LIMIT * 2]
    kept = "".join(
        " " if ch in _NOTE_ALLOWED else ch
        for ch in head
        if ch in _NOTE_ALLOWED or unicodedata.category(ch) not in _REFUSED_CATEGORIES
    )
    return kept[:SEARCH_LIMIT]
