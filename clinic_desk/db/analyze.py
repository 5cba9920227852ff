"""Refresh the planner's statistics after a bulk write, so later queries get good plans."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, Table

# SQLite: rows read per index (a full ANALYZE of a million-row table reads it all, for
# statistics that a sample of this size gives just as well).
SQLITE_ANALYSIS_LIMIT = 20_000


def analyze(connection: Connection, tables: Sequence[Table]) -> None:
    """Gather fresh statistics for ``tables`` in the caller's transaction.

    A server with autovacuum off (or not yet woken up) would otherwise plan the first
    queries after a million-row load as if the tables were empty.
    """
    dialect = connection.dialect.name
    quote = connection.dialect.identifier_preparer.quote
    names = [quote(t.name) for t in tables]
    if dialect == "sqlite":
        connection.exec_driver_sql(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
        for name in names:
            connection.exec_driver_sql(f"ANALYZE {name}")
        connection.exec_driver_sql("PRAGMA analysis_limit = 0")
    elif dialect == "postgresql":
        connection.exec_driver_sql(f"ANALYZE {', '.join(names)}")
    # MariaDB: ANALYZE TABLE would commit the load half-way; InnoDB refreshes its
    # persistent statistics by itself once a tenth of a table has changed.
