"""The schema part of the facade (``clinic.schema``): which version the database is at, and upgrading it.

For ``clinic-desk db upgrade`` / ``db check`` and for an administrator's scripts; the
desks themselves upgrade a local file on open and never a shared server (DESIGN.md section 8).
"""

from __future__ import annotations

from sqlalchemy import Engine

from clinic_desk.db import audit_guard, schema


class SchemaVersion:
    """The clinic database's schema revision (``clinic.schema``)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def current_revision(self) -> str | None:
        """The revision the database is at now (None when it is empty)."""
        with self._engine.execution_options(clinic_read_only=True).connect() as connection:
            return schema.current_revision(connection)

    def head_revision(self) -> str:
        """The newest revision this version of Clinic Desk knows."""
        return schema.head_revision()

    def database_kind(self) -> str:
        """The kind of database in words: 'SQLite', 'PostgreSQL', 'MariaDB' or 'MySQL'."""
        dialect = self._engine.dialect
        if dialect.name == "sqlite":
            return "SQLite"
        if dialect.name == "postgresql":
            return "PostgreSQL"
        if dialect.name in ("mysql", "mariadb"):
            # Known once a connection was made (Clinic.open has made one).
            return "MariaDB" if getattr(dialect, "is_mariadb", False) else "MySQL"
        return dialect.name

    def needs_upgrade(self) -> bool:
        """True when the database is older than this Clinic Desk (raises SchemaError when newer)."""
        return schema.check_revision(self.current_revision()) == "upgrade"

    def upgrade(self) -> str | None:
        """Bring the schema to the newest revision; returns the one it was at before (None if empty)."""
        return schema.upgrade(self._engine)

    def secure_audit_log(self, app_role: str, owner_role: str = audit_guard.DEFAULT_OWNER_ROLE) -> str:
        """Make the audit log append-only against the desks' own database role; says what it did.

        PostgreSQL (run connected as an administrator): the audit table and its trigger
        function move to ``owner_role`` (created NOLOGIN when missing) and ``app_role`` may
        only SELECT and INSERT. SQLite and MariaDB: nothing is changed; the words say what
        protects the log there and what an administrator grants on MariaDB.

        Raises:
            ValidationError: a role name that is not a plain identifier.
            NotAllowed: ``app_role`` is missing, a superuser or a member of ``owner_role``.
        """
        backend = self._engine.dialect.name
        if backend == "sqlite":
            return audit_guard.SQLITE_WORDS
        if backend != "postgresql":
            return audit_guard.MARIADB_WORDS
        with self._engine.begin() as connection:
            return audit_guard.secure_postgres(connection, app_role, owner_role)
