"""'I am a registered patient': claiming a chart, decided through the wizard's match check."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desk.db.match_candidates import claim_candidates
from clinic_desk.db.models import Patient
from clinic_desk.domain.access import can_sign_in
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.match_check import (
    CAN_CREATE,
    CandidateChart,
    MatchReport,
    check_match,
)
from clinic_desk.domain.search_keys import name_key
from clinic_desk.domain.text_rules import PATIENT_ACTOR
from clinic_desk.domain.validation import (
    check_password,
    clean_date_of_birth,
    clean_email,
    clean_name,
    clean_username,
    clean_zip,
)
from clinic_desk.services import attempts, audit
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.portal_guard import (
    Refusal,
    clean_source,
    from_source,
    identity_key,
    identity_limit,
    is_source_locked,
    refuse,
)
from clinic_desk.services.records import access_audit_fields, get_account, get_patient
from clinic_desk.services.staff import ensure_username_free, set_login


def claim_report(
    session: Session,
    ctx: ServiceContext,
    *,
    email: str | None,
    last_name: str | None,
    date_of_birth: date | str | None,
    zip_code: str | None,
) -> MatchReport:
    """What the portal makes of the four details a patient types to claim a chart.

    The portal decides through the same :func:`check_match` the wizard's match check
    replays, so the two can never disagree.
    """
    today = ctx.now().date()
    placeholder = ctx.settings.placeholder_domain
    candidates: list[CandidateChart] = []
    try:
        email_clean = clean_email(email, placeholder)
        last_key = name_key(clean_name(last_name or "", "Last name"))
        born = clean_date_of_birth(date_of_birth or "", today)
    except ValidationError:
        email_clean = None  # check_match says what cannot be read
    if email_clean:
        candidates = claim_candidates(
            session, email_key=email_clean.lower(), last_key=last_key, date_of_birth=born
        )
    return check_match(
        candidates,
        email=email,
        last_name=last_name,
        date_of_birth=date_of_birth,
        zip_code=zip_code,
        placeholder_domain=placeholder,
        today=today,
    )


def matching_charts(
    session: Session,
    ctx: ServiceContext,
    *,
    email: str,
    last_name: str,
    date_of_birth: date | str,
    zip_code: str,
) -> list[int]:
    """Ids of the charts where email, last name, date of birth and ZIP code all match."""
    report = claim_report(
        session, ctx, email=email, last_name=last_name, date_of_birth=date_of_birth, zip_code=zip_code
    )
    _refuse_unreadable(report)
    return [chart.patient_id for chart in report.matches]


def _refuse_unreadable(report: MatchReport) -> None:
    """The patient's own typing cannot be read: say what to fix."""
    if report.problems:
        raise ValidationError(" ".join(report.problems))


def claim_account(
    session: Session,
    ctx: ServiceContext,
    *,
    email: str,
    last_name: str,
    date_of_birth: date | str,
    zip_code: str,
    username: str,
    password: str,
    source: str | None = None,
) -> int | Refusal:
    """An existing patient creates their own account ("I am a registered patient").

    Wrong tries are counted per claimed identity (email, last name and ZIP code), so the
    date of birth cannot be guessed past the limit; no chart, several charts, access off,
    an account already there and a locked identity all get the one uniform refusal.
    """
    source = clean_source(source)
    username = clean_username(username)
    check_password(password, username)
    today = ctx.now().date()
    placeholder = ctx.settings.placeholder_domain
    # What cannot be read is said before anything is looked up (it depends on the typing only).
    _refuse_unreadable(
        check_match(
            [],
            email=email,
            last_name=last_name,
            date_of_birth=date_of_birth,
            zip_code=zip_code,
            placeholder_domain=placeholder,
            today=today,
        )
    )
    ensure_username_free(session, username, None)
    email_key = (clean_email(email, placeholder) or "").lower()
    last_key = name_key(clean_name(last_name, "Last name"))
    zip_key = (clean_zip(zip_code) or "")[:5]

    now = ctx.now()
    limit = identity_limit(ctx.settings)
    key = identity_key("claim", email_key, last_key, zip_key)
    locked = attempts.reserve(session, limit, key, now)  # later claims of this identity wait here
    report = claim_report(
        session, ctx, email=email, last_name=last_name, date_of_birth=date_of_birth, zip_code=zip_code
    )
    source_locked = is_source_locked(session, ctx, source)
    chart = report.matches[0] if report.outcome == CAN_CREATE else None
    account = get_account(session, chart.patient_id) if chart is not None else None
    patient = get_patient(session, chart.patient_id) if chart is not None else None
    allowed = (
        account is not None
        and patient is not None
        and can_sign_in(patient.status, account.access_enabled)
        and account.username is None
    )
    if locked or source_locked or not allowed:
        attempts.failed(session, limit, key, now)
        concerned = list(
            session.scalars(
                select(Patient.id)
                .where(Patient.email_key == email_key, Patient.last_key == last_key)
                .order_by(Patient.id)
                .limit(5)
            )
        )
        why = "too_many_tries" if locked or source_locked else str(report.outcome)
        return refuse(
            session, ctx, action="portal_claim_refused", why=why, source=source, patient_ids=concerned
        )
    assert account is not None and patient is not None
    attempts.forgive(session, limit, key)
    before = access_audit_fields(account)
    set_login(account, username, password)
    account.must_change_password = False
    audit.record_access_change(
        session,
        account,
        before,
        at=now,
        actor=PATIENT_ACTOR,
        action="claim_account",
        note=from_source(source),
    )
    return patient.id
