"""Patient search by name, MRN, date of birth, email or phone.

Every branch is an index range scan on a folded key (key >= 'smi' AND key < 'smj'),
which works the same on SQLite, PostgreSQL (byte-order "C" columns) and MariaDB,
so a prefix search stays fast at a million charts.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from clinic_desk.db.models import Patient
from clinic_desk.domain.chart import PatientSummary
from clinic_desk.domain.validation import fold, parse_date

_WORD = re.compile(r"[^\W_]+(?:['\-.][^\W_]+)*", re.UNICODE)


def _prefix(
    column: InstrumentedAttribute[str] | InstrumentedAttribute[str | None], prefix: str
) -> ColumnElement[bool]:
    # The smallest string greater than every string starting with prefix.
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(column >= prefix, column < upper)


def search_conditions(text: str) -> list[ColumnElement[bool]]:
    """The OR-ed conditions for what the receptionist typed (empty when nothing usable)."""
    raw = text.strip()
    if not raw:
        return []
    conditions: list[ColumnElement[bool]] = []
    folded = fold(raw)

    born = parse_date(raw)
    if born is not None:
        conditions.append(Patient.date_of_birth == born)

    digits = re.sub(r"\D", "", raw)
    if digits and not re.search(r"[A-Za-z@]", raw):
        conditions.append(Patient.mrn == digits)
        if len(digits) >= 3:
            conditions.append(_prefix(Patient.mrn, digits))
            conditions.append(_prefix(Patient.phone_digits, digits))
            if len(digits) == 11 and digits.startswith("1"):
                conditions.append(Patient.phone_digits == digits[1:])

    if "@" in raw or ("." in raw and " " not in raw):
        conditions.append(_prefix(Patient.email_key, raw.lower()))

    # "smith, john" means last name first; "john smith" may be either order.
    last_first = "," in raw
    words = [fold(word) for word in _WORD.findall(folded)]
    words = [word for word in words if word and not word.isdigit()]
    if len(words) == 1:
        conditions.append(_prefix(Patient.last_key, words[0]))
        conditions.append(_prefix(Patient.first_key, words[0]))
    elif len(words) >= 2:
        first, rest = words[0], " ".join(words[1:])
        conditions.append(and_(_prefix(Patient.last_key, first), _prefix(Patient.first_key, rest)))
        if not last_first:
            conditions.append(and_(_prefix(Patient.first_key, first), _prefix(Patient.last_key, rest)))
        # Compound last names ("de la cruz").
        conditions.append(_prefix(Patient.last_key, " ".join(words)))
    return conditions


def find_patients(session: Session, text: str, limit: int = 50) -> list[PatientSummary]:
    """Charts matching the search text, sorted by last then first name."""
    conditions = search_conditions(text)
    if not conditions:
        return []
    rows = session.scalars(
        select(Patient)
        .where(or_(*conditions))
        .order_by(Patient.last_key, Patient.first_key, Patient.id)
        .limit(limit)
    )
    return [
        PatientSummary(
            patient_id=p.id,
            mrn=p.mrn,
            first_name=p.first_name,
            last_name=p.last_name,
            date_of_birth=p.date_of_birth,
            email=p.email,
            phone=p.phone,
            status=p.status,
        )
        for p in rows
    ]
