"""Patient-side attempt limits, shared by every portal process through the database.

Each counter is one row of ``portal_attempts`` (a scope and the hash of a key) or, for a
sign-in account, the account's own ``failed_logins`` and ``locked_until``. Counters move
only by single ``UPDATE ... SET n = n + 1`` statements, never by reading a value and
writing it back, so simultaneous attempts cannot lose a count or clash on a version
number. A counter whose lock has ended, or whose counting window has passed, starts
again from zero.

Two ways to count:

- :func:`reserve` counts the attempt *before* it is checked and keeps the row locked
  until the transaction ends, so simultaneous guesses at one key queue and the limit is
  exact; :func:`forgive` takes the count back when the attempt succeeds.
- :func:`is_locked` then :func:`count_failure` (for client addresses): a cheap look first,
  a count only on failure, so one busy address does not queue its patients' sign-ins.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, insert, literal, or_, select, update
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.orm import Session

from clinic_desk.db.models import PortalAccount, PortalAttempt
from clinic_desk.db.types import UTCDateTime
from clinic_desk.services import count_keeping

# The scopes of portal_attempts rows (stable strings).
IDENTITY = "identity"  # email + last name + ZIP code typed to claim or register a chart
SOURCE = "source"  # the client address (the portal's source=)


@dataclass(frozen=True)
class Limit:
    """At most ``most`` failures per ``window``; reaching it locks the key for one more window."""

    scope: str
    most: int
    window: timedelta


def key_hash(scope: str, *parts: str) -> str:
    """The stored form of a key: a SHA-256, so the table names no patient and no address."""
    joined = "\x1f".join((scope, *parts))
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()


def _this(limit: Limit, key: str) -> ColumnElement[bool]:
    return and_(PortalAttempt.scope == limit.scope, PortalAttempt.key_hash == key)


def _insert_if_missing(session: Session, limit: Limit, key: str, now: datetime) -> None:
    """Create the counter row; a row another process created at the same moment is fine."""
    values = {"scope": limit.scope, "key_hash": key, "failures": 0, "window_started_at": now}
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(postgresql.insert(PortalAttempt).values(values).on_conflict_do_nothing())
    elif dialect == "sqlite":
        session.execute(sqlite.insert(PortalAttempt).values(values).on_conflict_do_nothing())
    elif dialect in ("mysql", "mariadb"):
        statement = mysql.insert(PortalAttempt).values(values)
        session.execute(statement.on_duplicate_key_update(failures=PortalAttempt.failures))
    else:  # pragma: no cover - the three databases above are the ones we run on
        session.execute(insert(PortalAttempt).values(values))


def _fresh_window(session: Session, limit: Limit, key: str, now: datetime) -> None:
    """Start counting from zero when the lock has ended or the window has passed."""
    session.execute(
        update(PortalAttempt)
        .where(
            _this(limit, key),
            or_(
                and_(PortalAttempt.locked_until.is_not(None), PortalAttempt.locked_until <= now),
                and_(
                    PortalAttempt.locked_until.is_(None),
                    PortalAttempt.window_started_at <= now - limit.window,
                ),
            ),
        )
        .values(failures=0, window_started_at=now, locked_until=None)
        .execution_options(synchronize_session=False)
    )


def _bump(session: Session, limit: Limit, key: str, now: datetime) -> int:
    statement = (
        update(PortalAttempt)
        .where(_this(limit, key))
        .values(failures=PortalAttempt.failures + 1, last_failure_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def _count(session: Session, limit: Limit, key: str, now: datetime) -> None:
    """Count one attempt, creating the row when this key was never counted."""
    if session.get_bind().dialect.name in ("mysql", "mariadb"):
        # InnoDB: two first UPDATEs of a missing row both take its gap lock, and their INSERTs
        # then deadlock. Inserting first (a no-op when the row is there) makes them queue instead.
        _insert_if_missing(session, limit, key, now)
    _fresh_window(session, limit, key, now)
    if _bump(session, limit, key, now) == 0:
        _insert_if_missing(session, limit, key, now)
        _fresh_window(session, limit, key, now)
        _bump(session, limit, key, now)


def _locked_now(session: Session, limit: Limit, key: str, now: datetime) -> bool:
    until = session.scalar(select(PortalAttempt.locked_until).where(_this(limit, key)))
    return until is not None and until > now


def _lock_when_reached(session: Session, limit: Limit, key: str, now: datetime) -> None:
    session.execute(
        update(PortalAttempt)
        .where(
            _this(limit, key),
            PortalAttempt.failures >= limit.most,
            or_(PortalAttempt.locked_until.is_(None), PortalAttempt.locked_until <= now),
        )
        .values(locked_until=now + limit.window)
        .execution_options(synchronize_session=False)
    )


def reserve(session: Session, limit: Limit, key: str, now: datetime) -> bool:
    """Count this attempt now; True when the key is locked (refuse without checking anything).

    The row stays locked until the transaction ends: simultaneous attempts at one key wait
    for each other, so no burst gets past the limit. Call :func:`forgive` when the attempt
    succeeds, :func:`failed` when it fails.
    """
    _count(session, limit, key, now)
    return _locked_now(session, limit, key, now)


def failed(session: Session, limit: Limit, key: str, now: datetime) -> None:
    """The reserved attempt failed: lock the key when it reached the limit."""
    _lock_when_reached(session, limit, key, now)


def take(session: Session, limit: Limit, key: str, now: datetime) -> int:
    """Count one use of ``key`` in the current window; returns the window's count so far.

    For plain rate limits (no lock): the count starts again when the window has passed.
    The row stays locked until the transaction ends, so simultaneous uses count exactly.
    """
    _count(session, limit, key, now)
    return int(session.scalar(select(PortalAttempt.failures).where(_this(limit, key))) or 0)


def forgive(session: Session, limit: Limit, key: str) -> None:
    """The reserved attempt succeeded: it is not a failure."""
    session.execute(
        update(PortalAttempt)
        .where(_this(limit, key), PortalAttempt.failures > 0)
        .values(failures=PortalAttempt.failures - 1)
        .execution_options(synchronize_session=False)
    )


def is_locked(session: Session, limit: Limit, key: str, now: datetime) -> bool:
    """True when the key is locked now (a look only; nothing is counted)."""
    return _locked_now(session, limit, key, now)


def count_failure(session: Session, limit: Limit, key: str, now: datetime) -> None:
    """Count one failure and lock the key when it reached the limit."""
    _count(session, limit, key, now)
    _lock_when_reached(session, limit, key, now)


# ----- the sign-in account's own counter (portal_accounts.failed_logins / locked_until) -----


@dataclass(frozen=True)
class AccountCount:
    """An account's counter after an attempt was counted."""

    failed_logins: int
    locked_until: datetime | None

    def locked(self, now: datetime) -> bool:
        """True when the account is locked at ``now``."""
        return self.locked_until is not None and self.locked_until > now


