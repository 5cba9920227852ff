"""Schema creation, upgrade on open, and refusal of a database newer than the app."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, text

from clinic_desk import Clinic
from clinic_desk.db import schema
from clinic_desk.db.engine import make_engine
from tests.conftest import FakeClock


def test_open_creates_every_table_at_head(own_db_url: str) -> None:
    with Clinic.open(own_db_url) as clinic, clinic.engine.connect() as connection:
        assert schema.current_revision(connection) == schema.head_revision()
        tables = set(inspect(connection).get_table_names())
    assert {"patients", "portal_accounts", "portal_tokens", "outbox_emails", "audit_log"} <= tables


def test_upgrade_twice_is_harmless(own_db_url: str) -> None:
    engine = make_engine(own_db_url)
    assert schema.upgrade(engine) is None
    assert schema.upgrade(engine) == schema.head_revision()
    engine.dispose()


def test_database_newer_than_the_app_is_refused(own_db_url: str) -> None:
    Clinic.open(own_db_url).close()
    engine = create_engine(own_db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    engine.dispose()
    with pytest.raises(schema.SchemaError, match="newer version of Clinic Desk"):
        Clinic.open(own_db_url)


def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(sqlite_url: str) -> None:
    with Clinic.open(sqlite_url) as clinic, clinic.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_new_sqlite_file_in_a_new_folder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a" / "b" / "clinic.db"
    with Clinic.open(f"sqlite:///{path}") as clinic:
        assert clinic.describe_database() == f"Local file {path}"
    assert path.exists()


def test_the_migrations_build_exactly_the_models_schema(own_db_url: str) -> None:
    """What Alembic builds and what the models describe do not drift apart (names, types, indexes)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from clinic_desk.db.models import Base

    engine = make_engine(own_db_url)
    try:
        schema.upgrade(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = [
                change
                for change in compare_metadata(context, Base.metadata)
                if not (
                    isinstance(change, tuple)
                    and change[0] == "remove_table"
                    and change[1].name == "alembic_version"
                )
            ]
    finally:
        engine.dispose()
    assert differences == []


def test_downgrade_to_the_first_schema_and_back(own_db_url: str) -> None:
    from alembic import command

    engine = make_engine(own_db_url)
    try:
        schema.upgrade(engine)
        with engine.begin() as connection:
            config = schema._config(connection)
            command.downgrade(config, "0001")
            assert schema.current_revision(connection) == "0001"
            command.upgrade(config, "head")
            assert schema.current_revision(connection) == schema.head_revision()
    finally:
        engine.dispose()


def test_upgrade_re_keys_names_so_they_are_found_as_typed(own_db_url: str) -> None:
    """Charts saved before migration 0005 get the new name keys (O’Brien = O'Brien = OBrien)."""
    from alembic import command

    with Clinic.open(own_db_url) as clinic:
        pid = clinic.staff.add_patient(
            first_name="Mary-Kate", last_name="O’Brien", date_of_birth="1970-01-01", actor="frontdesk"
        )
    keys = text("SELECT first_key, last_key FROM patients WHERE id = :pid")
    engine = make_engine(own_db_url)
    try:
        with engine.begin() as connection:
            command.downgrade(schema._config(connection), "0004")
            assert tuple(connection.execute(keys, {"pid": pid}).one()) == ("mary-kate", "o’brien")
        with engine.begin() as connection:
            command.upgrade(schema._config(connection), "head")
            assert tuple(connection.execute(keys, {"pid": pid}).one()) == ("mary kate", "obrien")
    finally:
        engine.dispose()
    with Clinic.open(own_db_url) as clinic:
        assert [p.patient_id for p in clinic.staff.find_patients("O'Brien, Mary Kate")] == [pid]


def test_upgrade_to_0008_counts_the_charts_already_there(own_db_url: str, clock: FakeClock) -> None:
    """Charts saved before migration 0008 are classified by it: the kept counts start right."""
    from alembic import command

    from clinic_desk import Clinic
    from clinic_desk.db import status_counts, status_sql
    from tests.services.helpers import STAFF, add_ready_patient, make_blue

    with Clinic.open(own_db_url, clock=clock) as clinic:
        blue = add_ready_patient(clinic, "Bo", "Blue")
        make_blue(clinic, blue, username="bo.blue")
        add_ready_patient(clinic, "Gil", "Gold", email="gil@gmial.com")
        clinic.staff.add_patient(first_name="Red", last_name="Nozip", date_of_birth="1970-01-01", actor=STAFF)
        wanted = (clinic.count_by_color(), clinic.count_by_reason(), clinic.count_by_trouble())
    engine = make_engine(own_db_url)
    try:
        with engine.begin() as connection:
            config = schema._config(connection)
            command.downgrade(config, "0006")
            command.upgrade(config, "head")
    finally:
        engine.dispose()
    with Clinic.open(own_db_url, clock=clock) as clinic:
        with clinic.reading() as session:
            assert session.execute(status_counts._unclassified()).all() == []
            assert status_sql.count_by_color(session) == wanted[0]
        assert (clinic.count_by_color(), clinic.count_by_reason(), clinic.count_by_trouble()) == wanted
        assert wanted[0] == {"red": 1, "gold": 1, "blue": 1}
        assert wanted[2]["email_possible_typo"] == 1
