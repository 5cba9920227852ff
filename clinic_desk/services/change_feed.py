"""Hear about changes made by other workstations (and the portal) as they commit.

PostgreSQL: LISTEN/NOTIFY names the patient, and a second channel says the clinic settings
changed. SQLite: ``PRAGMA data_version`` moves when another connection commits to the file.
MariaDB: no push, so the feed polls the newest audit entry id (every action writes one) twice
a second. Those two only know "something changed": such a batch may touch the settings too,
and the desk reads the settings' stamp (one row) to know (``Clinic.refresh_settings``).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Engine, text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from clinic_desk.db.engine import OWN_URL_OPTIONS
from clinic_desk.db.server_timeouts import ANSWER_SECONDS, postgres_connect_args

CHANNEL = "clinic_desk_changes"
# Its own channel, so desks listening only to CHANNEL (payload: a patient id) never see it.
SETTINGS_CHANNEL = "clinic_desk_settings"
SETTINGS_PAYLOAD = "settings"
SQLITE_POLL_SECONDS = 0.25
FALLBACK_POLL_SECONDS = 0.5


@dataclass(frozen=True)
class Changes:
    """What changed: these patients, or (everything=True) possibly anyone.

    ``settings``: the clinic settings may have changed (always so when ``everything``).
    """

    patient_ids: frozenset[int] = frozenset()
    everything: bool = False
    settings: bool = False

    def __post_init__(self) -> None:
        if self.everything and not self.settings:
            object.__setattr__(self, "settings", True)  # "anything" includes the settings

    def touches(self, patient_id: int) -> bool:
        """True when this patient may have changed."""
        return self.everything or patient_id in self.patient_ids

    def __bool__(self) -> bool:
        return self.everything or self.settings or bool(self.patient_ids)


def announce_settings_changed(session: Session) -> None:
    """Tell listening desks, at this transaction's COMMIT, that the clinic settings changed.

    PostgreSQL only (NOTIFY on :data:`SETTINGS_CHANNEL`); elsewhere the desks' feeds see the
    commit by themselves.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_notify(:channel, :payload)"),
            {"channel": SETTINGS_CHANNEL, "payload": SETTINGS_PAYLOAD},
        )


class ChangeSource(Protocol):
    """What a listener waits on: a feed, or a desk's share of its one feed (services.change_hub)."""

    def wait(self, timeout: float) -> Changes:
        """Block up to ``timeout`` seconds for changes; an empty batch means none came."""
        ...

    def close(self) -> None:
        """Stop listening."""
        ...


