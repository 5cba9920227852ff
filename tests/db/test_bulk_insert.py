"""Bulk writes (COPY, raw executemany) store exactly what SQLAlchemy stores; indexes and statistics follow."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any, cast

import pytest
from sqlalchemy import Connection, Table, create_engine, insert, text
from sqlalchemy.exc import StatementError

from clinic_desk import Clinic
from clinic_desk.db.analyze import analyze
from clinic_desk.db.bulk_indexes import indexes_built_after
from clinic_desk.db.bulk_insert import (
    copy_block,
    copy_types,
    format_row_binary_public,
    insert_image,
    insert_rows,
    sqlite_image,
)
from clinic_desk.db.models import Patient, PortalAccount
from clinic_desk.domain.bulk_chart import BulkChart
from tests import databases

PATIENTS = cast(Table, Patient.__table__)
ACCOUNTS = cast(Table, PortalAccount.__table__)
EASTERN = timezone(timedelta(hours=-5))


def _patient(patient_id: int, moment: datetime) -> dict[str, Any]:
    return {
        "id": patient_id,
        "mrn": str(900_000 + patient_id),
        "first_name": "Zoë",
        "last_name": "O'Brien",
        "preferred_name": None,
        "date_of_birth": date(1931, 6, 5),
        "sex": "female",
        "email": "zoe@example.com",
        "phone": None,
        "address_line1": "12 Main St",
        "address_line2": None,
        "city": "Boston",
        "state": "MA",
        "zip_code": "02130",
        "status": "active",
        "created_via": "import",
        "first_key": "zoe",
        "last_key": "obrien",
        "email_key": "zoe@example.com",
        "phone_digits": None,
        "created_at": moment,
        "updated_at": moment + timedelta(microseconds=1),
        "version": 1,
    }


def _account(patient_id: int, moment: datetime) -> dict[str, Any]:
    return {
        "patient_id": patient_id,
        "access_enabled": True,
        "access_off_reason": None,
        "access_changed_by": "dana",
        "access_changed_at": moment,
        "access_note": "tab\there, and a back\\slash\nnew line",
        "staff_off_reason": None,
        "username": f"Zoe{patient_id}",
        "username_key": f"zoe{patient_id}",
        "password_hash": "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA",
        "must_change_password": False,
        "registered_at": None,
        "confirmed_at": moment,
        "last_login_at": moment,
        "login_count": 3,
        "failed_logins": 0,
        "last_failed_login_at": None,
        "locked_until": None,
        "version": 1,
    }


def _stored(connection: Connection, table: Table, key: str, value: int) -> dict[str, Any]:
    """The row as the database holds it (SQLite: the raw text, not SQLAlchemy's reading of it)."""
    quote = connection.dialect.identifier_preparer.quote
    row = (
        connection.exec_driver_sql(f"SELECT * FROM {quote(table.name)} WHERE {quote(key)} = {int(value)}")
        .mappings()
        .one()
    )
    return {name: row[name] for name in row if name not in (key, "mrn", "username", "username_key")}


# Whole seconds, microseconds, another time zone and an old date: the formats' edge cases.
MOMENTS = [
    datetime(2026, 3, 2, 15, 0, tzinfo=UTC),
    datetime(2025, 12, 31, 23, 59, 59, 123456, tzinfo=UTC),
    datetime(2026, 7, 4, 8, 30, 0, 5, tzinfo=EASTERN),
]


@pytest.mark.parametrize("moment", MOMENTS)
def test_bulk_rows_are_stored_as_sqlalchemy_stores_them(clinic: Clinic, moment: datetime) -> None:
    with clinic.engine.begin() as connection:
        patient, account = _patient(1, moment), _account(1, moment)
        insert_rows(connection, PATIENTS, list(patient), [tuple(patient.values())])
        insert_rows(connection, ACCOUNTS, list(account), [tuple(account.values())])
        connection.execute(insert(PATIENTS), [_patient(2, moment)])
        connection.execute(insert(ACCOUNTS), [_account(2, moment)])
        assert _stored(connection, PATIENTS, "id", 1) == _stored(connection, PATIENTS, "id", 2)
        assert _stored(connection, ACCOUNTS, "patient_id", 1) == _stored(
            connection, ACCOUNTS, "patient_id", 2
        )
    # And they read back as the values given (MariaDB's DATETIME keeps whole seconds).
    with clinic.reading() as session:
        stored = session.get(PortalAccount, 1)
        assert stored is not None and stored.access_note == _account(1, moment)["access_note"]
        kept = moment.replace(microsecond=0) if clinic.engine.dialect.name in ("mysql", "mariadb") else moment
        assert stored.last_login_at == kept


def test_naive_times_are_refused(clinic: Clinic) -> None:
    patient = _patient(1, datetime(2026, 3, 2, 15, 0))  # naive on purpose
    # MariaDB goes through SQLAlchemy, which wraps the same ValueError.
    with pytest.raises((ValueError, StatementError), match="naive"), clinic.engine.begin() as connection:
        insert_rows(connection, PATIENTS, list(patient), [tuple(patient.values())])


def _indexes(connection: Connection) -> set[tuple[str, str]]:
    if connection.dialect.name == "sqlite":
        query = (
            "SELECT name, sql FROM sqlite_master "
            "WHERE type = 'index' AND tbl_name IN ('patients', 'portal_accounts')"
        )
    elif connection.dialect.name == "postgresql":
        query = (
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('patients', 'portal_accounts')"
        )
    else:
        query = (
            "SELECT DISTINCT index_name, table_name FROM information_schema.statistics "
            "WHERE table_schema = DATABASE() AND table_name IN ('patients', 'portal_accounts')"
        )
    return {(str(name), str(sql)) for name, sql in connection.exec_driver_sql(query)}


def _pg_constraints_and_triggers(connection: Connection) -> set[tuple[str, str]]:
    """PostgreSQL: the two tables' constraints with their definitions, and their triggers with
    whether each is enabled (a bulk load holds the unique and foreign-key ones and the triggers)."""
    if connection.dialect.name != "postgresql":
        return set()
    constraints = connection.exec_driver_sql(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid IN ('patients'::regclass, 'portal_accounts'::regclass)"
    )
    triggers = connection.exec_driver_sql(
        "SELECT tgname, tgenabled::text FROM pg_trigger "
        "WHERE tgrelid IN ('patients'::regclass, 'portal_accounts'::regclass) AND NOT tgisinternal"
    )
    return {(str(a), str(b)) for a, b in [*constraints, *triggers]}


def test_an_empty_table_gets_its_indexes_back_after_the_load(clinic: Clinic) -> None:
    with clinic.engine.begin() as connection:
        before = _indexes(connection)
        held_before = _pg_constraints_and_triggers(connection)
        with indexes_built_after(connection, [PATIENTS, ACCOUNTS]) as deferred:
            during = _indexes(connection)
            held_during = _pg_constraints_and_triggers(connection)
            patient = _patient(1, MOMENTS[0])
            insert_rows(connection, PATIENTS, list(patient), [tuple(patient.values())])
        assert _indexes(connection) == before
        assert _pg_constraints_and_triggers(connection) == held_before
    if clinic.engine.dialect.name == "postgresql":
        names_during = {name for name, _ in held_during}
        assert "uq_patients_mrn" not in names_during and "uq_portal_accounts_username_key" not in names_during
        assert ("patients_notify", "D") in held_during  # the change notices are off for the load
        assert ("pk_patients", "PRIMARY KEY (id)") in held_during
    if clinic.engine.dialect.name in ("sqlite", "postgresql"):
        assert deferred
        plain = {"ix_patients_last_first", "ix_patients_email_key_id", "ix_portal_accounts_colour"}
        assert plain <= {name for name, _ in before} - {name for name, _ in during}
    else:
        assert not deferred and during == before  # MariaDB: DDL would commit the load


def test_a_table_with_more_than_a_few_rows_keeps_its_indexes(clinic: Clinic) -> None:
    clinic.staff.add_patient(first_name="Ada", last_name="Byron", date_of_birth="1990-12-10", actor="desk")
    clinic.staff.add_patient(first_name="Bo", last_name="Byron", date_of_birth="1991-12-10", actor="desk")
    with clinic.engine.begin() as connection:
        before = _indexes(connection)
        with indexes_built_after(connection, [PATIENTS, ACCOUNTS], few_rows=1) as deferred:
            assert _indexes(connection) == before
    assert not deferred


def test_a_table_with_a_few_rows_is_loaded_without_its_indexes(clinic: Clinic) -> None:
    """The demo's showcase charts come before its bulk: the bulk still skips the indexes."""
    clinic.staff.add_patient(first_name="Ada", last_name="Byron", date_of_birth="1990-12-10", actor="desk")
    with clinic.engine.begin() as connection:
        before = _indexes(connection)
        with indexes_built_after(connection, [PATIENTS, ACCOUNTS], few_rows=1) as deferred:
            during = {name for name, _ in _indexes(connection)}
        assert _indexes(connection) == before
    if clinic.engine.dialect.name in ("sqlite", "postgresql"):
        assert deferred and "ix_patients_last_first" not in during
    else:
        assert not deferred  # MariaDB: DDL would commit the load


def _analysed(connection: Connection, table: str) -> object:
    """SQLite: whether the table has statistics (each test has its own file). PostgreSQL: when
    the table was last analysed, since the test database is shared by the run and an earlier
    test may have left statistics behind."""
    if connection.dialect.name == "sqlite":
        if not connection.scalar(text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")):
            return False  # made by the first ANALYZE
        return bool(connection.scalar(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = :t"), {"t": table}))
    return connection.scalar(
        text("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = :t"), {"t": table}
    )


def test_a_bulk_load_leaves_fresh_statistics(clinic: Clinic) -> None:
    if clinic.engine.dialect.name not in ("sqlite", "postgresql"):
        pytest.skip("MariaDB refreshes InnoDB statistics by itself (ANALYZE TABLE would commit)")
    tables = ("patients", "portal_accounts")
    with clinic.engine.connect() as connection:
        before = {table: _analysed(connection, table) for table in tables}
    if clinic.engine.dialect.name == "sqlite":
        assert before == {"patients": False, "portal_accounts": False}
    charts = [
        BulkChart(
            first_name="Ana", last_name=f"Load{n}", date_of_birth=date(1980, 1, 1 + n), created_at=MOMENTS[n]
        )
        for n in range(3)
    ]
    assert clinic.load_demo_charts(charts, actor="manager", password="blue-harbor-42") == 3
    with clinic.engine.connect() as connection:
        after = {table: _analysed(connection, table) for table in tables}
    for table in tables:
        assert after[table], table
        assert after[table] is True or before[table] is None or after[table] > before[table], table


def test_analyze_runs_inside_an_open_transaction(clinic: Clinic) -> None:
    with clinic.engine.begin() as connection:
        patient = _patient(1, MOMENTS[0])
        insert_rows(connection, PATIENTS, list(patient), [tuple(patient.values())])
        analyze(connection, [PATIENTS, ACCOUNTS])
        assert connection.exec_driver_sql("SELECT count(*) FROM patients").scalar() == 1


@pytest.fixture
def pg_clinic() -> Iterator[Clinic]:
    with databases.postgres_database() as url, Clinic.open(url) as opened:
        yield opened


@pytest.mark.parametrize("moment", MOMENTS)
def test_copy_blocks_made_without_a_connection_store_what_sqlalchemy_stores(
    pg_clinic: Clinic, moment: datetime
) -> None:
    # A bulk load's workers make these blocks; the loading process only sends them.
    with pg_clinic.engine.begin() as connection:
        types = {t: copy_types(connection, t, list(row)) for t, row in _tables(1, moment)}
    blocks = [
        (t, list(row), copy_block(t, list(row), types[t], [tuple(row.values())]))
        for t, row in _tables(1, moment)
    ]
    with pg_clinic.engine.begin() as connection:
        for table, columns, block in blocks:
            insert_rows(connection, table, columns, block)
        connection.execute(insert(PATIENTS), [_patient(2, moment)])
        connection.execute(insert(ACCOUNTS), [_account(2, moment)])
        assert _stored(connection, PATIENTS, "id", 1) == _stored(connection, PATIENTS, "id", 2)
        assert _stored(connection, ACCOUNTS, "patient_id", 1) == _stored(
            connection, ACCOUNTS, "patient_id", 2
        )


def test_the_public_row_format_is_psycopgs_own(pg_clinic: Clinic) -> None:
    from psycopg._copy_base import format_row_binary
    from psycopg.adapt import Transformer
    from psycopg.pq import Format

    with pg_clinic.engine.begin() as connection:
        for table, row in _tables(7, MOMENTS[2]):
            tx = Transformer()
            tx.set_dumper_types(copy_types(connection, table, list(row)), Format.BINARY)
            fast, public = bytearray(), bytearray()
            format_row_binary(tuple(row.values()), tx, fast)
            format_row_binary_public(tuple(row.values()), tx, public)
            assert fast == public and len(fast) > 100


def test_a_copy_block_refuses_naive_times(pg_clinic: Clinic) -> None:
    patient = _patient(1, datetime(2026, 3, 2, 15, 0))  # naive on purpose
    with pg_clinic.engine.begin() as connection:
        types = copy_types(connection, PATIENTS, list(patient))
    with pytest.raises(ValueError, match="naive"):
        copy_block(PATIENTS, list(patient), types, [tuple(patient.values())])


def _tables(patient_id: int, moment: datetime) -> list[tuple[Table, dict[str, Any]]]:
    return [(PATIENTS, _patient(patient_id, moment)), (ACCOUNTS, _account(patient_id, moment))]


def _image_of(first: int, count: int, moment: datetime) -> bytes:
    rows = [(_patient(n, moment), _account(n, moment)) for n in range(first, first + count)]
    for patient, _account_row in rows:
        patient["address_line2"] = "Unit " + "9" * (first * 40)  # images of different sizes
    return sqlite_image(
        [
            (PATIENTS, list(rows[0][0]), [tuple(p.values()) for p, _ in rows]),
            (ACCOUNTS, list(rows[0][1]), [tuple(a.values()) for _, a in rows]),
        ]
    )


def _image_tables(moment: datetime) -> list[tuple[Table, list[str]]]:
    return [(PATIENTS, list(_patient(1, moment))), (ACCOUNTS, list(_account(1, moment)))]


@pytest.mark.parametrize("engine_made_here", [True, False])
def test_sqlite_images_one_after_another_store_what_sqlalchemy_stores(
    sqlite_url: str, engine_made_here: bool
) -> None:
    # Two images whose accounts table starts on different pages: the second must not be read
    # through the first one's prepared statement. A plain engine has no batch schema attached:
    # its rows go through Python, with the same result.
    moment = MOMENTS[1]
    with Clinic.open(sqlite_url) as clinic:
        engine = clinic.engine if engine_made_here else create_engine(clinic.engine.url)
        with engine.begin() as connection:
            insert_image(connection, _image_of(1, 3, moment), _image_tables(moment))
            insert_image(connection, _image_of(4, 40, moment), _image_tables(moment))
            for n in range(1, 44):
                copy_of = _patient(n + 100, moment) | {
                    "address_line2": "Unit " + "9" * ((1 if n < 4 else 4) * 40)
                }
                connection.execute(insert(PATIENTS), [copy_of])
                connection.execute(insert(ACCOUNTS), [_account(n + 100, moment)])
            for n in range(1, 44):
                assert _stored(connection, PATIENTS, "id", n) == _stored(connection, PATIENTS, "id", n + 100)
                assert _stored(connection, ACCOUNTS, "patient_id", n) == _stored(
                    connection, ACCOUNTS, "patient_id", n + 100
                )
            assert connection.exec_driver_sql("SELECT count(*) FROM patients").scalar() == 86
        if not engine_made_here:
            engine.dispose()


def test_a_database_in_another_encoding_stores_the_names_as_typed() -> None:
    # Blocks carry UTF-8 text whoever made them; a LATIN1 clinic hears UTF-8 for the COPY only.
    latin1 = "ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0"
    with databases.postgres_database(latin1) as url, Clinic.open(url) as clinic:
        charts = [
            BulkChart(
                first_name="Zoë", last_name="Núñez", date_of_birth=date(1980, 1, 1), created_at=MOMENTS[0]
            )
        ]
        assert clinic.load_demo_charts(charts, actor="manager", password="blue-harbor-42") == 1
        with clinic.engine.begin() as connection:
            patient = _patient(2, MOMENTS[0])
            insert_rows(connection, PATIENTS, list(patient), [tuple(patient.values())])  # an import's way
            assert connection.exec_driver_sql("SHOW client_encoding").scalar() == "LATIN1"
        with clinic.engine.connect() as connection:
            names = connection.exec_driver_sql("SELECT first_name, last_name FROM patients ORDER BY id").all()
    assert [tuple(row) for row in names] == [("Zoë", "Núñez"), ("Zoë", "O'Brien")]