def _account(patient_id: int) -> ColumnElement[bool]:
    return PortalAccount.patient_id == patient_id


def reserve_account(session: Session, patient_id: int, now: datetime) -> AccountCount:
    """Count one sign-in attempt against the account before its password is checked.

    A lock that has ended is cleared first and the count starts again from zero. The
    account row stays locked until the transaction ends (simultaneous sign-ins queue).
    The version goes up, so open dashes notice, but never decides anything: no clash.
    """
    count_keeping.touch(session, patient_id)  # failed logins are a kept trouble spot
    session.execute(
        update(PortalAccount)
        .where(
            _account(patient_id),
            PortalAccount.locked_until.is_not(None),
            PortalAccount.locked_until <= now,
        )
        .values(failed_logins=0, locked_until=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(PortalAccount)
        .where(_account(patient_id))
        .values(failed_logins=PortalAccount.failed_logins + 1, version=PortalAccount.version + 1)
        .execution_options(synchronize_session=False)
    )
    row = session.execute(
        select(PortalAccount.failed_logins, PortalAccount.locked_until).where(_account(patient_id))
    ).one()
    return AccountCount(failed_logins=int(row.failed_logins), locked_until=row.locked_until)


def account_failed(
    session: Session, patient_id: int, now: datetime, *, threshold: int, lock_for: timedelta
) -> AccountCount:
    """The reserved attempt failed: note when, and lock the account when it reached the threshold."""
    session.execute(
        update(PortalAccount)
        .where(_account(patient_id))
        .values(last_failed_login_at=now)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(PortalAccount)
        .where(
            _account(patient_id),
            PortalAccount.failed_logins >= threshold,
            or_(PortalAccount.locked_until.is_(None), PortalAccount.locked_until <= now),
        )
        .values(locked_until=now + lock_for)
        .execution_options(synchronize_session=False)
    )
    row = session.execute(
        select(PortalAccount.failed_logins, PortalAccount.locked_until).where(_account(patient_id))
    ).one()
    return AccountCount(failed_logins=int(row.failed_logins), locked_until=row.locked_until)


def account_signed_in(session: Session, patient_id: int, now: datetime, *, count_login: bool) -> None:
    """The reserved attempt succeeded: no failures since; a sign-in also counts as a login."""
    values: dict[str, object] = {"failed_logins": 0, "locked_until": None}
    count_keeping.touch(session, patient_id)  # no failed logins since this one
    if count_login:
        first = func.coalesce(PortalAccount.first_login_at, literal(now, UTCDateTime()))  # kept once set
        values.update(last_login_at=now, login_count=PortalAccount.login_count + 1, first_login_at=first)
    session.execute(
        update(PortalAccount)
        .where(_account(patient_id))
        .values(values)
        .execution_options(synchronize_session=False)
    )
