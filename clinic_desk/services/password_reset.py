"""'Forgot your password?' on the portal: one answer, whether or not anything matched.

The patient types a username or an email. When it names exactly one chart that may get a
portal email now (access on, a real address, active or prospective), a reset email is
queued and audited, exactly as staff's "Send invitation" queues it; otherwise nothing
happens and nothing says so. Requests are limited per chart (3 an hour: nobody floods a
patient's inbox) and per client address, in the database, so every portal process shares
the limits. A request over a limit is dropped just as quietly.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desk.db.models import Patient, PortalAccount
from clinic_desk.domain.errors import NotAllowed
from clinic_desk.domain.text_rules import PATIENT_ACTOR, is_acceptable
from clinic_desk.services import attempts
from clinic_desk.services.attempts import Limit
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.portal_guard import clean_source, from_source, typed_key
from clinic_desk.services.records import get_account, get_patient
from clinic_desk.services.staff_login import check_can_invite, queue_invitation

HOUR: Final = timedelta(hours=1)
PER_CHART: Final = Limit("reset_chart", 3, HOUR)
PER_SOURCE: Final = Limit("reset_source", 10, HOUR)


def _one_chart(session: Session, typed: str) -> int | None:
    """The one chart whose username is ``typed``, else the one whose email is; None for none or several."""
    owner = session.scalar(select(PortalAccount.patient_id).where(PortalAccount.username_key == typed))
    if owner is not None:
        return int(owner)
    ids = list(session.scalars(select(Patient.id).where(Patient.email_key == typed).limit(2)))
    return int(ids[0]) if len(ids) == 1 else None


def _room(session: Session, limit: Limit, key: str, ctx: ServiceContext) -> bool:
    """Count one request against ``key``; False when it is over the limit."""
    now = ctx.now()
    locked = attempts.reserve(session, limit, key, now)
    attempts.failed(session, limit, key, now)  # every request counts toward the limit
    return not locked


def request_reset(
    session: Session, ctx: ServiceContext, username_or_email: object, *, source: object = None
) -> None:
    """Queue a reset email when the text names one chart that may get one; always None."""
    # Text no username or email can be (too long, hidden characters) matches nothing.
    typed = typed_key(username_or_email) if is_acceptable(username_or_email, "email") else ""
    address = clean_source(source)
    if not typed:
        return
    if address is not None and not _room(
        session, PER_SOURCE, attempts.key_hash(PER_SOURCE.scope, address), ctx
    ):
        return
    patient_id = _one_chart(session, typed)
    if patient_id is None:
        return
    if not _room(session, PER_CHART, attempts.key_hash(PER_CHART.scope, str(patient_id)), ctx):
        return
    patient = get_patient(session, patient_id)
    account = get_account(session, patient_id)
    try:
        check_can_invite(patient, account, ctx)
    except NotAllowed:
        return
    queue_invitation(session, ctx, patient, account, actor=PATIENT_ACTOR, note=from_source(address))
