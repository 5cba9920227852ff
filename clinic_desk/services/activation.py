"""Activation codes (DESIGN.md section 7): staff print one for a patient without email, the
patient types it with their date of birth on the portal's ``/activate`` page and chooses a
username and password.

A code is a link of kind "activation" in ``portal_tokens``: stored only as the SHA-256 of
its normal form (as link tokens are), one use, it expires (``activation_code_days``), and a
newer code, invitation or reset ends it (the same purpose, :mod:`link_life`), as do access
turned off, the patient made inactive or deceased, and credentials set by hand.

Why guessing is hopeless: there are 31**8 (about 8.5e11) codes. With even 10,000 codes
alive at once a random guess hits one with a chance of about 1 in 85 million, and each
client address may fail ``source_attempt_limit`` (50) times an hour: one address would need
centuries of nonstop tries to hit a live code once. Even then the date of birth must match,
and the tries against one code stop at ``claim_attempt_limit`` (5) an hour, while the code
itself lives only 30 days. Every refusal is counted and audited, so staff would see it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from clinic_desk.db.models import Patient, PortalAccount, PortalToken
from clinic_desk.domain import codes
from clinic_desk.domain.access import can_sign_in
from clinic_desk.domain.activation_codes import ActivationCode, letter_language, new_code, normalise_code
from clinic_desk.domain.errors import NotAllowed, ValidationError
from clinic_desk.domain.links import EndReason, LinkState, link_state
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.validation import check_password, clean_date_of_birth, clean_username
from clinic_desk.services import attempts, audit
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.hashing import hash_token
from clinic_desk.services.link_life import end_links, same_purpose
from clinic_desk.services.permissions import authorize
from clinic_desk.services.portal import use_link
from clinic_desk.services.portal_guard import (
    Refusal,
    clean_source,
    identity_key,
    identity_limit,
    is_source_locked,
    refuse,
)
from clinic_desk.services.records import get_account, get_patient

# What portal_tokens.sent_to says of a code: it went out on paper, to no address.
SENT_ON_PAPER = "printed letter"
ACTIVATE_PATH = "/activate"
_REFUSED_ACTION = "portal_activation_refused"
_DEAD = {LinkState.USED: "code_used", LinkState.EXPIRED: "code_expired", LinkState.REVOKED: "code_revoked"}


def issue_activation_code(
    session: Session, ctx: ServiceContext, patient_id: int, *, actor: str
) -> ActivationCode:
    """A new one-use code for a printed letter; the patient's older code (and any invitation or
    reset link) stops working. Audited without the code.

    Raises:
        NotAllowed: the actor may not, or the patient is deceased or inactive.
        ValidationError: portal access is off ("Turn portal access on first.").
    """
    actor = authorize(session, actor, Permission.CHART_WORK)
    patient = get_patient(session, patient_id)
    account = get_account(session, patient_id)
    if patient.status in (codes.DECEASED, codes.INACTIVE):
        raise NotAllowed(f"{patient.full_name} is {patient.status}: no activation code can be issued.")
    if not can_sign_in(patient.status, account.access_enabled):
        raise ValidationError(
            f"Turn portal access on first: {patient.full_name}'s code works only while access is on."
        )
    now = ctx.now()
    end_links(session, patient.id, same_purpose(codes.ACTIVATION), EndReason.REPLACED, now)
    code = _unused_code(session)
    expires = now + ctx.settings.activation_code_lifetime
    session.add(
        PortalToken(
            patient_id=patient.id,
            kind=codes.ACTIVATION,
            token_hash=hash_token(code),
            sent_to=SENT_ON_PAPER,
            created_at=now,
            expires_at=expires,
        )
    )
    audit.record(
        session,
        at=now,
        actor=actor,
        action=f"send_{codes.ACTIVATION}",
        patient_id=patient.id,
        after={"kind": codes.ACTIVATION, "expires_at": expires},
    )
    settings = ctx.settings
    return ActivationCode(
        code=code,
        expires_at=expires,
        patient_id=patient.id,
        patient_name=f"{patient.preferred_name or patient.first_name} {patient.last_name}",
        language=letter_language(patient.preferred_language),
        clinic_name=settings.clinic_name,
        activate_url=settings.portal_url.rstrip("/") + ACTIVATE_PATH,
    )


def _why_refused(
    row: PortalToken, patient: Patient, account: PortalAccount, *, born: date, locked: bool, now: datetime
) -> str | None:
    """Why a code that exists does not open the account now (for the audit), or None when it does."""
    state = link_state(used_at=row.used_at, revoked_at=row.revoked_at, expires_at=row.expires_at, now=now)
    if locked:
        return "too_many_tries"
    if state is not LinkState.ACTIVE:
        return _DEAD[state]
    if patient.date_of_birth != born:
        return "wrong_date_of_birth"
    if not can_sign_in(patient.status, account.access_enabled):
        return "access_off"
    return None


def _unused_code(session: Session) -> str:
    """A fresh code no link row holds yet (a clash is about one in a billion: draw again)."""
    while True:
        code = new_code()
        if not session.scalar(select(exists().where(PortalToken.token_hash == hash_token(code)))):
            return code


def activate(
    session: Session,
    ctx: ServiceContext,
    code: object,
    *,
    date_of_birth: date | str,
    username: str,
    password: str,
    source: str | None = None,
) -> int | Refusal:
    """The patient types the letter's code and their date of birth and chooses a username and password.

    The new username and password (the patient's own new input) and a readable date are
    checked first, before anything is looked up. Then a wrong or dead code, a wrong date of
    birth, access off and too many tries all get the one uniform refusal, counted per client
    address and per code (so a code's date of birth cannot be guessed either).
    The account then has credentials and has never logged in (gold) until the first sign-in.
    """
    source = clean_source(source)
    username = clean_username(username)
    check_password(password, username)
    born = clean_date_of_birth(date_of_birth, ctx.now().date())
    now = ctx.now()
    typed = normalise_code(code)
    if typed is None or is_source_locked(session, ctx, source):
        first = "unknown_code" if typed is None else "too_many_tries"
        return refuse(session, ctx, action=_REFUSED_ACTION, why=first, source=source)
    # Locked until commit: simultaneous tries at one code queue here, and each sees the one before.
    row = session.scalar(
        select(PortalToken)
        .where(PortalToken.token_hash == hash_token(typed), PortalToken.kind == codes.ACTIVATION)
        .with_for_update()
    )
    if row is None:  # no per-code counter for a code nobody holds: the address's count is enough
        return refuse(session, ctx, action=_REFUSED_ACTION, why="unknown_code", source=source)
    limit = identity_limit(ctx.settings)
    key = identity_key(codes.ACTIVATION, typed)
    locked = attempts.reserve(session, limit, key, now)  # tries at this code queue here
    patient = get_patient(session, row.patient_id)
    account = get_account(session, row.patient_id)
    why = _why_refused(row, patient, account, born=born, locked=locked, now=now)
    if why is not None:
        attempts.failed(session, limit, key, now)
        return refuse(session, ctx, action=_REFUSED_ACTION, why=why, source=source, patient_ids=[patient.id])
    attempts.forgive(session, limit, key)
    use_link(session, row, account, username, password, now=now, action="accept_activation", source=source)
    return patient.id
