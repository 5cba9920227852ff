"""Real databases for tests: a SQLite file, or a PostgreSQL / MariaDB database made for the run."""

from __future__ import annotations

import os
import shutil
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

PG_HOST = os.environ.get("CLINIC_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("CLINIC_TEST_PG_PORT", "5432"))
MARIADB_HOST = os.environ.get("CLINIC_TEST_MARIADB_HOST", "127.0.0.1")
MARIADB_PORT = int(os.environ.get("CLINIC_TEST_MARIADB_PORT", "3306"))
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def server_up(host: str, port: int) -> bool:
    """True when something listens on host:port."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_server(name: str, host: str, port: int) -> None:
    """Skip with a clear message when the server is missing; in CI, fail instead."""
    if server_up(host, port):
        return
    message = f"{name} is not running on {host}:{port}; start it to run these tests."
    if IN_CI:
        pytest.fail(message + " (CI=true: database tests never skip)")
    pytest.skip(message)


PG_SERVER = f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}"
MARIADB_SERVER = f"mysql+pymysql://root@{MARIADB_HOST}:{MARIADB_PORT}"


@contextmanager
def _made_and_dropped(admin_url: str, create: str, drop: str, *, keep: bool = False) -> Iterator[None]:
    """Run ``create`` on the server, then ``drop`` when the block ends (unless ``keep``)."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(create))
        try:
            yield
        finally:
            if not keep:
                with admin.connect() as connection:
                    connection.execute(text(drop))
    finally:
        admin.dispose()


@contextmanager
def new_postgres_database(
    server: str, prefix: str, *, keep: bool = False, options: str = ""
) -> Iterator[str]:
    """A uniquely named database on this PostgreSQL server (``postgresql+psycopg://user@host:port``).

    Dropped afterwards, even with connections still open, unless ``keep``. ``options`` go
    after ``CREATE DATABASE name`` (an encoding, say).
    """
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    with _made_and_dropped(f"{server}/postgres", f'CREATE DATABASE "{name}" {options}', drop, keep=keep):
        yield f"{server}/{name}"


@contextmanager
def postgres_database(options: str = "") -> Iterator[str]:
    """Create a uniquely named PostgreSQL database and drop it afterwards."""
    require_server("PostgreSQL", PG_HOST, PG_PORT)
    with new_postgres_database(PG_SERVER, "clinic_test", options=options) as url:
        yield url


@contextmanager
def mariadb_database() -> Iterator[str]:
    """Create a uniquely named MariaDB database and drop it afterwards."""
    require_server("MariaDB", MARIADB_HOST, MARIADB_PORT)
    name = f"clinic_test_{uuid.uuid4().hex[:12]}"
    create = f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4"
    with _made_and_dropped(f"{MARIADB_SERVER}/", create, f"DROP DATABASE IF EXISTS `{name}`"):
        yield f"{MARIADB_SERVER}/{name}?charset=utf8mb4"


# Tables emptied between tests that share one server database (children first).
TABLES = (
    "outbox_emails",
    "portal_tokens",
    "portal_sessions",
    "portal_accounts",
    "patient_photos",
    "audit_log",
    "clinic_settings",
    "patients",
    "portal_attempts",
    "portal_events",
    "done_requests",
    "staff_members",
    "status_count_deltas",
    "portal_status_days",
    "import_values",
)


def empty_postgres(url: str) -> None:
    """Empty every table and reset MRNs (as superuser: replica mode skips the audit log's
    no-truncate trigger; a desk's own role may not)."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        connection.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
        connection.execute(text("UPDATE counters SET value = 100000 WHERE name = 'mrn'"))
    engine.dispose()


def empty_mariadb(url: str) -> None:
    """Empty every table and reset MRNs (with foreign key checks off, TRUNCATE passes the audit
    log's guard; a desk's own user lacks the DROP privilege TRUNCATE needs)."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("SET FOREIGN_KEY_CHECKS = 0"))
        for table in TABLES:
            connection.execute(text(f"TRUNCATE TABLE {table}"))
        connection.execute(text("SET FOREIGN_KEY_CHECKS = 1"))
        connection.execute(text("UPDATE counters SET value = 100000 WHERE name = 'mrn'"))
    engine.dispose()


def copy_sqlite(template: Path, target: Path) -> str:
    """A fresh SQLite file from the migrated template."""
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"
