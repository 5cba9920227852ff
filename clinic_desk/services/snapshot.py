"""Everything the patient dash shows, read in one transaction with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desk.db.change_stamp import change_stamp
from clinic_desk.db.models import PatientPhoto
from clinic_desk.db.portal_facts import load_portal_facts
from clinic_desk.domain.chart import PatientChart
from clinic_desk.domain.status import PortalStatus, evaluate
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.delivery import EmailTimelineEntry, email_timeline
from clinic_desk.services.records import chart_of, get_patient


@dataclass(frozen=True)
class PatientSnapshot:
    """One patient as the dash shows it, read at one moment (plain values only)."""

    patient_id: int
    chart: PatientChart
    status: PortalStatus
    photo: bytes | None
    emails: tuple[EmailTimelineEntry, ...]
    stamp: tuple[Any, ...]
    today: date


def load_snapshot(session: Session, ctx: ServiceContext, patient_id: int, *, emails: int) -> PatientSnapshot:
    """Stamp, chart, status facts, photo and the newest emails: 7 queries whatever the patient."""
    now = ctx.now()
    # The stamp is read first: a change made while we read shows up at the next check.
    stamp = (*change_stamp(session, patient_id), now.replace(second=0, microsecond=0))
    facts = load_portal_facts(session, patient_id, ctx.settings.placeholder_domain)
    patient = get_patient(session, patient_id)  # already in the session: no query
    photo = session.scalar(select(PatientPhoto.image).where(PatientPhoto.patient_id == patient_id))
    return PatientSnapshot(
        patient_id=patient_id,
        chart=chart_of(patient, photo is not None),
        status=evaluate(facts, now),
        photo=bytes(photo) if photo is not None else None,
        emails=tuple(email_timeline(session, patient_id, now, emails)),
        stamp=stamp,
        today=now.date(),
    )
