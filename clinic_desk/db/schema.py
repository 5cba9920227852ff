"""Create or upgrade the schema on open; refuse a database newer than this app.

Alembic is imported only when there is work for it: a database already at
:data:`HEAD_REVISION` is recognised with one query, which keeps opening the clinic fast.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from clinic_desk.domain.errors import SchemaError

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

__all__ = [
    "HEAD_REVISION",
    "SchemaError",
    "check_revision",
    "current_revision",
    "ensure_current",
    "head_revision",
    "stored_revision",
    "upgrade",
]

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest migration in migrations/versions, known without loading Alembic. A new migration
# changes it too; tests/db/test_schema_head.py fails until it matches Alembic's own head.
HEAD_REVISION = "0011"
# Any fixed number: every Clinic Desk takes this PostgreSQL advisory lock to upgrade.
UPGRADE_LOCK_ID = 72_501_113


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    """The newest schema revision this app knows (from the migrations themselves)."""
    head = _scripts().get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    """The schema revision the database is at (None when empty)."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def stored_revision(engine: Engine) -> str | None:
    """The one revision stored in the database, read with a single query; None when that cannot tell.

    None covers an empty database, a statement that failed and anything unusual (several
    rows): the caller then asks Alembic. A database that cannot be reached still raises.
    """
    with engine.execution_options(clinic_read_only=True).connect() as connection:
        try:
            rows = connection.execute(text("select version_num from alembic_version")).scalars().all()
        except DBAPIError as error:
            if error.connection_invalidated:
                raise
            return None  # no such table yet (a new database): Alembic's path says so properly
    return str(rows[0]) if len(rows) == 1 else None


def check_revision(current: str | None) -> str:
    """Say 'current', 'upgrade' or raise SchemaError when the database is newer than us."""
    if current == HEAD_REVISION:
        return "current"
    script = _scripts()
    if current == script.get_current_head():
        return "current"
    known = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known:
        raise SchemaError(
            "This database was set up by a newer version of Clinic Desk "
            f"(schema {current}). Update Clinic Desk on this computer before using it."
        )
    return "upgrade"


def upgrade(engine: Engine) -> str | None:
    """Bring the schema to head. Returns the revision it was at before (None if empty).

    A database already at head costs one query and no Alembic. Otherwise, on PostgreSQL the
    upgrade runs under an advisory lock: when several workstations start a new version at
    once, the first upgrades and the others wait, then find it done.
    """
    if stored_revision(engine) == HEAD_REVISION:
        log.debug("The schema is at %s, the newest: nothing to upgrade.", HEAD_REVISION)
        return HEAD_REVISION
    from alembic import command

    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("select pg_advisory_xact_lock(:id)"), {"id": UPGRADE_LOCK_ID})
        before = current_revision(connection)
        if check_revision(before) == "upgrade":
            log.debug("Upgrading the schema from %s.", before or "an empty database")
            command.upgrade(_config(connection), "head")
        return before


def ensure_current(engine: Engine) -> None:
    """Raise SchemaError unless the schema is exactly at head (for read-only checks)."""
    if stored_revision(engine) == HEAD_REVISION:
        log.debug("The schema is at %s, the newest.", HEAD_REVISION)
        return
    with engine.connect() as connection:
        current = current_revision(connection)
    if check_revision(current) != "current":
        raise SchemaError("The database schema needs upgrading: run `clinic-desk db upgrade`.")
