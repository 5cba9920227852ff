"""A big load into a new SQLite clinic file goes through a rollback journal instead of the WAL.

In WAL mode a million-chart load keeps every page it writes in the ``-wal`` file until it
commits: rebuilding the indexes then reads each page back through the WAL's index (twice
as slow as from the file) and the commit copies the whole database once more. A rollback
journal only saves the pages that existed before the load, which in a new clinic are
next to none, and it is as safe against a crash. Only while the clinic is being set up
(the tables hold at most a few rows) and nobody else has the file open: SQLite refuses
to leave WAL mode otherwise, and the load then runs in WAL mode as always. WAL mode
comes back when the load ends, however it ends.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, Table
from sqlalchemy.exc import OperationalError

from clinic_desk.db.bulk_indexes import holds_few

log = logging.getLogger(__name__)
# The option the engine's BEGIN listener reads: run without BEGIN (the journal mode can
# only change outside a transaction).
_NO_BEGIN = {"clinic_autocommit": True}


@contextmanager
def rollback_journal_while_loading(engine: Engine, tables: list[Table], *, few_rows: int) -> Iterator[bool]:
    """Switch a SQLite file from WAL to a rollback journal for the block; yields whether it did."""
    if engine.dialect.name != "sqlite" or not _holds_few(engine, tables, few_rows):
        yield False
        return
    switched = _set_mode(engine, "delete") == "delete"
    try:
        yield switched
    finally:
        if switched:
            _set_mode(engine, "wal")


def _set_mode(engine: Engine, mode: str) -> str:
    """The journal mode after asking for ``mode`` ("" when SQLite said the file is busy)."""
    try:
        with engine.connect().execution_options(**_NO_BEGIN) as connection:
            answer = connection.exec_driver_sql(f"PRAGMA main.journal_mode = {mode}").scalar()
    except OperationalError:
        # Another connection is reading the file. Going in: load in WAL mode as always.
        # Coming back: every new connection of the clinic asks for WAL mode again.
        log.warning("The clinic file's journal mode could not be set to %s: it is in use.", mode)
        return ""
    return str(answer or "").lower()


def _holds_few(engine: Engine, tables: list[Table], few_rows: int) -> bool:
    with engine.connect().execution_options(**_NO_BEGIN) as connection:
        return all(holds_few(connection, table, few_rows) for table in tables)