class ChangeFeed:
    """A blocking source of change batches; call ``wait`` from a worker thread, never the GUI.

    ``engine``: the desk's own pool, used where the feed has to poll (MariaDB, or PostgreSQL
    behind PgBouncer in transaction mode with no direct address to LISTEN on), so polling
    takes no connection of its own.
    """

    def __init__(self, url: URL, engine: Engine | None = None) -> None:
        self._url = url
        self._engine = engine
        self._backend = url.get_backend_name()
        options = dict(url.query)
        if (
            self._backend == "postgresql"
            and options.get("pooler") == "transaction"
            and not (options.get("listen_host") or options.get("listen_port"))
        ):
            self._backend = "polled"  # PgBouncer cannot pass notifications on
        self._lock = threading.Lock()
        self._closed = False
        self._pg: Any = None
        self._sqlite: sqlite3.Connection | None = None
        self._data_version: int | None = None
        self._other: Any = None
        self._audit_id: int | None = None

    def wait(self, timeout: float) -> Changes:
        """Block up to ``timeout`` seconds for changes; an empty batch means none came."""
        if self._closed:
            return Changes()
        if self._backend == "postgresql":
            return self._wait_postgres(timeout)
        if self._backend == "sqlite":
            return self._wait_sqlite(timeout)
        return self._wait_audit_log(timeout)

    def close(self) -> None:
        """Stop listening and release the connection."""
        with self._lock:
            self._closed = True
            if self._pg is not None:
                self._pg.close()
                self._pg = None
            if self._sqlite is not None:
                self._sqlite.close()
                self._sqlite = None
            if self._other is not None and self._other is not self._engine:
                self._other.dispose()
            self._other = None

    # -- PostgreSQL ------------------------------------------------------------------------

    def _connect_postgres(self) -> Any:
        import psycopg

        given = dict(self._url.query)
        url = self._url.set(drivername="postgresql").difference_update_query(OWN_URL_OPTIONS)
        if given.get("listen_host"):
            url = url.set(host=str(given["listen_host"]))
        if given.get("listen_port"):
            url = url.set(port=int(str(given["listen_port"])))
        # Named apart from the pool's connections, so a count of the server's clients tells them apart.
        url = url.update_query_dict(
            {"application_name": f"{given.get('application_name', 'clinic-desk')}-live"}
        )
        # Keepalives notice a listener whose server went away while it waits for news.
        options = postgres_connect_args(ANSWER_SECONDS) | {"connect_timeout": 5}
        conn = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True, **options)
        conn.execute(f"LISTEN {CHANNEL}")
        conn.execute(f"LISTEN {SETTINGS_CHANNEL}")
        return conn

    def _wait_postgres(self, timeout: float) -> Changes:
        reconnected = False
        if self._pg is None:
            try:
                self._pg = self._connect_postgres()
            except Exception:
                time.sleep(min(timeout, FALLBACK_POLL_SECONDS))
                return Changes()
            # Anything may have changed while we were not listening.
            reconnected = True
        ids: set[int] = set()
        settings = False
        try:
            for notice in self._pg.notifies(timeout=timeout, stop_after=1):
                settings |= _heard(notice, ids)
            # Drain what else arrived in the same breath.
            for notice in self._pg.notifies(timeout=0.05):
                settings |= _heard(notice, ids)
        except Exception:
            if self._pg is not None:
                try:
                    self._pg.close()
                finally:
                    self._pg = None
            return Changes(everything=True)
        return Changes(patient_ids=frozenset(ids), everything=reconnected, settings=settings)

    # -- MariaDB and anything else: the audit log's newest id -------------------------------

    def _newest_audit_id(self) -> int:
        from sqlalchemy import create_engine

        if self._other is None:
            # The desk's own pool when there is one: polling costs no extra connection.
            self._other = self._engine or create_engine(self._url, pool_size=1, pool_pre_ping=True)
        with self._other.connect() as connection:
            return int(connection.execute(text("SELECT coalesce(max(id), 0) FROM audit_log")).scalar() or 0)

    def _wait_audit_log(self, timeout: float) -> Changes:
        deadline = time.monotonic() + timeout
        try:
            if self._audit_id is None:
                self._audit_id = self._newest_audit_id()
                return Changes(everything=True)
            while True:
                newest = self._newest_audit_id()
                if newest != self._audit_id:
                    self._audit_id = newest
                    return Changes(everything=True)
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    return Changes()
                time.sleep(min(FALLBACK_POLL_SECONDS, left))
        except Exception:
            time.sleep(max(0.0, min(deadline - time.monotonic(), FALLBACK_POLL_SECONDS)))
            return Changes(everything=True)

    # -- SQLite ----------------------------------------------------------------------------

    def _current_data_version(self) -> int:
        if self._sqlite is None:
            self._sqlite = sqlite3.connect(self._url.database or ":memory:", check_same_thread=False)
        row = self._sqlite.execute("PRAGMA data_version").fetchone()
        return int(row[0])

    def _wait_sqlite(self, timeout: float) -> Changes:
        deadline = time.monotonic() + timeout
        if self._data_version is None:
            self._data_version = self._current_data_version()
        while True:
            version = self._current_data_version()
            if version != self._data_version:
                self._data_version = version
                return Changes(everything=True)
            left = deadline - time.monotonic()
            if left <= 0 or self._closed:
                return Changes()
            time.sleep(min(SQLITE_POLL_SECONDS, left))


def _heard(notice: Any, ids: set[int]) -> bool:
    """Add a patient notice's id to ``ids``; True when the notice says the settings changed."""
    if notice.channel == SETTINGS_CHANNEL:
        return True
    ids.add(int(notice.payload))
    return False
