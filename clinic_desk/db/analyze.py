"""Refresh the planner's statistics after a bulk write, so later queries get good plans;
on PostgreSQL, also mark the new pages all-visible once the write is committed."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import Connection, Engine, Table
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

log = logging.getLogger(__name__)

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


def mark_visible(engine: Engine, tables: Sequence[Table]) -> None:
    """PostgreSQL: VACUUM ``tables`` after a bulk write has been committed (no-op elsewhere).

    A server with autovacuum off leaves a bulk load's pages never marked all-visible:
    every index-only scan (the roster's counts over a typed name) then reads the table
    too, and the first reader of each page rewrites it to set its hint bits. VACUUM
    reads only the pages not marked yet, so after an import it costs what was added.
    It runs outside any transaction; the write stands whether or not it succeeds.
    """
    if engine.dialect.name != "postgresql":
        return
    quote = engine.dialect.identifier_preparer.quote
    try:
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT")
            connection.exec_driver_sql(f"VACUUM {', '.join(quote(t.name) for t in tables)}")
    except SQLAlchemyError as error:  # not the tables' owner, or no connection free: slower reads only
        cause = error.orig if isinstance(error, DBAPIError) else error
        log.warning("VACUUM after the bulk write was not done: %s", type(cause).__name__)
