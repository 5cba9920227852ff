"""Build a table's plain indexes once, after a bulk load into it, instead of row by row.

Growing five search indexes one random row at a time is most of a big load's cost on
SQLite and PostgreSQL; sorting each once at the end is several times faster and needs
no big page cache. Only done while the tables hold next to nothing (a new clinic, or the
demo with its couple of dozen showcase charts): a live clinic's readers keep their
indexes. The definitions come back from the database's own catalogue, so whatever
indexes the migrations made are the ones rebuilt.
Indexes that back a constraint are kept on SQLite (they cannot be dropped there). On
PostgreSQL the unique and foreign-key constraints are dropped too and added back at the
end, which checks every row at once (a sort and a join instead of a million lookups), and
the tables' own row triggers (the change notices, which a bulk load does not send) are
off for the load: each would queue an event per row. Primary keys stay everywhere.
MariaDB is left alone (its DDL commits the transaction).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Connection, Table, bindparam, func, select, text

# At most this many rows in a table: a clinic being set up (the demo's showcase charts
# come before its bulk), never one in use.
FEW_ROWS = 1000


@contextmanager
def indexes_built_after(
    connection: Connection, tables: Sequence[Table], *, few_rows: int = FEW_ROWS
) -> Iterator[bool]:
    """Drop the tables' plain indexes now and make them again when the block ends.

    Yields whether it did (False: a table holds more than ``few_rows``, or not
    SQLite/PostgreSQL). Runs in the caller's transaction: a failed load rolls the drops
    back with everything else.
    """
    dialect = connection.dialect.name
    if dialect not in ("sqlite", "postgresql") or not all(holds_few(connection, t, few_rows) for t in tables):
        yield False
        return
    names = [t.name for t in tables]
    found = (
        _sqlite_indexes(connection, names) if dialect == "sqlite" else _postgres_indexes(connection, names)
    )
    quote = connection.dialect.identifier_preparer.quote
    constraints = _postgres_constraints(connection, names) if dialect == "postgresql" else []
    triggers = _postgres_triggers(connection, names) if dialect == "postgresql" else []
    # Foreign keys first: a unique constraint may be what one of them points at.
    for table, name, _definition in sorted(constraints, key=lambda c: not c[2].startswith("FOREIGN")):
        connection.exec_driver_sql(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    for table, trigger in triggers:
        connection.exec_driver_sql(f"ALTER TABLE {quote(table)} DISABLE TRIGGER {quote(trigger)}")
    for name, _definition in found:
        connection.exec_driver_sql(f"DROP INDEX {quote(name)}")
    yield True
    if dialect == "postgresql":
        # Sorting in memory is what makes the rebuild fast (the server's memory, for this load only).
        connection.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
    for table, name, definition in sorted(constraints, key=lambda c: c[2].startswith("FOREIGN")):
        connection.exec_driver_sql(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
    for table, trigger in triggers:
        connection.exec_driver_sql(f"ALTER TABLE {quote(table)} ENABLE TRIGGER {quote(trigger)}")
    for _name, definition in found:
        connection.exec_driver_sql(definition)


def holds_few(connection: Connection, table: Table, few_rows: int) -> bool:
    """Whether ``table`` holds at most ``few_rows`` rows (read without counting a big table)."""
    first = select(1).select_from(table).limit(few_rows + 1).subquery()  # never counts a big table
    return int(connection.scalar(select(func.count()).select_from(first)) or 0) <= few_rows


def _sqlite_indexes(connection: Connection, tables: list[str]) -> list[tuple[str, str]]:
    # Automatic indexes (UNIQUE and PRIMARY KEY) have no SQL of their own: they stay.
    query = text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN :tables ORDER BY name"
    ).bindparams(bindparam("tables", expanding=True))
    return [(str(name), str(sql)) for name, sql in connection.execute(query, {"tables": tables})]


def _postgres_indexes(connection: Connection, tables: list[str]) -> list[tuple[str, str]]:
    query = text(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid "
        "JOIN pg_class t ON t.oid = i.indrelid "
        "WHERE t.relnamespace = current_schema()::regnamespace AND t.relname IN :tables "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) "
        "ORDER BY c.relname"
    ).bindparams(bindparam("tables", expanding=True))
    return [(str(name), str(sql)) for name, sql in connection.execute(query, {"tables": tables})]


def _postgres_constraints(connection: Connection, tables: list[str]) -> list[tuple[str, str, str]]:
    """(table, name, definition) of the tables' unique and foreign-key constraints."""
    query = text(
        "SELECT t.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k "
        "JOIN pg_class t ON t.oid = k.conrelid "
        "WHERE t.relnamespace = current_schema()::regnamespace AND t.relname IN :tables "
        "AND k.contype IN ('u', 'f') ORDER BY t.relname, k.conname"
    ).bindparams(bindparam("tables", expanding=True))
    return [(str(t), str(n), str(d)) for t, n, d in connection.execute(query, {"tables": tables})]


def _postgres_triggers(connection: Connection, tables: list[str]) -> list[tuple[str, str]]:
    """(table, trigger) of the tables' own enabled row triggers (not the constraints' ones)."""
    query = text(
        "SELECT t.relname, g.tgname FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid "
        "WHERE t.relnamespace = current_schema()::regnamespace AND t.relname IN :tables "
        "AND NOT g.tgisinternal AND g.tgenabled <> 'D' ORDER BY t.relname, g.tgname"
    ).bindparams(bindparam("tables", expanding=True))
    return [(str(t), str(n)) for t, n in connection.execute(query, {"tables": tables})]
