"""Patient search by name, MRN, date of birth, email or phone.

Every branch is an index range scan on a folded key (key >= 'smi' AND key < 'smj'),
which works the same on SQLite, PostgreSQL (byte-order "C" columns) and MariaDB,
so a prefix search stays fast at a million charts.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, select, union
from sqlalchemy.orm import InstrumentedAttribute, Session

from clinic_desk.db.models import Patient
from clinic_desk.domain.chart import PatientSummary
from clinic_desk.domain.email_idn import ascii_email
from clinic_desk.domain.search_keys import name_key
from clinic_desk.domain.text_rules import search_text
from clinic_desk.domain.validation import parse_date

_ASCII_DIGITS = frozenset(string.digits)
_LETTERS_OR_AT = frozenset(string.ascii_letters + "@")


def _prefix(
    column: InstrumentedAttribute[str] | InstrumentedAttribute[str | None], prefix: str
) -> ColumnElement[bool]:
    upper = _next_after(prefix)
    if upper is None:  # nothing sorts after it: every key from the prefix on
        return column >= prefix
    return and_(column >= prefix, column < upper)


def _next_after(prefix: str) -> str | None:
    """The smallest string greater than every string starting with ``prefix`` (None: none is).

    Never a lone surrogate (no database stores one), never past U+10FFFF.
    """
    stem = prefix.rstrip(chr(0x10FFFF))
    if not stem:
        return None
    following = ord(stem[-1]) + 1
    if 0xD800 <= following <= 0xDFFF:
        following = 0xE000
    return stem[:-1] + chr(following)


@dataclass(frozen=True)
class Branch:
    """One way the text may match, with the index order that answers it without sorting."""

    condition: ColumnElement[bool]
    order: tuple[Any, ...]


def search_branches(text: str) -> list[Branch]:
    """The ways what the receptionist typed may match a chart (empty when nothing usable)."""
    # Never an error, whatever was typed or pasted: hidden characters go, the length is capped.
    raw = search_text(text).strip()
    if not raw:
        return []
    branches: list[Branch] = []
    by_name = (Patient.last_key, Patient.first_key, Patient.id)
    by_phone = (Patient.phone_digits, Patient.id)

    born = parse_date(raw)
    if born is not None:
        branches.append(Branch(Patient.date_of_birth == born, (Patient.date_of_birth, Patient.id)))

    digits = "".join(ch for ch in raw if ch in _ASCII_DIGITS)
    if digits and not any(ch in _LETTERS_OR_AT for ch in raw):
        if len(digits) >= 3:
            branches.append(Branch(_prefix(Patient.mrn, digits), (Patient.mrn,)))
            branches.append(Branch(_prefix(Patient.phone_digits, digits), by_phone))
            if len(digits) == 11 and digits.startswith("1"):
                branches.append(
                    Branch(Patient.phone_digits == digits[1:], (Patient.phone_digits, Patient.id))
                )
        else:
            branches.append(Branch(Patient.mrn == digits, (Patient.mrn,)))
    elif digits and " " not in raw and "@" not in raw:
        # An MRN another system gave (imported: DEMO-1001, MRN10001): the whole of it, exactly.
        branches.append(Branch(Patient.mrn == raw, (Patient.mrn,)))

    if "@" in raw or ("." in raw and " " not in raw):
        typed = ascii_email(raw.lower())
        branches.append(Branch(_prefix(Patient.email_key, typed), (Patient.email_key, Patient.id)))

    # "smith, john" means last name first; "john smith" may be either order. Names are
    # compared by the keys they are stored under (O'Brien, St. John, Smith/Jones...).
    last_first = "," in raw
    words = [word for word in name_key(raw).split() if not word.isdigit()]
    if last_first:
        # Everything before the comma is the last name, however many words ("St. John, Pat").
        last_part, first_part = (name_key(part) for part in raw.split(",", 1))
        if last_part and first_part:
            branches.append(
                Branch(
                    and_(_prefix(Patient.last_key, last_part), _prefix(Patient.first_key, first_part)),
                    by_name,
                )
            )
    if len(words) == 1:
        branches.append(Branch(_prefix(Patient.last_key, words[0]), by_name))
        branches.append(Branch(_prefix(Patient.first_key, words[0]), (Patient.first_key, Patient.id)))
    elif len(words) >= 2:
        first, rest = words[0], " ".join(words[1:])
        branches.append(
            Branch(and_(_prefix(Patient.last_key, first), _prefix(Patient.first_key, rest)), by_name)
        )
        if not last_first:
            # In the list's own order: the (last, first) index answers it without reading a
            # chart row, and the branch's first rows are the list's first rows.
            branches.append(
                Branch(and_(_prefix(Patient.first_key, first), _prefix(Patient.last_key, rest)), by_name)
            )
        # Compound last names ("de la cruz").
        branches.append(Branch(_prefix(Patient.last_key, " ".join(words)), by_name))
    return branches


def search_conditions(text: str) -> list[ColumnElement[bool]]:
    """The OR-ed conditions for what the receptionist typed (empty when nothing usable)."""
    return [branch.condition for branch in search_branches(text)]


def find_patients(session: Session, text: str, limit: int = 50) -> list[PatientSummary]:
    """Charts matching the search text, sorted by last then first name.

    Each branch takes at most ``limit`` ids in its own index order (no big sort when a
    prefix matches a hundred thousand phone numbers); one statement unions them.
    """
    branches = search_branches(text)
    if not branches:
        return []
    parts = [
        select(Patient.id.label("id")).where(branch.condition).order_by(*branch.order).limit(limit).subquery()
        for branch in branches
    ]
    found = union(*[select(part.c.id) for part in parts]).subquery()
    # Only the columns a result line shows: no ORM objects to build (the list is rebuilt per key).
    rows = session.execute(
        select(*_SUMMARY_COLUMNS)
        .join(found, found.c.id == Patient.id)
        .order_by(Patient.last_key, Patient.first_key, Patient.id)
        .limit(limit)
    )
    return [PatientSummary(**row._asdict()) for row in rows]


#: The columns of a :class:`PatientSummary`, named as its fields.
_SUMMARY_COLUMNS = (
    Patient.id.label("patient_id"),
    Patient.mrn,
    Patient.first_name,
    Patient.last_name,
    Patient.date_of_birth,
    Patient.email,
    Patient.phone,
    Patient.status,
)


def summary_of(patient: Patient) -> PatientSummary:
    """A search result line for the chart."""
    return PatientSummary(
        patient_id=patient.id,
        mrn=patient.mrn,
        first_name=patient.first_name,
        last_name=patient.last_name,
        date_of_birth=patient.date_of_birth,
        email=patient.email,
        phone=patient.phone,
        status=patient.status,
    )
