"""Where this workstation's clinic database lives: this computer only, or a shared server.

The choice is kept in a small JSON file in the user's config folder
(``user_config_path("clinic-desk")/connection.json``). It never holds the password:
that goes to the OS keyring through :mod:`clinic_desk.services.secret_store`.

:func:`test_connection` tries a server the way Clinic Desk would use it and says in
one plain sentence what is wrong: the host cannot be reached, the password is wrong,
the database is missing, its schema is newer than this app or needs upgrading, or OK.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, event, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from clinic_desk.db import schema
from clinic_desk.db.engine import default_sqlite_path, make_engine
from clinic_desk.domain.errors import ValidationError
from clinic_desk.places import CONFIG_DIR_ENV as CONFIG_DIR_ENV
from clinic_desk.places import SETTINGS_FILE as SETTINGS_FILE
from clinic_desk.places import connection_settings_file
from clinic_desk.services import secret_store
from clinic_desk.services.db_faults import classify_db_error, is_unreachable

SSL_MODES = ("prefer", "require", "verify-ca", "verify-full", "disable")
DEFAULT_PORTS = {"postgresql": 5432, "mariadb": 3306}
TEST_TIMEOUT_SECONDS = 5

Kind = Literal["local", "server"]
Outcome = Literal[
    "ok",
    "empty",
    "needs_upgrade",
    "too_new",
    "unreachable",
    "server_full",
    "wrong_password",
    "database_missing",
    "ssl_problem",
    "file_unusable",
    "not_configured",
    "error",
]


@dataclass(frozen=True)
class ConnectionSettings:
    """This workstation's database choice (never a password)."""

    kind: Kind = "local"
    backend: str = "postgresql"  # "postgresql" (offered in the dialog) or "mariadb"
    host: str = ""
    port: int = 5432
    database: str = "clinic"
    user: str = ""
    sslmode: str = "prefer"
    sslrootcert: str = ""
    sqlite_path: str = ""  # empty: the default file in the user data folder
    # PostgreSQL reached through PgBouncer in transaction mode (README: "A clinic group on one
    # server"); live updates then listen straight on listen_host:listen_port, or, with no
    # listen_host, the desk looks for changes twice a second through its pool.
    pgbouncer: bool = False
    listen_host: str = ""
    listen_port: int = 5432

    @property
    def is_server(self) -> bool:
        """True for a shared server, False for "this computer only"."""
        return self.kind == "server"

    def local_path(self) -> Path:
        """The SQLite file used for "this computer only"."""
        return Path(self.sqlite_path).expanduser() if self.sqlite_path else default_sqlite_path()

    def password_key(self) -> str:
        """The keyring entry name of this server's password: one per user, server and database."""
        host = self.host.strip().lower()
        return f"db:{self.backend}:{self.user.strip()}@{host}:{self.port}/{self.database.strip()}"

    def checked(self) -> ConnectionSettings:
        """These settings with whitespace trimmed; raises ValidationError naming the bad field."""
        if self.kind not in ("local", "server"):
            raise ValidationError("Choose 'This computer only' or 'Shared server'.", field="kind")
        if self.kind == "local":
            return replace(self, sqlite_path=self.sqlite_path.strip())
        clean = replace(
            self,
            host=self.host.strip(),
            database=self.database.strip(),
            user=self.user.strip(),
            sslrootcert=self.sslrootcert.strip(),
            sslmode=self.sslmode.strip() or "prefer",
        )
        if clean.backend not in DEFAULT_PORTS:
            raise ValidationError("Clinic Desk supports PostgreSQL (and MariaDB) servers.", field="backend")
        if not clean.host or any(c.isspace() for c in clean.host):
            raise ValidationError("Server: type the server's name or address.", field="host")
        if not 1 <= int(clean.port) <= 65535:
            raise ValidationError("Port: choose a number from 1 to 65535 (PostgreSQL: 5432).", field="port")
        if not clean.database:
            raise ValidationError("Database: type the database name (e.g. 'clinic').", field="database")
        if not clean.user:
            raise ValidationError("User name: type the database user name.", field="user")
        if clean.sslmode not in SSL_MODES:
            raise ValidationError(f"SSL mode: choose one of {', '.join(SSL_MODES)}.", field="sslmode")
        if clean.sslmode in ("verify-ca", "verify-full") and not clean.sslrootcert:
            raise ValidationError(
                "Choose the server's CA certificate file to verify the server.", field="sslrootcert"
            )
        if clean.sslrootcert and not Path(clean.sslrootcert).expanduser().is_file():
            raise ValidationError("The CA certificate file was not found.", field="sslrootcert")
        return clean._checked_pooler()

    def _checked_pooler(self) -> ConnectionSettings:
        if not self.pgbouncer:
            return replace(self, listen_host="", listen_port=DEFAULT_PORTS["postgresql"])
        if self.backend != "postgresql":
            raise ValidationError("PgBouncer is for PostgreSQL servers only.", field="pgbouncer")
        clean = replace(self, listen_host=self.listen_host.strip())
        if any(c.isspace() for c in clean.listen_host):
            raise ValidationError(
                "Live updates: type PostgreSQL's own server name or address (no spaces), or leave it empty.",
                field="listen_host",
            )
        if not 1 <= int(clean.listen_port) <= 65535:
            raise ValidationError(
                "Live updates port: choose a number from 1 to 65535 (PostgreSQL: 5432).", field="listen_port"
            )
        if clean.listen_host and (clean.listen_host.lower(), clean.listen_port) == (
            clean.host.lower(),
            clean.port,
        ):
            raise ValidationError(
                "Live updates cannot go through PgBouncer: give PostgreSQL's own address or port "
                "(the server's port is PgBouncer's), or leave the name empty.",
                field="listen_host",
            )
        return clean

    def describe(self) -> str:
        """'This computer only (/path/clinic.db)' or 'Shared server host:5432/clinic' (no password)."""
        if self.kind == "local":
            return f"This computer only ({self.local_path()})"
        through = " through PgBouncer" if self.pgbouncer else ""
        return f"Shared server {self.host}:{self.port}/{self.database} as {self.user}{through}"


