"""Engines for a local SQLite file or a shared PostgreSQL / MariaDB server."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from clinic_desk.db import server_timeouts
from clinic_desk.db.idle_pool import IDLE_SECONDS, IdleClosingPool
from clinic_desk.db.sqlite_file import local_path
from clinic_desk.places import default_clinic_file

# A second workstation writing to the same SQLite file waits this long before "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 10_000
# An in-memory schema every SQLite connection has, empty but while a bulk load hands a
# batch over in it (db/bulk_insert.py): ATTACH is refused once a transaction is open.
SQLITE_BATCH_SCHEMA = "bulk_batch"
# A pooled server connection older than this is replaced before use (idle firewalls drop them).
POOL_RECYCLE_SECONDS = 600
# The connection budget on a shared server (README "Many desks on one server"): a desk's
# actions share ONE pooled connection (closed after IDLE_SECONDS unused); its live updates
# hold one more. A portal or mail worker process passes its own pool_size.
DESK_POOL_SIZE = 1
# How long an action waits for this process's pooled connection before "busy, try again".
POOL_WAIT_SECONDS = 10
# URL options Clinic Desk reads itself (never sent to the server):
#   pooler=transaction  the server is reached through PgBouncer in transaction mode:
#                       no prepared statements kept across transactions;
#   listen_host, listen_port  where live updates LISTEN directly (PgBouncer cannot pass
#                       notifications); without them such a desk polls the change stamp.
OWN_URL_OPTIONS = ("pooler", "listen_host", "listen_port")


def default_sqlite_path() -> Path:
    """The local database in the platform's user data folder."""
    return default_clinic_file()


def default_url() -> str:
    """SQLAlchemy URL of the local database."""
    return f"sqlite:///{default_sqlite_path()}"


def create_private_file(path: Path) -> None:
    """Create the database file readable by its owner only (0600), before SQLite opens it.

    SQLite gives the -wal and -shm files it makes later the same permissions as the
    database file, so they are private too. An existing file is left as it is.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(descriptor)
    if os.name == "posix":
        os.chmod(path, 0o600)  # whatever the umask said


def normalize_url(url: str | URL) -> URL:
    """Pick our drivers: psycopg 3 for PostgreSQL, PyMySQL for MariaDB/MySQL."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "postgresql" and parsed.get_driver_name() in ("", "psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif backend in ("mysql", "mariadb") and parsed.get_driver_name() in ("", "mysqldb"):
        parsed = parsed.set(drivername=f"{backend}+pymysql")
    return parsed


def make_engine(
    url: str | URL,
    *,
    create: bool = True,
    busy_seconds: float = SQLITE_BUSY_TIMEOUT_MS / 1000,
    answer_seconds: float = server_timeouts.ANSWER_SECONDS,
    **kwargs: Any,
) -> Engine:
    """Create the engine with the settings each database needs to be safe for a clinic.

    ``busy_seconds``: how long a SQLite writer waits for another workstation's write lock.
    ``answer_seconds``: how long a server may stay silent before the desk gives up on it.
    ``create=False`` never makes a SQLite file or its folder: a missing file raises
    ``FileNotFoundError`` (a mistyped path must not become a new, empty clinic).
    """
    parsed = normalize_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        path = local_path(parsed)
        if path is not None:
            if create:
                create_private_file(path)
            elif not path.is_file():
                raise FileNotFoundError(2, "No clinic database file", str(path))
        engine = create_engine(parsed, connect_args={"timeout": busy_seconds}, **kwargs)
        busy_ms = int(busy_seconds * 1000)
        event.listen(engine, "connect", lambda dbapi, record: _sqlite_on_connect(dbapi, record, busy_ms))
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    if backend == "postgresql":
        # No ping before each use (a round trip every time): connections are renewed after
        # a while, and a read that finds its pooled connection dead runs again once
        # (services.database); the first failure also renews the whole pool.
        kwargs.setdefault("pool_recycle", POOL_RECYCLE_SECONDS)
        if "poolclass" not in kwargs:
            kwargs["poolclass"] = IdleClosingPool
            kwargs.setdefault("pool_size", DESK_POOL_SIZE)
            kwargs.setdefault("max_overflow", 0)
            kwargs.setdefault("pool_timeout", POOL_WAIT_SECONDS)
            kwargs.setdefault("idle_seconds", IDLE_SECONDS)
        options = dict(parsed.query)
        parsed = parsed.difference_update_query(OWN_URL_OPTIONS)
        connect_args = server_timeouts.postgres_connect_args(answer_seconds) | dict(
            kwargs.pop("connect_args", {})
        )
        if "application_name" not in parsed.query:
            connect_args.setdefault("application_name", "clinic-desk")
        if options.get("pooler") == "transaction":
            # PgBouncer hands each transaction any server connection: a statement prepared
            # in one transaction is not there in the next.
            connect_args["prepare_threshold"] = None
        engine = create_engine(parsed, connect_args=connect_args, **kwargs)
        if parsed.get_driver_name() == "psycopg":
            connection_class = server_timeouts.postgres_connection_class(answer_seconds)

            def connect(_dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
                return connection_class.connect(*cargs, **cparams)

            event.listen(engine, "do_connect", connect)
        return engine
    if backend in ("mysql", "mariadb"):
        kwargs.setdefault("pool_pre_ping", True)
        kwargs.setdefault("pool_recycle", 3600)
        connect_args = server_timeouts.mysql_connect_args(answer_seconds) | dict(
            kwargs.pop("connect_args", {})
        )
        connect_args.setdefault("charset", "utf8mb4")
        return create_engine(parsed, connect_args=connect_args, **kwargs)
    return create_engine(parsed, **kwargs)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any, busy_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> None:
    # Take over transaction control from the sqlite3 module, so BEGIN IMMEDIATE below
    # is what really starts each transaction (no "database is locked" mid-action).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute(f"ATTACH DATABASE ':memory:' AS {SQLITE_BATCH_SCHEMA}")
    cursor.close()


def _sqlite_on_begin(connection: Any) -> None:
    # Writers take the lock up front: two workstations on one file queue instead of
    # failing half-way with "database is locked". Readers never block anyone (WAL).
    options = connection.get_execution_options()
    if options.get("clinic_autocommit"):
        return  # one statement, in its own implicit transaction
    if options.get("clinic_read_only"):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(
    engine: Engine, *, read_only: bool = False, autocommit: bool = False
) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit (we hand out frozen copies anyway).

    ``autocommit``: for reads of one statement, no BEGIN or COMMIT at all where that saves
    round trips (PostgreSQL; SQLite runs it without BEGIN; MariaDB as a plain read, since
    switching its autocommit costs more round trips than it saves).
    """
    if autocommit:
        backend = engine.dialect.name
        if backend == "postgresql":
            engine = engine.execution_options(isolation_level="AUTOCOMMIT")
        elif backend == "sqlite":
            engine = engine.execution_options(clinic_autocommit=True)
        else:
            read_only = True
    if read_only:
        engine = engine.execution_options(clinic_read_only=True)
    return sessionmaker(engine, expire_on_commit=False)


def describe(url: str | URL) -> str:
    """Say where the data lives, without the password."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"Local file {parsed.database or '(in memory)'}"
    port = f":{parsed.port}" if parsed.port else ""
    return f"Server {parsed.host or 'localhost'}{port}/{parsed.database or ''}"
