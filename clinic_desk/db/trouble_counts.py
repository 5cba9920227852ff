"""How many charts have each trouble spot now, counted on demand (DESIGN.md section 6).

The time-dependent spots (an expired link, a locked account) and those read from the
newest link or email are index-shaped queries: each reads only the rows that are in
trouble (locked until after now, expired before now, failed, failed logins), never
every chart. The spots decided by the domain's email words (placeholder, possible
typo, username that is an old email, shared email) are judged by the same domain
functions the icon uses, over one pass of the charts' email and username.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from functools import cache

from sqlalchemy import exists, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from clinic_desk.db.models import OutboxEmail, Patient, PortalAccount, PortalEvent, PortalToken
from clinic_desk.domain import codes
from clinic_desk.domain.codes import EmailStatus
from clinic_desk.domain.email_checks import is_placeholder, looks_like_email, same_email, suggest_email

_LINK_KINDS = (codes.INVITATION, codes.RESET)


def count_by_trouble(
    session: Session, now: datetime, placeholder_domain: str, placeholder_addresses: tuple[str, ...]
) -> dict[str, int]:
    """{trouble spot code: how many charts have it at ``now``}, every code present."""
    counts = dict.fromkeys(codes.TROUBLE_SPOTS, 0)
    counts[codes.NO_INVITATION_SENT] = _no_invitation_sent(session)
    counts[codes.INVITATION_EXPIRED] = _invitation_expired(session, now)
    counts[codes.EMAIL_DELIVERY_FAILED] = _delivery_failed(session)
    counts[codes.ACCOUNT_LOCKED] = int(
        session.scalar(select(func.count()).where(PortalAccount.locked_until > now)) or 0
    )
    counts[codes.RECENT_FAILED_LOGINS] = _recent_failed_logins(
        session, placeholder_domain, placeholder_addresses
    )
    counts.update(_email_words(session, placeholder_domain, placeholder_addresses))
    return counts


def _no_invitation_sent(session: Session) -> int:
    # Access on, never logged in, and no link of any kind was ever made for the chart.
    query = select(func.count()).where(
        PortalAccount.access_enabled == true(),
        PortalAccount.last_login_at.is_(None),
        PortalAccount.login_count == 0,
        ~exists().where(PortalToken.patient_id == PortalAccount.patient_id),
    )
    return int(session.scalar(query) or 0)


def _invitation_expired(session: Session, now: datetime) -> int:
    # The chart's newest invitation or reset link ran out unused.
    newer = aliased(PortalToken)
    query = select(func.count()).where(
        PortalToken.expires_at <= now,
        PortalToken.kind.in_(_LINK_KINDS),
        PortalToken.used_at.is_(None),
        PortalToken.revoked_at.is_(None),
        ~exists().where(
            newer.patient_id == PortalToken.patient_id, newer.id > PortalToken.id, newer.kind.in_(_LINK_KINDS)
        ),
    )
    return int(session.scalar(query) or 0)


def _delivery_failed(session: Session) -> int:
    # The chart's newest email failed for good.
    newer = aliased(OutboxEmail)
    query = select(func.count()).where(
        OutboxEmail.status == EmailStatus.FAILED.value,
        ~exists().where(newer.patient_id == OutboxEmail.patient_id, newer.id > OutboxEmail.id),
    )
    return int(session.scalar(query) or 0)


def _recent_failed_logins(
    session: Session, placeholder_domain: str, placeholder_addresses: tuple[str, ...]
) -> int:
    # Failed logins on the account, or sign-ins under a username nobody has that is this
    # chart's username or (real) email, since its last login.
    failing = set(session.scalars(select(PortalAccount.patient_id).where(PortalAccount.failed_logins > 0)))
    events = (
        select(PortalEvent.typed_key, func.max(PortalEvent.at).label("at"))
        .where(PortalEvent.kind.in_(codes.UNKNOWN_USERNAME_EVENTS))
        .group_by(PortalEvent.typed_key)
        .subquery()
    )
    since_login = or_(PortalAccount.last_login_at.is_(None), events.c.at > PortalAccount.last_login_at)
    rows = session.execute(
        select(PortalAccount.patient_id, Patient.email, PortalAccount.username_key == events.c.typed_key)
        .join(Patient, Patient.id == PortalAccount.patient_id)
        .join(
            events,
            or_(events.c.typed_key == PortalAccount.username_key, events.c.typed_key == Patient.email_key),
        )
        .where(since_login)
    ).all()
    for patient_id, email, by_username in rows:
        if by_username or not is_placeholder(email, placeholder_domain, placeholder_addresses):
            failing.add(patient_id)
    return len(failing)


def _email_words(
    session: Session, placeholder_domain: str, placeholder_addresses: tuple[str, ...]
) -> dict[str, int]:
    counts = Counter[str]()
    shared_keys = set(
        session.scalars(
            select(Patient.email_key)
            .where(Patient.email_key.is_not(None), Patient.email_key != "")
            .group_by(Patient.email_key)
            .having(func.count() > 1)
        )
    )

    @cache
    def placeholder(email: str) -> bool:
        return is_placeholder(email, placeholder_domain, placeholder_addresses)

    @cache
    def typo(email: str) -> bool:
        return suggest_email(email) is not None

    rows = session.execute(
        select(Patient.email, Patient.email_key, PortalAccount.username)
        .join(PortalAccount, PortalAccount.patient_id == Patient.id)
        .where(or_(Patient.email.is_not(None), PortalAccount.username.is_not(None)))
        .execution_options(yield_per=20_000)
    )
    for email_on_file, key, username in rows:
        email = (email_on_file or "").strip() or None
        is_dummy = placeholder(email) if email else False
        if is_dummy:
            counts[codes.PLACEHOLDER_EMAIL] += 1
        elif email and typo(email):
            counts[codes.EMAIL_POSSIBLE_TYPO] += 1
        if username and looks_like_email(username) and not same_email(username, email):
            counts[codes.USERNAME_IS_OLD_EMAIL] += 1
        if email and not is_dummy and key in shared_keys:
            counts[codes.SHARED_EMAIL] += 1
    return dict(counts)
