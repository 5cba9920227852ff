"""What the dash and the wizard show about a patient, each read in one transaction."""

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
from clinic_desk.domain.troubleshooting import ClinicAdvice, TroubleshootingPlan, build_plan
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.outbox import EmailTimelineEntry, email_timeline
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
    stamp = change_stamp(session, patient_id, now)
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


@dataclass(frozen=True)
class TroubleshootingView:
    """What the wizard shows: the plan, the email history and the address on file."""

    plan: TroubleshootingPlan
    emails: tuple[EmailTimelineEntry, ...]
    email: str | None


def load_plan(
    session: Session, ctx: ServiceContext, patient_id: int
) -> tuple[TroubleshootingPlan, str | None]:
    """The wizard's plan and the email on file, from one consistent read."""
    facts = load_portal_facts(session, patient_id, ctx.settings.placeholder_domain)
    born = get_patient(session, patient_id).date_of_birth  # already in the session: no query
    advice = ClinicAdvice.from_settings(ctx.settings)
    return build_plan(evaluate(facts, ctx.now()), facts, advice, date_of_birth=born), facts.email


def load_troubleshooting(session: Session, ctx: ServiceContext, patient_id: int) -> TroubleshootingView:
    """The plan and every email to the patient (newest first)."""
    plan, email = load_plan(session, ctx, patient_id)
    return TroubleshootingView(
        plan=plan, emails=tuple(email_timeline(session, patient_id, ctx.now())), email=email
    )
