"""A small server connection pool that hangs up connections nobody used for a while.

Many front desks share one PostgreSQL server whose connection slots are few (100 by
default). A desk acts every few seconds at most, so a connection kept open between
actions mostly holds a slot for nothing. This pool keeps at most ``pool_size`` of them
and closes any that sat idle longer than ``idle_seconds``; the next action opens it again
(a few milliseconds on a local network). One daemon thread looks over every such pool
once a second.
"""

from __future__ import annotations

import contextlib
import threading
import time
import weakref
from typing import Any

from sqlalchemy.pool import ConnectionPoolEntry, QueuePool
from sqlalchemy.util import queue as sqla_queue

#: A connection unused this long is closed (the slot goes back to the server).
IDLE_SECONDS = 1.0
_LOOK_EVERY_SECONDS = 0.25

_pools: weakref.WeakSet[IdleClosingPool] = weakref.WeakSet()
_pools_lock = threading.Lock()
_reaper: threading.Thread | None = None


class IdleClosingPool(QueuePool):
    """QueuePool whose connections are closed after ``idle_seconds`` without use.

    A thread that already holds one of the pool's connections and asks for another (a read
    inside an open transaction) gets a short-lived extra one instead of waiting for itself
    forever; every other caller waits its turn, so the budget holds however many workers ask.
    """

    def __init__(self, creator: Any, idle_seconds: float = IDLE_SECONDS, **kw: Any) -> None:
        super().__init__(creator, **kw)
        self.idle_seconds = idle_seconds
        self._returned_at: dict[int, float] = {}
        self._holders: dict[int, int] = {}  # id(record) -> the thread that has it
        self._holders_lock = threading.Lock()
        _watch(self)

    def recreate(self) -> IdleClosingPool:
        """The same pool, new (SQLAlchemy calls this on dispose and after a lost connection)."""
        fresh = super().recreate()
        assert isinstance(fresh, IdleClosingPool)
        fresh.idle_seconds = self.idle_seconds
        return fresh

    def _do_get(self) -> ConnectionPoolEntry:
        me = threading.get_ident()
        with self._holders_lock:
            mine = me in self._holders.values()
        if mine:
            # Waiting would wait for this very thread: one more, closed when given back.
            with self._overflow_lock:
                self._overflow += 1
            try:
                record = self._create_connection()
            except BaseException:
                self._dec_overflow()
                raise
        else:
            record = super()._do_get()
        with self._holders_lock:
            self._holders[id(record)] = me
        return record

    def _do_return_conn(self, record: ConnectionPoolEntry) -> None:
        with self._holders_lock:
            self._holders.pop(id(record), None)
        self._returned_at[id(record)] = time.monotonic()
        super()._do_return_conn(record)

    def close_idle(self) -> int:
        """Close the connections idle longer than ``idle_seconds``; returns how many were closed."""
        closed = 0
        now = time.monotonic()
        waiting: list[ConnectionPoolEntry] = []
        try:
            while True:
                waiting.append(self._pool.get(False))
        except sqla_queue.Empty:
            pass
        try:
            for record in waiting:
                idle_since = self._returned_at.get(id(record), now)
                if record.dbapi_connection is not None and now - idle_since >= self.idle_seconds:
                    with contextlib.suppress(Exception):  # a connection already dead closes quietly
                        record.close()
                    closed += 1
        finally:
            for record in waiting:  # the record stays: it connects again when next used
                self._pool.put(record, False)
        return closed

    def open_connections(self) -> int:
        """Connections this pool holds open now (in use or idle), for tests and the load run."""
        held = self.checkedout()
        waiting: Any = self._pool  # SQLAlchemy's Queue: a deque guarded by a mutex
        with waiting.mutex:
            idle = [record for record in waiting.queue if record.dbapi_connection is not None]
        return held + len(idle)


def _watch(pool: IdleClosingPool) -> None:
    global _reaper
    with _pools_lock:
        _pools.add(pool)
        if _reaper is None or not _reaper.is_alive():
            _reaper = threading.Thread(target=_reap_forever, name="clinic-desk-idle-pool", daemon=True)
            _reaper.start()


def _reap_forever() -> None:
    while True:
        time.sleep(_LOOK_EVERY_SECONDS)
        with _pools_lock:
            pools = list(_pools)
        for pool in pools:
            with contextlib.suppress(Exception):  # never let one pool stop the others' care
                pool.close_idle()
