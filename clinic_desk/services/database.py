"""The clinic database as the services use it: one transaction per user action, faults in plain words."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from clinic_desk.db.engine import make_session_factory
from clinic_desk.domain.errors import ConflictError, DatabaseUnavailable
from clinic_desk.services.context import Clock, ServiceContext
from clinic_desk.services.db_faults import BUSY_WORDS, is_busy, is_unreachable
from clinic_desk.services.settings import ClinicSettings

T = TypeVar("T")


class ClinicDatabase:
    """An engine, its sessions and the clock and settings every service call runs with.

    The facade parts (staff desk, portal, mail room) and the delivery worker share one.
    """

    def __init__(self, engine: Engine, url: URL, clock: Clock, settings: ClinicSettings) -> None:
        self.engine = engine
        self.url = url
        self._sessions: sessionmaker[Session] = make_session_factory(engine)
        self._read_sessions: sessionmaker[Session] = make_session_factory(engine, read_only=True)
        self.ctx = ServiceContext(clock=clock, settings=settings)

    @property
    def settings(self) -> ClinicSettings:
        """The clinic's settings as this desk knows them."""
        return self.ctx.settings

    def use_settings(self, settings: ClinicSettings) -> None:
        """Run every later call with these settings."""
        self.ctx = ServiceContext(clock=self.ctx.clock, settings=settings)

    def now(self) -> datetime:
        """The clinic clock's current time."""
        return self.ctx.now()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One user action: commit everything or nothing, and say failures in plain words."""
        try:
            with self._sessions.begin() as session:
                yield session
        except StaleDataError as error:
            raise ConflictError(
                "Someone else changed this patient at the same moment. Nothing was saved; "
                "reload and try again."
            ) from error
        except IntegrityError as error:
            raise ConflictError(
                "This change clashes with another record (for example a username or MRN "
                "that is already used). Nothing was saved."
            ) from error
        except DBAPIError as error:
            if is_unreachable(error):
                raise DatabaseUnavailable(
                    "The clinic database could not be reached. Nothing was saved; try again in a moment."
                ) from error
            if is_busy(error):
                raise DatabaseUnavailable(BUSY_WORDS) from error
            raise

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only look that never blocks writers."""
        try:
            with self._read_sessions() as session:
                yield session
        except DBAPIError as error:
            if is_unreachable(error):
                raise DatabaseUnavailable("The clinic database could not be reached.") from error
            raise

    def run(self, action: Callable[[Session, ServiceContext], T]) -> T:
        """Run one service function in its own transaction."""
        with self.transaction() as session:
            return action(session, self.ctx)

    def read(self, query: Callable[[Session, ServiceContext], T]) -> T:
        """Run one read-only service function."""
        with self.reading() as session:
            return query(session, self.ctx)
