"""Create or upgrade the schema on open; refuse a database newer than this app."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from clinic_desk.domain.errors import SchemaError

__all__ = ["SchemaError", "check_revision", "current_revision", "ensure_current", "head_revision", "upgrade"]

MIGRATIONS = Path(__file__).with_name("migrations")
# Any fixed number: every Clinic Desk takes this PostgreSQL advisory lock to upgrade.
UPGRADE_LOCK_ID = 72_501_113


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest schema revision this app knows."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    """The schema revision the database is at (None when empty)."""
    return MigrationContext.configure(connection).get_current_revision()


def check_revision(current: str | None) -> str:
    """Say 'current', 'upgrade' or raise SchemaError when the database is newer than us."""
    script = ScriptDirectory.from_config(_config())
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

    On PostgreSQL the upgrade runs under an advisory lock: when several workstations
    start a new version at once, the first upgrades and the others wait, then find it done.
    """
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("select pg_advisory_xact_lock(:id)"), {"id": UPGRADE_LOCK_ID})
        before = current_revision(connection)
        if check_revision(before) == "upgrade":
            command.upgrade(_config(connection), "head")
        return before


def ensure_current(engine: Engine) -> None:
    """Raise SchemaError unless the schema is exactly at head (for read-only checks)."""
    with engine.connect() as connection:
        current = current_revision(connection)
    if check_revision(current) != "current":
        raise SchemaError("The database schema needs upgrading: run `clinic-desk db upgrade`.")