# -- the settings file --------------------------------------------------------------------


def settings_path() -> Path:
    """Where the connection settings file lives (``$CLINIC_DESK_CONFIG_DIR`` overrides, for tests)."""
    return connection_settings_file()


def load_connection_settings(path: Path | None = None) -> ConnectionSettings | None:
    """The saved settings, or None when there are none yet (first run) or the file is unreadable."""
    path = path or settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    known = {f.name: f.type for f in fields(ConnectionSettings)}
    values: dict[str, Any] = {key: value for key, value in data.items() if key in known}
    for number in ("port", "listen_port"):
        if number in values:
            try:
                values[number] = int(values[number])
            except (TypeError, ValueError):
                values.pop(number)
    if not isinstance(values.get("pgbouncer", False), bool):
        values.pop("pgbouncer")
    try:
        return ConnectionSettings(**values)
    except TypeError:
        return None


def save_connection_settings(settings: ConnectionSettings, path: Path | None = None) -> Path:
    """Write the settings atomically (owner-only permissions). Never writes a password."""
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    document = asdict(settings)
    assert not any("password" in key for key in document), "passwords never go to the settings file"
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".connection-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(document, stream, indent=2)
            stream.write("\n")
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


# -- the password ---------------------------------------------------------------------------


def stored_password(settings: ConnectionSettings) -> str | None:
    """The server password from the keyring (or this run's memory), or None (blocking: worker only)."""
    if not settings.is_server:
        return None
    return secret_store.get_secret(settings.password_key())


def remember_password(settings: ConnectionSettings, password: str, *, remember: bool = True) -> None:
    """Keep the server password in the OS keyring (``remember=False``: for this run only).

    Raises:
        secret_store.KeyringUnavailable: no usable keyring; the caller may retry with remember=False.
    """
    if password:
        secret_store.set_secret(settings.password_key(), password, remember=remember)
    else:
        secret_store.delete_secret(settings.password_key())


# -- URLs -----------------------------------------------------------------------------------


def build_url(settings: ConnectionSettings, password: str | None = None) -> URL:
    """The SQLAlchemy URL for these settings (the password only lives in memory)."""
    if not settings.is_server:
        return URL.create("sqlite", database=str(settings.local_path()))
    if settings.backend == "mariadb":
        driver, query = "mariadb+pymysql", {"charset": "utf8mb4"}
    else:
        driver, query = "postgresql+psycopg", {"sslmode": settings.sslmode}
        if settings.sslrootcert:
            query["sslrootcert"] = str(Path(settings.sslrootcert).expanduser())
        if settings.pgbouncer:  # the URL options db/engine.py and services/change_feed.py read
            query["pooler"] = "transaction"
            if settings.listen_host:
                query |= {"listen_host": settings.listen_host, "listen_port": str(settings.listen_port)}
    return URL.create(
        driver,
        username=settings.user,
        password=password or None,
        host=settings.host,
        port=settings.port,
        database=settings.database,
        query=query,
    )


