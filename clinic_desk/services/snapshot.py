"""One patient as the dash and the wizard show it, read in one statement (DESIGN.md section 3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from clinic_desk.db.change_stamp import stamp_of
from clinic_desk.db.patient_read import read_patient
from clinic_desk.db.portal_facts import portal_facts_of
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
from clinic_desk.services.outbox import EmailTimelineEntry, timeline_entry
from clinic_desk.services.records import chart_of

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
    """Chart, status facts, photo, newest emails and change stamp in one statement; the plan is pure."""
    now = ctx.now()
    read = read_patient(session, patient_id, RECENT_EMAILS + 1)  # one more: are there older?
    settings = ctx.settings
    facts = portal_facts_of(read, settings.placeholder_domain, settings.placeholder_addresses)
    status = evaluate(facts, now)
    plan = build_plan(
        status, facts, ClinicAdvice.from_settings(settings), date_of_birth=read.patient.date_of_birth
    )
    emails = [timeline_entry(mail, token, now) for mail, token in read.recent_emails]
    return PatientSnapshot(
        patient_id=patient_id,
        chart=chart_of(read.patient, read.photo is not None),
        status=status,
        plan=plan,
        whitelisting=_whitelisting(plan, facts.email, ctx),
        photo=read.photo,
        emails=tuple(emails[:RECENT_EMAILS]),
        more_emails=len(emails) > RECENT_EMAILS,
        # Read in the same statement as everything else: a later change moves the next stamp.
        stamp=stamp_of(read.stamp_parts, now),
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
