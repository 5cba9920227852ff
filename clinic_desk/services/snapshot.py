"""One patient as the dash and the wizard show it, read in one transaction (DESIGN.md section 3)."""

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
from clinic_desk.domain.troubleshooting import (
    EMAILS_NOT_ARRIVING,
    WHITELIST_ADVICE,
    ClinicAdvice,
    TroubleshootingPlan,
    build_plan,
)
from clinic_desk.domain.whitelisting import WhitelistAdvice, whitelisting_advice
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.outbox import EmailTimelineEntry, email_timeline
from clinic_desk.services.records import chart_of, get_patient

#: How many of the patient's newest emails a snapshot carries: the dash's email card
#: and the wizard's history both list these (the whole timeline is ``clinic.mail.timeline``).
RECENT_EMAILS = 5


@dataclass(frozen=True)
class PatientSnapshot:
    """One patient as the dash and the wizard show it, read at one moment (plain values only)."""

    patient_id: int
    chart: PatientChart
    status: PortalStatus
    plan: TroubleshootingPlan
    whitelisting: WhitelistAdvice | None  # the mail provider's whitelisting steps, when the plan needs them
    photo: bytes | None
    emails: tuple[EmailTimelineEntry, ...]  # newest first, at most RECENT_EMAILS
    more_emails: bool  # older emails exist beyond these
    stamp: tuple[Any, ...]
    today: date


def load_snapshot(session: Session, ctx: ServiceContext, patient_id: int) -> PatientSnapshot:
    """Stamp, chart, status facts, photo and the newest emails (a fixed few queries); the plan is pure."""
    now = ctx.now()
    # The stamp is read first: a change made while we read shows up at the next check.
    stamp = change_stamp(session, patient_id, now)
    facts = load_portal_facts(
        session, patient_id, ctx.settings.placeholder_domain, ctx.settings.placeholder_addresses
    )
    patient = get_patient(session, patient_id)  # already in the session: no query
    photo = session.scalar(select(PatientPhoto.image).where(PatientPhoto.patient_id == patient_id))
    status = evaluate(facts, now)
    advice = ClinicAdvice.from_settings(ctx.settings)
    plan = build_plan(status, facts, advice, date_of_birth=patient.date_of_birth)
    emails = email_timeline(session, patient_id, now, RECENT_EMAILS + 1)  # one more: are there older?
    return PatientSnapshot(
        patient_id=patient_id,
        chart=chart_of(patient, photo is not None),
        status=status,
        plan=plan,
        whitelisting=_whitelisting(plan, facts.email, ctx),
        photo=bytes(photo) if photo is not None else None,
        emails=tuple(emails[:RECENT_EMAILS]),
        more_emails=len(emails) > RECENT_EMAILS,
        stamp=stamp,
        today=now.date(),
    )


def _whitelisting(
    plan: TroubleshootingPlan, email: str | None, ctx: ServiceContext
) -> WhitelistAdvice | None:
    needed = any(step.id == WHITELIST_ADVICE for step in plan.steps) or any(
        tip.id == EMAILS_NOT_ARRIVING for tip in plan.tips
    )
    if not needed:
        return None
    settings = ctx.settings
    return whitelisting_advice(email, settings.sender_address, settings.whitelist_domain)