def startup_url(settings: ConnectionSettings | None) -> URL:
    """The URL the window opens with: the saved choice, or the local file on first run (blocking)."""
    if settings is None or not settings.is_server:
        return build_url(settings or ConnectionSettings())
    return build_url(settings, stored_password(settings))


# -- testing a connection -------------------------------------------------------------------


@dataclass(frozen=True)
class ConnectionReport:
    """What trying a database said, in one plain sentence."""

    outcome: Outcome
    message: str
    where: str = ""
    revision: str | None = None
    server_version: str = ""

    @property
    def ok(self) -> bool:
        """True when Clinic Desk can use this database (possibly after creating/upgrading its schema)."""
        return self.outcome in ("ok", "empty", "needs_upgrade")


def test_connection(
    settings: ConnectionSettings, password: str | None, *, timeout: float = TEST_TIMEOUT_SECONDS
) -> ConnectionReport:
    """Try the database as Clinic Desk would use it; never raises (blocking: worker threads only).

    Reads the schema revision without changing anything.
    """
    try:
        settings = settings.checked()
    except ValidationError as problem:
        return ConnectionReport("not_configured", problem.message)
    url = build_url(settings, password)
    where = settings.describe()
    options: dict[str, Any] = {"poolclass": NullPool}
    if settings.is_server:
        options["connect_args"] = {"connect_timeout": max(1, round(timeout))}
        options["answer_seconds"] = timeout
    try:
        engine = make_engine(url, **options)
    except ImportError as error:
        return ConnectionReport(
            "error", f"The database driver is not installed ({error.name or error}).", where
        )
    except OSError as error:
        return ConnectionReport("error", f"{where}: the folder cannot be made ({error.strerror}).", where)
    try:
        with engine.connect() as connection:
            revision = schema.current_revision(connection)
            version = _server_version(connection.dialect.name, connection)
    except DBAPIError as error:
        outcome, words = classify_error(error)
        return ConnectionReport(outcome, f"{where}: {words}", where)
    except SQLAlchemyError as error:
        return ConnectionReport("error", f"{where}: the database could not be read ({type(error).__name__}).")
    finally:
        engine.dispose()
    try:
        state = schema.check_revision(revision)
    except schema.SchemaError as problem:
        return ConnectionReport("too_new", problem.message, where, revision, version)
    if revision is None:
        return ConnectionReport(
            "empty",
            f"Connected to {where}. The database is empty: Clinic Desk will set it up when you use it.",
            where,
            revision,
            version,
        )
    if state == "upgrade":
        return ConnectionReport(
            "needs_upgrade",
            f"Connected to {where}. Its schema is older than this Clinic Desk: the first workstation "
            "that opens it with this version upgrades it (the others wait a moment).",
            where,
            revision,
            version,
        )
    return ConnectionReport("ok", f"Connected to {where}. Everything is ready.", where, revision, version)


test_connection.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def _server_version(dialect: str, connection: Any) -> str:
    try:
        if dialect == "postgresql":
            return str(connection.execute(text("show server_version")).scalar() or "")
        if dialect in ("mysql", "mariadb"):
            return str(connection.execute(text("select version()")).scalar() or "")
    except DBAPIError:
        return ""
    return ""


def classify_error(error: BaseException) -> tuple[Outcome, str]:
    """Name what went wrong when connecting, from the driver's error (never echoes a password)."""
    fault, words = classify_db_error(error)
    return fault.value, words


# -- noticing a lost server -----------------------------------------------------------------


def watch_disconnects(engine: Engine, on_disconnect: Callable[[], None]) -> Callable[[], None]:
    """Call ``on_disconnect`` (on whatever thread saw it) whenever the engine loses the server.

    Returns a function that stops watching.
    """

    def handle_error(context: Any) -> None:
        if getattr(context, "is_pre_ping", False):
            return  # the pool noticed a stale connection and simply reconnects
        if context.is_disconnect or is_unreachable(context.original_exception):
            on_disconnect()

    event.listen(engine, "handle_error", handle_error)

    def stop() -> None:
        if event.contains(engine, "handle_error", handle_error):
            event.remove(engine, "handle_error", handle_error)

    return stop


def ping(engine: Engine) -> None:
    """One cheap round trip to the database; raises DBAPIError when it cannot be reached (blocking)."""
    with engine.execution_options(clinic_read_only=True).connect() as connection:
        connection.exec_driver_sql("select 1")
