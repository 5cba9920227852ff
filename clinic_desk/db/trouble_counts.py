"""How many charts have each trouble spot now (DESIGN.md section 6).

``no_invitation_sent`` and the spots read from the chart's own email and username
(placeholder, possible typo, username that is an old email, shared email) are kept in
step with each change, in the colour class (db/status_counts.py). The rest are counted
on demand by index-shaped queries that read only the rows in trouble: links expired
before now, accounts locked until after now, failed emails, failed logins.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select, text
from sqlalchemy.orm import Session, aliased

from clinic_desk.db.models import OutboxEmail, Patient, PortalAccount, PortalEvent, PortalToken
from clinic_desk.db.status_counts import Placeholders, count_kept_troubles
from clinic_desk.domain import codes
from clinic_desk.domain.codes import EmailStatus
from clinic_desk.domain.email_checks import is_placeholder

_LINK_KINDS = (codes.INVITATION, codes.RESET)


def count_by_trouble(session: Session, now: datetime, placeholders: Placeholders) -> dict[str, int]:
    """{trouble spot code: how many charts have it at ``now``}, every code present."""
    counts = count_without_unknown_usernames(session, now)
    # The accounts' own failed logins are kept; sign-ins under unknown usernames are added.
    counts[codes.RECENT_FAILED_LOGINS] += _unknown_username_failures(session, placeholders)
    return counts


def count_without_unknown_usernames(session: Session, now: datetime) -> dict[str, int]:
    """Every trouble spot but the sign-ins under unknown usernames (the costly one, which the
    roster does not list): ``recent_failed_logins`` counts the accounts' own failures only."""
    counts = dict.fromkeys(codes.TROUBLE_SPOTS, 0)
    counts.update(count_kept_troubles(session))
    with indexes_only(session):
        counts[codes.INVITATION_EXPIRED] = _invitation_expired(session, now)
        counts[codes.EMAIL_DELIVERY_FAILED] = _delivery_failed(session)
        locked = select(func.count()).select_from(PortalAccount).where(locked_accounts(now))
        counts[codes.ACCOUNT_LOCKED] = int(session.scalar(locked) or 0)
    return counts


@contextmanager
def indexes_only(session: Session) -> Iterator[None]:
    """On PostgreSQL, read the few rows in trouble through their indexes even without statistics.

    A table never analysed (a bulk load, autovacuum not yet round) makes the planner guess that
    a third of it is locked or expired and read all of it: 230 ms for the locks and 70 ms for the
    links at a million charts, where the partial index on ``locked_until`` and the index on
    ``expires_at`` answer in about a millisecond. With statistics the planner picks them anyway.
    """
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        session.execute(text("SET LOCAL enable_seqscan = off"))
    try:
        yield
    finally:
        if postgres:
            session.execute(text("SET LOCAL enable_seqscan TO DEFAULT"))


def locked_accounts(now: datetime) -> ColumnElement[bool]:
    """The portal accounts locked at ``now`` (the partial index on locked_until finds them)."""
    return and_(PortalAccount.locked_until.is_not(None), PortalAccount.locked_until > now)


def link_ran_out(now: datetime) -> ColumnElement[bool]:
    """An invitation or reset link that ran out unused by ``now`` (whether or not it is the newest)."""
    return and_(
        PortalToken.expires_at <= now,
        PortalToken.kind.in_(_LINK_KINDS),
        PortalToken.used_at.is_(None),
        PortalToken.revoked_at.is_(None),
    )


def email_failed() -> ColumnElement[bool]:
    """An email that failed for good (whether or not it is the chart's newest)."""
    return OutboxEmail.status == EmailStatus.FAILED.value


def expired_newest_links(now: datetime) -> ColumnElement[bool]:
    """The links that are their chart's newest invitation or reset link and ran out unused by ``now``."""
    newer = aliased(PortalToken)
    return and_(
        link_ran_out(now),
        ~exists().where(
            newer.patient_id == PortalToken.patient_id, newer.id > PortalToken.id, newer.kind.in_(_LINK_KINDS)
        ),
    )


def failed_newest_emails() -> ColumnElement[bool]:
    """The emails that are their chart's newest and failed for good."""
    newer = aliased(OutboxEmail)
    return and_(
        email_failed(),
        ~exists().where(newer.patient_id == OutboxEmail.patient_id, newer.id > OutboxEmail.id),
    )


def _invitation_expired(session: Session, now: datetime) -> int:
    # The chart's newest invitation or reset link ran out unused.
    query = select(func.count()).select_from(PortalToken).where(expired_newest_links(now))
    return int(session.scalar(query) or 0)


def _delivery_failed(session: Session) -> int:
    # The chart's newest email failed for good.
    query = select(func.count()).select_from(OutboxEmail).where(failed_newest_emails())
    return int(session.scalar(query) or 0)


def _unknown_username_failures(session: Session, placeholders: Placeholders) -> int:
    # Failed logins on the account, or sign-ins under a username nobody has that is this
    # chart's username or (real) email, since its last login.
    events = (
        select(PortalEvent.typed_key, func.max(PortalEvent.at).label("at"))
        .where(PortalEvent.kind.in_(codes.UNKNOWN_USERNAME_EVENTS))
        .group_by(PortalEvent.typed_key)
        .subquery()
    )
    since_login = or_(PortalAccount.last_login_at.is_(None), events.c.at > PortalAccount.last_login_at)
    more: set[int] = set()
    # One join per key (the username's unique index, then the email's index): an OR of
    # the two would read every chart.
    ways: tuple[tuple[Any, Any, Any, bool], ...] = (
        (PortalAccount, Patient, PortalAccount.username_key, True),
        (Patient, PortalAccount, Patient.email_key, False),
    )
    for first, then, key, by_username in ways:
        rows = session.execute(
            select(PortalAccount.patient_id, Patient.email, PortalAccount.failed_logins)
            .select_from(events)
            .join(first, events.c.typed_key == key)
            .join(then, Patient.id == PortalAccount.patient_id)
            .where(since_login)
        ).all()
        # Charts with failed logins of their own are counted already; a placeholder email is no one's.
        more.update(
            patient_id
            for patient_id, email, failed_logins in rows
            if not failed_logins
            and (by_username or not is_placeholder(email, placeholders.domain, placeholders.addresses))
        )
    return len(more)
