"""Signing in on the portal: the password check every patient sign-in shares, and changing it.

See :mod:`clinic_desk.services.portal` for the rules every patient path follows. ``login``
(the API's True/False), the web pages' ``sign_in`` (:mod:`clinic_desk.services.web_sessions`)
and ``change_password`` all count through :func:`check_sign_in`, so they lock out alike.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from clinic_desk.db.models import Patient, PortalAccount, PortalEvent
from clinic_desk.domain import codes
from clinic_desk.domain.access import can_sign_in
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.portal_sessions import PortalSession
from clinic_desk.domain.text_rules import PATIENT_ACTOR
from clinic_desk.domain.validation import check_password
from clinic_desk.services import attempts, audit, web_sessions
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.hashing import hash_password, verify_against_nothing, verify_password
from clinic_desk.services.portal_guard import (
    USERNAME_LIMIT,
    Refusal,
    clean_source,
    count_source,
    from_source,
    is_source_locked,
    refuse,
    secret_text,
    typed_key,
)


def check_sign_in(
    session: Session, ctx: ServiceContext, typed: str, secret: str, source: str | None, *, action: str
) -> int | None:
    """The patient id when the typed username and password open the account now, else None.

    One Argon2 check whatever happens (a dummy hash when there is no account or no
    password). The account's attempt is counted before the check, so simultaneous
    guesses queue and none gets past the lockout; a success takes the count back.
    """
    now = ctx.now()
    settings = ctx.settings
    source_locked = is_source_locked(session, ctx, source)
    row = None
    if len(typed) <= USERNAME_LIMIT:
        row = session.execute(
            select(
                PortalAccount.patient_id,
                PortalAccount.password_hash,
                PortalAccount.access_enabled,
                Patient.status,
            )
            .join(Patient, Patient.id == PortalAccount.patient_id)
            .where(PortalAccount.username_key == typed)
        ).one_or_none()
    if row is None:
        verify_against_nothing(secret)
        kind = (
            codes.EVENT_SIGN_IN_UNKNOWN_USERNAME
            if action == "login"
            else codes.EVENT_CHANGE_PASSWORD_UNKNOWN_USERNAME
        )
        session.add(PortalEvent(at=now, kind=kind, typed_key=typed, source=source))
        count_source(session, ctx, source)
        return None
    count = attempts.reserve_account(session, row.patient_id, now)
    if row.password_hash:
        matches = verify_password(row.password_hash, secret)
    else:
        matches = verify_against_nothing(secret)
    allowed = can_sign_in(row.status, row.access_enabled)
    if matches and allowed and not count.locked(now) and not source_locked:
        attempts.account_signed_in(session, row.patient_id, now, count_login=action == "login")
        return int(row.patient_id)
    if source_locked or count.locked(now):
        why = "too_many_tries" if source_locked else "account_locked"
    else:
        why = "access_off" if not allowed else "wrong_password"
    after = attempts.account_failed(
        session, row.patient_id, now, threshold=settings.lockout_threshold, lock_for=settings.lockout_duration
    )
    refuse(
        session,
        ctx,
        action=f"portal_{action}_failed",
        why=why,
        source=source,
        patient_ids=[row.patient_id],
        failed_logins=after.failed_logins,
        locked_until=after.locked_until,
    )
    return None


def login_patient(
    session: Session, ctx: ServiceContext, username: object, password: object, *, source: str | None = None
) -> int | None:
    """The patient id when the patient may come in (counted and audited as a login), else None.

    Never raises for anything typed. Blank fields are turned away before anything is
    looked up or counted.
    """
    typed = typed_key(username)
    secret = secret_text(password)
    if not typed or not secret:
        return None
    source = clean_source(source)
    patient_id = check_sign_in(session, ctx, typed, secret, source, action="login")
    if patient_id is None:
        return None
    audit.record(
        session,
        at=ctx.now(),
        actor=PATIENT_ACTOR,
        action="portal_login",
        patient_id=patient_id,
        note=from_source(source),
    )
    return patient_id


def login(
    session: Session, ctx: ServiceContext, username: object, password: object, *, source: str | None = None
) -> bool:
    """True when the patient may come in; False for unknown, disabled, locked and wrong alike."""
    return login_patient(session, ctx, username, password, source=source) is not None


def change_password(
    session: Session,
    ctx: ServiceContext,
    username: str,
    old_password: str,
    new_password: str,
    *,
    source: str | None = None,
    keep_token: str | None = None,
) -> Refusal | None:
    """The patient replaces their password (clears 'must change password').

    The current password is checked like a sign-in: counted, locked out, refused for a
    chart that may not use the portal. The new password is checked first, as it is the
    patient's own new input. The patient's web sessions end, all but ``keep_token``'s (the
    page the change was made on): whoever else knew the old password is signed out.
    """
    typed = typed_key(username)
    secret = secret_text(old_password)
    check_password(new_password, typed)
    if new_password == secret:
        raise ValidationError("Password: choose a password different from the current one.", field="password")
    if not typed or not secret:
        return Refusal()
    source = clean_source(source)
    patient_id = check_sign_in(session, ctx, typed, secret, source, action="change_password")
    if patient_id is None:
        return Refusal()
    session.execute(
        update(PortalAccount)
        .where(PortalAccount.patient_id == patient_id)
        .values(
            password_hash=hash_password(new_password),
            must_change_password=False,
            version=PortalAccount.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    web_sessions.end_sessions(session, patient_id, ctx.now(), keep_token=keep_token)
    audit.record(
        session,
        at=ctx.now(),
        actor=PATIENT_ACTOR,
        action="change_password",
        patient_id=patient_id,
        note=from_source(source),
    )
    return None


def sign_in(
    session: Session, ctx: ServiceContext, username: object, password: object, *, source: str | None = None
) -> PortalSession | Refusal:
    """The portal page's sign-in: counted exactly like :func:`login`, then a fresh web session."""
    patient_id = login_patient(session, ctx, username, password, source=source)
    if patient_id is None:
        return Refusal()
    token = web_sessions.start(session, ctx, patient_id)
    return web_sessions.session_of(session, patient_id, token)
