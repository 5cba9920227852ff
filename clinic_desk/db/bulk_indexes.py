"""Build a table's plain indexes once, after a bulk load into it, instead of row by row.

Growing five search indexes one random row at a time is most of a big load's cost on
SQLite and PostgreSQL; sorting each once at the end is several times faster and needs
no big page cache. Only done when every table is empty (a new clinic or the demo): a
live clinic's readers keep their indexes. The definitions come back from the database's
own catalogue, so whatever indexes the migrations made are the ones rebuilt.
Indexes that back a constraint (primary keys, unique columns) are kept: they check rows.
MariaDB is left alone (its DDL commits the transaction).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Connection, Table, bindparam, exists, select, text


@contextmanager
def indexes_built_after(connection: Connection, tables: Sequence[Table]) -> Iterator[bool]:
    """Drop the tables' plain indexes now and make them again when the block ends.

    Yields whether it did (False: not empty, or not SQLite/PostgreSQL). Runs in the
    caller's transaction: a failed load rolls the drops back with everything else.
    """
    dialect = connection.dialect.name
    if dialect not in ("sqlite", "postgresql") or not all(_is_empty(connection, t) for t in tables):
        yield False
        return
    names = [t.name for t in tables]
    found = (
        _sqlite_indexes(connection, names) if dialect == "sqlite" else _postgres_indexes(connection, names)
    )
    quote = connection.dialect.identifier_preparer.quote
    for name, _definition in found:
        connection.exec_driver_sql(f"DROP INDEX {quote(name)}")
    yield True
    if dialect == "postgresql":
        # Sorting in memory is what makes the rebuild fast (the server's memory, for this load only).
        connection.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
    for _name, definition in found:
        connection.exec_driver_sql(definition)


def _is_empty(connection: Connection, table: Table) -> bool:
    return not connection.scalar(select(exists().select_from(table)))


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
