"""How long a desk waits for a database server that has stopped answering.

A server can be reachable and still silent (hung, or a proxy or firewall that keeps
the TCP connection up while nothing comes back). TCP keepalives and
``tcp_user_timeout`` catch a dead peer, but not one whose kernel (or a proxy's) still
acknowledges: so each wait for the server's answer also has a client-side deadline.
A connection that passes it is closed, which the pool sees as a lost connection and
discards; the next action connects afresh.

Everything here is set by the client, so it works through PgBouncer in transaction
mode too (no startup options; a per-role ``statement_timeout`` is the server-side
complement, see README).
"""

from __future__ import annotations

from typing import Any

#: Seconds one round trip may wait for the server's answer before the desk gives up.
ANSWER_SECONDS = 7.0
#: Seconds to set up a new connection (libpq counts whole seconds, at least 2).
CONNECT_SECONDS = 3


def postgres_connect_args(answer_seconds: float) -> dict[str, Any]:
    """libpq settings: a bounded connect, keepalives, and unacknowledged data dropped in time."""
    return {
        "connect_timeout": max(2, min(CONNECT_SECONDS, round(answer_seconds))),
        "keepalives": 1,
        "keepalives_idle": 5,
        "keepalives_interval": 2,
        "keepalives_count": 3,
        "tcp_user_timeout": int(answer_seconds * 1000),
    }


def mysql_connect_args(answer_seconds: float) -> dict[str, Any]:
    """PyMySQL settings: every socket read and write is bounded.

    A row lock held by another workstation gives up first (MariaDB's own lock wait, error
    1205), so it is said as "another workstation is saving", not as a lost server.
    """
    seconds = max(1, round(answer_seconds))
    return {
        "connect_timeout": max(2, min(CONNECT_SECONDS, seconds)),
        "read_timeout": seconds,
        "write_timeout": seconds,
        "init_command": f"SET SESSION innodb_lock_wait_timeout = {max(1, seconds - 2)}",
    }


def postgres_connection_class(answer_seconds: float) -> Any:
    """A psycopg connection class whose every wait for the server ends after ``answer_seconds``."""
    import inspect

    import psycopg
    from psycopg import errors

    wait_timeout: type[Exception] | None = getattr(errors, "_WaitTimeout", None)
    if wait_timeout is None or "timeout" not in inspect.signature(psycopg.Connection.wait).parameters:
        return psycopg.Connection  # an older psycopg: keepalives and tcp_user_timeout only
    timed_out: type[Exception] = wait_timeout

    class DeadlineConnection(psycopg.Connection[Any]):
        """psycopg's connection, with a deadline on each wait for the server."""

        def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
            limit = answer_seconds if timeout is None else min(timeout, answer_seconds)
            try:
                return super().wait(gen, interval=interval, timeout=limit)
            except timed_out:
                if timeout is not None and timeout < answer_seconds:
                    raise  # the caller's own, shorter deadline: its business
                # Mid-conversation the connection is in an unknown state: close it so the
                # pool throws it away (SQLAlchemy sees a closed connection as a disconnect).
                self.pgconn.finish()
                raise psycopg.OperationalError(
                    f"the server did not answer within {answer_seconds:g} s (timed out)"
                ) from None

    return DeadlineConnection
