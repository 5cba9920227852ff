"""Charts that may already be the patient a receptionist is about to add (same name, same birthday).

The walk-in form asks before saving: a second chart for one person splits their history
and their portal account. Names are compared by the keys the search stores them under, so
"José O'Neil" finds "Jose ONeil"; the date of birth must be the same day.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desk.db.models import Patient
from clinic_desk.db.search import summary_of
from clinic_desk.domain.chart import PatientSummary
from clinic_desk.domain.search_keys import name_key
from clinic_desk.domain.validation import clean_date_of_birth, clean_name
from clinic_desk.services.context import ServiceContext

# More than a handful of same-name, same-birthday charts is a data problem the list cannot fix.
MAX_MATCHES = 10


def same_name_and_birthday(
    session: Session,
    ctx: ServiceContext,
    *,
    first_name: str,
    last_name: str,
    date_of_birth: date | str,
) -> list[PatientSummary]:
    """Charts with this first and last name (as the search folds them) and this date of birth.

    Raises:
        ValidationError: a name or the date of birth is one ``add_patient`` would refuse
            (the same message, naming the same field).
    """
    first = name_key(clean_name(first_name, "First name"))
    last = name_key(clean_name(last_name, "Last name"))
    born = clean_date_of_birth(date_of_birth, ctx.now().date())
    rows = session.scalars(
        select(Patient)
        .where(Patient.last_key == last, Patient.first_key == first, Patient.date_of_birth == born)
        .order_by(Patient.id)
        .limit(MAX_MATCHES)
    )
    return [summary_of(p) for p in rows]
