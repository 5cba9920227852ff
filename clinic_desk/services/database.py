"""The clinic database as the services use it: one transaction per user action, faults in plain words."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from clinic_desk.db.engine import make_session_factory
from clinic_desk.domain.errors import (
    ConflictError,
    DatabaseBusy,
    DatabaseUnavailable,
    OutcomeUnknown,
    ServerFull,
)
from clinic_desk.services import audit_chain, count_keeping, requests
from clinic_desk.services.context import Clock, ServiceContext
from clinic_desk.services.db_faults import SERVER_FULL, is_busy, is_server_full, is_unreachable
from clinic_desk.services.file_faults import file_fault_words
from clinic_desk.services.settings import ClinicSettings, load_settings, settings_stamp

T = TypeVar("T")


class ClinicDatabase:
    """An engine, its sessions and the clock and settings every service call runs with.

    The facade parts (staff desk, portal, mail room) and the delivery worker share one.
    """

    def __init__(
        self,
        engine: Engine,
        url: URL,
        clock: Clock,
        settings: ClinicSettings,
        workstation: str | None = None,
        *,
        settings_stamp: str | None = None,
        overrides: Mapping[str, Any] | None = None,
    ) -> None:
        self.engine = engine
        self.url = url
        self._sessions: sessionmaker[Session] = make_session_factory(engine)
        self._read_sessions: sessionmaker[Session] = make_session_factory(engine, read_only=True)
        self._glance_sessions: sessionmaker[Session] = make_session_factory(engine, autocommit=True)
        self.ctx = ServiceContext(clock=clock, settings=settings)
        if workstation is not None:
            self.ctx = replace(self.ctx, workstation=workstation)
        # The stamp of the stored settings this desk last read, and the settings given to
        # Clinic.open for this session only (they stay over whatever is read again).
        self._settings_stamp = settings_stamp
        self._overrides = dict(overrides or {})
        self._settings_lock = threading.Lock()

    @property
    def settings(self) -> ClinicSettings:
        """The clinic's settings as this desk knows them."""
        return self.ctx.settings

    def use_settings(self, settings: ClinicSettings) -> None:
        """Run every later call with these settings."""
        self.ctx = replace(self.ctx, settings=settings)

    def refresh_settings(self) -> bool:
        """Read the settings again when another desk changed them; True when they differ now.

        One read of the settings' stamp (one row) when nothing changed; only a new stamp
        reads the settings themselves (blocking: call it off the GUI thread).
        """
        stamp = self.glance(lambda session, _ctx: settings_stamp(session))
        if stamp == self._settings_stamp:
            return False
        stored, stamp = self.read(lambda session, _ctx: (load_settings(session), settings_stamp(session)))
        fresh = stored.updated(**self._overrides)
        with self._settings_lock:
            self._settings_stamp = stamp
            changed = fresh != self.settings
            if changed:
                self.use_settings(fresh)
        return changed

    def now(self) -> datetime:
        """The clinic clock's current time."""
        return self.ctx.now()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One user action: commit everything or nothing, and say failures in plain words.

        A failure before COMMIT leaves nothing written. A connection lost during COMMIT
        leaves the outcome unknown (the server may have committed before the reply was
        lost): that is :class:`OutcomeUnknown`, never "nothing was saved".
        """
        with self._sessions() as session:
            with _said_plainly(self.url, committing=False):
                session.begin()
                audit_chain.stamp_workstation(session, self.ctx.workstation)
                count_keeping.use_placeholders(session, count_keeping.placeholders_of(self.ctx.settings))
                try:
                    yield session
                    count_keeping.keep_in_step(session)  # the colour counts, in this same transaction
                    audit_chain.seal(session)  # the chain's lock and entries too: only COMMIT is left
                    session.flush()  # clashes and stale versions surface here, before COMMIT
                except BaseException:
                    _quiet_rollback(session)
                    raise
            with _said_plainly(self.url, committing=True):
                try:
                    session.commit()
                except BaseException:
                    _quiet_rollback(session)
                    raise

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only look that never blocks writers."""
        try:
            with self._read_sessions() as session:
                yield session
        except PoolTimeout as error:
            raise DatabaseBusy(POOL_BUSY) from error
        except DBAPIError as error:
            if is_server_full(error):
                raise ServerFull(SERVER_FULL) from error
            if is_unreachable(error):
                raise DatabaseUnavailable("The clinic database could not be reached.") from error
            if words := file_fault_words(error, self.url):
                raise DatabaseUnavailable(words) from error
            raise

    def run(
        self,
        action: Callable[[Session, ServiceContext], T],
        *,
        request_id: str | None = None,
        name: str = "",
        stored: Callable[[T], Any] = lambda result: result,
        replayed: Callable[[Session, Any], T] | None = None,
    ) -> T:
        """Run one service function in its own transaction.

        With a ``request_id`` (see :mod:`clinic_desk.services.requests`) the action ``name``
        runs at most once: a repeat returns the first result. ``stored`` turns the result
        into JSON-able data and ``replayed`` turns that back (by default the value itself).
        """
        request = requests.clean_request_id(request_id)
        if request is None:
            with self.transaction() as session:
                return action(session, self.ctx)
        if not name:
            raise ValueError("a request id needs the action's name")

        def once(session: Session) -> tuple[bool, Any]:
            earlier = requests.earlier_result(session, request, name)
            if requests.was_done(earlier):
                return True, replayed(session, earlier) if replayed else earlier
            return False, None

        try:
            with self.transaction() as session:
                done, result = once(session)
                if done:
                    return cast(T, result)
                outcome = action(session, self.ctx)
                requests.remember(session, request, name, stored(outcome), self.ctx.now())
                return outcome
        except ConflictError:
            # The same request sent twice at once (a double press on a server): the other
            # one's row clashed with ours. Its result is the answer; anything else stands.
            with self.reading() as session:
                done, result = once(session)
            if done:
                return cast(T, result)
            raise

    def read(self, query: Callable[[Session, ServiceContext], T]) -> T:
        """Run one read-only service function (again once, when a pooled connection had died)."""
        for attempt in (1, 2):
            try:
                with self.reading() as session:
                    return query(session, self.ctx)
            except DatabaseUnavailable as error:
                if attempt == 2 or not _stale_connection(error.__cause__):
                    raise
        raise AssertionError("unreachable")

    def glance(self, query: Callable[[Session, ServiceContext], T]) -> T:
        """Run a read of one statement outside any transaction (autocommit on a server).

        One statement sees one moment by itself, so BEGIN and COMMIT would only add round
        trips. There is no ping before it: a connection the server dropped while it sat in
        the pool fails at once, and the read runs again once on a fresh one.
        """
        for attempt in (1, 2):
            try:
                with self._glance_sessions() as session:
                    return query(session, self.ctx)
            except PoolTimeout as error:
                raise DatabaseBusy(POOL_BUSY) from error
            except DBAPIError as error:
                if attempt == 1 and _stale_connection(error):
                    continue
                if is_server_full(error):
                    raise ServerFull(SERVER_FULL) from error
                if is_unreachable(error):
                    raise DatabaseUnavailable("The clinic database could not be reached.") from error
                if words := file_fault_words(error, self.url):
                    raise DatabaseUnavailable(words) from error
                raise
        raise AssertionError("unreachable")


