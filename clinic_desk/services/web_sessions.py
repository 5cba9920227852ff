"""Patients signed in on the portal's pages: one row per web session, only its secret's hash kept.

A sign-in counts exactly like ``clinic.portal.login`` (lockout, first login, the desk's
change feed) and then starts a fresh session, so every sign-in gets a new secret (session
rotation). A session stops working when it ends (sign-out, a password change elsewhere),
sits unused longer than ``portal_session_idle_minutes``, or the patient may no longer sign
in (access off, status, lockout): :func:`find` checks all of it on every page.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from clinic_desk.db.models import Patient, PortalAccount, PortalWebSession
from clinic_desk.domain.access import can_sign_in
from clinic_desk.domain.portal_sessions import PortalSession, is_idle, needs_touch
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.hashing import hash_token, new_token
from clinic_desk.services.portal_guard import printable

# Longer than any token new_token() makes: such text is no session, and is not hashed.
TOKEN_LIMIT = 256


def start(session: Session, ctx: ServiceContext, patient_id: int) -> str:
    """A new web session for this patient; returns its secret (stored only as a hash)."""
    now = ctx.now()
    token, token_hash = new_token()
    session.add(
        PortalWebSession(token_hash=token_hash, patient_id=patient_id, created_at=now, last_seen_at=now)
    )
    return token


def session_of(session: Session, patient_id: int, token: str) -> PortalSession:
    """What the pages know about the signed-in patient."""
    patient = session.get_one(Patient, patient_id)
    account = session.get_one(PortalAccount, patient_id)
    return PortalSession(
        patient_id=patient_id,
        username=account.username or "",
        first_name=patient.preferred_name or patient.first_name,
        must_change_password=account.must_change_password,
        token=token,
    )


def _token_hash(token: object) -> str | None:
    if not isinstance(token, str) or not token.strip() or len(token) > TOKEN_LIMIT:
        return None
    return hash_token(printable(token))


def find(session: Session, ctx: ServiceContext, token: object) -> tuple[PortalSession, bool] | None:
    """The session this secret opens now, and whether its last_seen_at should move; None otherwise.

    A read: nothing is written (the caller touches the session in a write when asked to).
    """
    token_hash = _token_hash(token)
    if token_hash is None:
        return None
    row = session.execute(
        select(
            PortalWebSession.patient_id,
            PortalWebSession.last_seen_at,
            PortalWebSession.ended_at,
            PortalAccount.access_enabled,
            PortalAccount.locked_until,
            PortalAccount.username,
            Patient.status,
        )
        .join(PortalAccount, PortalAccount.patient_id == PortalWebSession.patient_id)
        .join(Patient, Patient.id == PortalWebSession.patient_id)
        .where(PortalWebSession.token_hash == token_hash)
    ).one_or_none()
    now = ctx.now()
    if row is None or row.ended_at is not None or row.username is None:
        return None
    if is_idle(row.last_seen_at, now, ctx.settings.portal_session_idle):
        return None
    if not can_sign_in(row.status, row.access_enabled):
        return None
    if row.locked_until is not None and row.locked_until > now:
        return None
    assert isinstance(token, str)
    return session_of(session, int(row.patient_id), token), needs_touch(row.last_seen_at, now)


def touch(session: Session, ctx: ServiceContext, token: str) -> None:
    """Move the session's last_seen_at to now (a page was used), unless it ended meanwhile."""
    token_hash = _token_hash(token)
    if token_hash is None:
        return
    session.execute(
        update(PortalWebSession)
        .where(PortalWebSession.token_hash == token_hash, PortalWebSession.ended_at.is_(None))
        .values(last_seen_at=ctx.now())
        .execution_options(synchronize_session=False)
    )


def sign_out(session: Session, ctx: ServiceContext, token: object) -> None:
    """End the session this secret opens; an unknown or ended one: nothing happens."""
    token_hash = _token_hash(token)
    if token_hash is None:
        return
    session.execute(
        update(PortalWebSession)
        .where(PortalWebSession.token_hash == token_hash, PortalWebSession.ended_at.is_(None))
        .values(ended_at=ctx.now())
        .execution_options(synchronize_session=False)
    )


def end_sessions(session: Session, patient_id: int, at: datetime, *, keep_token: object = None) -> None:
    """End the patient's open web sessions (all but ``keep_token``'s): their password changed."""
    filters = [PortalWebSession.patient_id == patient_id, PortalWebSession.ended_at.is_(None)]
    kept = _token_hash(keep_token)
    if kept is not None:
        filters.append(PortalWebSession.token_hash != kept)
    session.execute(
        update(PortalWebSession)
        .where(*filters)
        .values(ended_at=at)
        .execution_options(synchronize_session=False)
    )
