"""The audit log against the desks' own database login: PostgreSQL (a role of its own owns the table)
and MariaDB (a user without DROP or TRIGGER). Roles and users are server-wide: unique names, dropped after."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from clinic_desk import Clinic, NotAllowed, ValidationError
from tests import databases
from tests.services.helpers import add_ready_patient


@contextmanager
def _server_admin(url: str) -> Iterator[Connection]:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


@contextmanager
def _postgres_roles() -> Iterator[tuple[str, str]]:
    databases.require_server("PostgreSQL", databases.PG_HOST, databases.PG_PORT)
    suffix = uuid.uuid4().hex[:10]
    app, owner = f"clinic_app_{suffix}", f"clinic_audit_{suffix}"
    admin = create_engine(f"{databases.PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE ROLE "{app}" LOGIN'))
        yield app, owner
    finally:
        with admin.connect() as connection:
            for role in (owner, app):
                connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()


def _refused(url: str, *statements: str) -> None:
    engine = create_engine(url)
    try:
        for statement in statements:
            with pytest.raises(DBAPIError), engine.begin() as connection:
                connection.execute(text(statement))
    finally:
        engine.dispose()


def test_postgres_the_desks_role_may_only_read_and_append() -> None:
    with (
        _postgres_roles() as (app, owner),
        databases.new_postgres_database(databases.PG_SERVER, "clinic_test") as url,
    ):
        Clinic.open(url).close()
        engine = create_engine(url)
        with engine.begin() as connection:
            # A plain one-role set-up's grants: the desks' role may work with every table.
            connection.execute(
                text(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{app}"')
            )
            connection.execute(
                text(f'GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO "{app}"')
            )
        engine.dispose()
        with Clinic.open(url) as administrator:
            said = administrator.schema.secure_audit_log(app, owner)
        assert owner in said and app in said

        desk_url = make_url(url).set(username=app).render_as_string(hide_password=False)
        with Clinic.open(desk_url) as desk:
            add_ready_patient(desk)
            add_ready_patient(desk, "Ben")
            assert desk.verify_audit().ok
        _refused(
            desk_url,
            "UPDATE audit_log SET actor = 'someone else'",
            "DELETE FROM audit_log",
            "TRUNCATE audit_log",
            "TRUNCATE audit_log CASCADE",
            "ALTER TABLE audit_log DISABLE TRIGGER USER",
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
            "DROP TRIGGER audit_log_no_truncate ON audit_log",
            "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql "
            "AS $$ BEGIN RETURN OLD; END $$",
            "ALTER TABLE audit_log OWNER TO CURRENT_USER",
            "DROP TABLE audit_log CASCADE",
        )
        with Clinic.open(url) as administrator:  # the administrator's upgrade still works
            assert administrator.verify_audit().entries_checked == 2


def test_postgres_the_secure_step_refuses_what_cannot_hold() -> None:
    with (
        _postgres_roles() as (app, owner),
        databases.new_postgres_database(databases.PG_SERVER, "clinic_test") as url,
        Clinic.open(url) as administrator,
    ):
        with pytest.raises(NotAllowed, match="superuser"):
            administrator.schema.secure_audit_log("postgres", owner)
        with pytest.raises(NotAllowed, match="no database role"):
            administrator.schema.secure_audit_log(f"{app}_missing", owner)
        with pytest.raises(ValidationError, match="letters, digits"):
            administrator.schema.secure_audit_log('x"; DROP TABLE patients; --', owner)
        with pytest.raises(ValidationError):
            administrator.schema.secure_audit_log(app, app)


def test_sqlite_and_mariadb_say_what_protects_the_log(sqlite_url: str) -> None:
    with Clinic.open(sqlite_url) as clinic:
        assert "audit verify" in clinic.schema.secure_audit_log("anyone")


def test_mariadb_a_user_without_drop_or_trigger_cannot_empty_the_log() -> None:
    with databases.mariadb_database() as url:
        Clinic.open(url).close()
        name = make_url(url).database
        user = f"clinic_app_{uuid.uuid4().hex[:10]}"
        with _server_admin(f"{databases.MARIADB_SERVER}/") as admin:
            admin.execute(text(f"CREATE USER '{user}'@'%'"))
            admin.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON `{name}`.* TO '{user}'@'%'"))
        try:
            desk_url = make_url(url).set(username=user).render_as_string(hide_password=False)
            with Clinic.open(desk_url) as desk:
                add_ready_patient(desk)
                assert "DROP" in desk.schema.secure_audit_log(user)
                assert desk.verify_audit().ok
            engine = create_engine(desk_url)
            with pytest.raises(DBAPIError, match=r"(?i)denied"), engine.begin() as connection:
                connection.execute(text("SET FOREIGN_KEY_CHECKS = 0"))
                connection.execute(text("TRUNCATE TABLE audit_log"))
            engine.dispose()
            _refused(
                desk_url,
                "DELETE FROM audit_log",
                "UPDATE audit_log SET actor = 'x'",
                "DROP TRIGGER audit_log_no_delete",
                "DROP TABLE audit_log_guard",
            )
            with Clinic.open(desk_url) as desk:
                assert desk.verify_audit().entries_checked == 1
        finally:
            with _server_admin(f"{databases.MARIADB_SERVER}/") as admin:
                admin.execute(text(f"DROP USER IF EXISTS '{user}'@'%'"))