NOTHING_SAVED = "The clinic database could not be reached. Nothing was saved; try again in a moment."
MAY_HAVE_BEEN_SAVED = (
    "The connection to the clinic database was lost while saving, so this change may have been "
    "saved — reloading to check. If it is not there, do it again."
)
BUSY = "Another workstation is saving — try again. Nothing was saved."
POOL_BUSY = "This computer is still busy with an earlier action — try again in a moment. Nothing was saved."


@contextmanager
def _said_plainly(url: URL, *, committing: bool) -> Iterator[None]:
    """Turn driver errors into the documented errors; ``committing``: the failure hit COMMIT itself."""
    try:
        yield
    except StaleDataError as error:
        raise ConflictError(
            "Someone else changed this patient at the same moment. Nothing was saved; reload and try again."
        ) from error
    except IntegrityError as error:
        raise ConflictError(
            "This change clashes with another record (for example a username or MRN "
            "that is already used). Nothing was saved."
        ) from error
    except PoolTimeout as error:
        raise DatabaseBusy(POOL_BUSY) from error
    except DBAPIError as error:
        if is_server_full(error):  # refused at connect: nothing was sent, so nothing was saved
            raise ServerFull(SERVER_FULL) from error
        if is_busy(error):
            raise DatabaseBusy(BUSY) from error
        if is_unreachable(error):
            raise (
                OutcomeUnknown(MAY_HAVE_BEEN_SAVED) if committing else DatabaseUnavailable(NOTHING_SAVED)
            ) from error
        if words := file_fault_words(error, url):  # a damaged or read-only local file
            raise DatabaseUnavailable(f"Nothing was saved. {words}") from error
        raise


def _stale_connection(error: BaseException | None) -> bool:
    """A pooled connection found dead at once (the server restarted, a firewall forgot it).

    A server that stopped answering is not retried: its wait was already spent.
    """
    if not isinstance(error, DBAPIError) or not error.connection_invalidated:
        return False
    return "timed out" not in str(error.orig).lower()


def _quiet_rollback(session: Session) -> None:
    # The connection may already be gone; the server rolls back an open transaction by itself.
    with suppress(Exception):
        session.rollback()
