"""Append many rows to one table fast, inside the caller's transaction.

PostgreSQL: binary ``COPY ... FROM STDIN`` (psycopg 3). SQLite: the driver's own ``executemany``
with plain tuples, the values turned into exactly the text SQLAlchemy stores. Any other
database (MariaDB): SQLAlchemy Core ``executemany``, which the driver batches.

Both conversions need no connection (:func:`sqlite_image`, :func:`copy_block`), so a bulk
load's worker processes do them and the loading process only passes the result on: a
binary COPY block to PostgreSQL, or to SQLite an in-memory database image of the rows,
which one ``INSERT ... SELECT`` per table copies in without a Python call per row.
"""

from __future__ import annotations

import sqlite3
import struct
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import Connection, Date, DateTime, Dialect, Table, insert, text
from sqlalchemy.dialects import sqlite

from clinic_desk.db.engine import SQLITE_BATCH_SCHEMA
from clinic_desk.db.types import UTCDateTime

Row = Sequence[Any]
Rows = Iterable[Row] | bytes  # bytes: a block of binary COPY rows (:func:`copy_block`)
Convert = Callable[[Any], Any]
CopyTypes = tuple[int, ...]  # each column's PostgreSQL type oid, as binary COPY needs them

# What binary COPY data starts and ends with (PostgreSQL's documented COPY file format):
# the signature, no flags, no header extension; and a row of -1 fields.
_COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
_COPY_TRAILER = b"\xff\xff"

_SQLITE_DIALECT: Dialect = sqlite.dialect()  # pysqlite, as the engine uses


def insert_rows(connection: Connection, table: Table, columns: Sequence[str], rows: Rows) -> None:
    """Insert ``rows`` (tuples of Python values in ``columns`` order) into ``table``.

    On PostgreSQL, ``rows`` may be a :func:`copy_block` made with this table's
    :func:`copy_types` (in a worker process): it goes to the server as it is.
    """
    dialect = connection.dialect.name
    if isinstance(rows, bytes):
        _copy_block_in(connection, table, columns, rows)
    elif dialect == "postgresql" and connection.dialect.driver == "psycopg":
        _copy_rows(connection, table, columns, rows)
    elif dialect == "sqlite":
        _sqlite_rows(connection, table, columns, as_sqlite_stores(table, columns, rows))
    else:
        connection.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])


def _copy_rows(connection: Connection, table: Table, columns: Sequence[str], rows: Iterable[Row]) -> None:
    # Binary COPY: each value's bytes as they are, six times faster than the text format (no
    # dates or times turned into text and parsed back). Made as a bulk load's workers make it.
    _copy_block_in(
        connection, table, columns, copy_block(table, columns, copy_types(connection, table, columns), rows)
    )


def _copy_block_in(connection: Connection, table: Table, columns: Sequence[str], block: bytes) -> None:
    if connection.dialect.name != "postgresql" or connection.dialect.driver != "psycopg":
        raise ValueError("COPY rows need PostgreSQL through psycopg")
    quote = connection.dialect.identifier_preparer.quote
    statement = (
        f"COPY {quote(table.name)} ({', '.join(quote(c) for c in columns)}) FROM STDIN (FORMAT BINARY)"
    )
    # A block's text is UTF-8 (made without a connection): a database in another encoding
    # (LATIN1, say) hears UTF-8 for the COPY and turns it into its own, as for any client.
    speaks = _client_encoding_for_utf8(connection)
    driver = connection.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        # Written as blocks, the data must be the whole COPY file: psycopg adds nothing.
        copy.write(_COPY_SIGNATURE)
        copy.write(block)
        copy.write(_COPY_TRAILER)
    if speaks is not None:
        connection.exec_driver_sql(f"SET LOCAL client_encoding TO '{speaks}'")


def _client_encoding_for_utf8(connection: Connection) -> str | None:
    """Switch this transaction's client encoding to UTF-8; the one to go back to, or None
    when it was UTF-8 already (no round trip: psycopg knows the session's encoding)."""
    driver = connection.connection.driver_connection
    if driver is None or driver.info.encoding == "utf-8":
        return None
    speaks = str(connection.exec_driver_sql("SHOW client_encoding").scalar())
    connection.exec_driver_sql("SET LOCAL client_encoding TO 'UTF8'")
    return speaks


def copy_types(connection: Connection, table: Table, columns: Sequence[str]) -> CopyTypes:
    """The type oid of each of ``columns``, in order, from the server's catalogue."""
    kinds = _column_types(connection, connection.dialect.identifier_preparer.quote(table.name))
    return tuple(kinds[c] for c in columns)


def copy_block(table: Table, columns: Sequence[str], types: CopyTypes, rows: Iterable[Row]) -> bytes:
    """``rows`` in PostgreSQL's binary COPY format, without the file's signature and trailer.

    Needs no connection (dates, times and text as psycopg sends them; text is UTF-8),
    so a worker process can make it; :func:`insert_rows` sends it as it is.
    """
    from psycopg.adapt import Transformer
    from psycopg.pq import Format

    tx = Transformer()
    tx.set_dumper_types(types, Format.BINARY)
    times = _time_columns(table, columns)
    format_row = _row_formatter()
    out = bytearray()
    for row in rows:
        _refuse_naive_times(row, times)
        format_row(row, tx, out)
    return bytes(out)


def _row_formatter() -> Callable[[Row, Any, bytearray], None]:
    """psycopg's own row formatter for binary COPY (in C), else the same from its public parts."""
    try:
        from psycopg._copy_base import format_row_binary  # not public: checked against the fallback

        return cast(Callable[[Row, Any, bytearray], None], format_row_binary)
    except ImportError:  # another psycopg release
        return format_row_binary_public


def format_row_binary_public(row: Row, tx: Any, out: bytearray) -> None:
    """One row of binary COPY: the field count, then each field's length and bytes (-1: NULL)."""
    from psycopg.adapt import PyFormat

    out += _INT2.pack(len(row))
    for value in tx.dump_sequence(row, [PyFormat.BINARY] * len(row)):
        if value is None:
            out += _NULL_FIELD
        else:
            out += _INT4.pack(len(value))
            out += value


_INT2 = struct.Struct("!h")
_INT4 = struct.Struct("!i")
_NULL_FIELD = _INT4.pack(-1)


def _time_columns(table: Table, columns: Sequence[str]) -> list[int]:
    # psycopg adapts dates, booleans and aware datetimes itself; only naive times are refused.
    return [n for n, c in enumerate(columns) if isinstance(table.c[c].type, UTCDateTime)]


def _refuse_naive_times(row: Row, times: list[int]) -> None:
    for n in times:
        value = row[n]
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")


def _column_types(connection: Connection, table: str) -> dict[str, int]:
    """Column name -> type oid, as binary COPY needs them."""
    query = text(
        "SELECT attname, atttypid FROM pg_attribute "
        "WHERE attrelid = CAST(:table AS regclass) AND attnum > 0 AND NOT attisdropped"
    )
    return {str(name): int(oid) for name, oid in connection.execute(query, {"table": table})}


def _sqlite_rows(connection: Connection, table: Table, columns: Sequence[str], rows: Iterable[Row]) -> None:
    quote = connection.dialect.identifier_preparer.quote
    statement = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    driver = connection.connection.driver_connection
    assert driver is not None
    cursor = driver.cursor()
    try:
        cursor.executemany(statement, rows)
    finally:
        cursor.close()


ImageTables = Sequence[tuple[Table, Sequence[str]]]


def sqlite_image(tables: Sequence[tuple[Table, Sequence[str], Iterable[Row]]]) -> bytes:
    """The rows of each (table, columns, rows), as SQLite stores them, in the image of an
    in-memory database holding one table of that name each (no connection to the clinic)."""
    quote = _SQLITE_DIALECT.identifier_preparer.quote
    memory = sqlite3.connect(":memory:", isolation_level=None)
    try:
        memory.execute("BEGIN")
        # Every table first: each one's root page is then the same in every image of these
        # tables. A new image keeps the schema's version number, so the clinic connection's
        # prepared statements are not made again, and would read a moved table's old page.
        for table, columns, _rows in tables:
            # No declared types: the values stay exactly as given until the clinic's columns take them.
            memory.execute(f"CREATE TABLE {quote(table.name)} ({', '.join(quote(c) for c in columns)})")
        for table, columns, rows in tables:
            memory.executemany(
                f"INSERT INTO {quote(table.name)} VALUES ({', '.join('?' for _ in columns)})",
                as_sqlite_stores(table, columns, rows),
            )
        memory.execute("COMMIT")
        return memory.serialize()
    finally:
        memory.close()


def insert_image(connection: Connection, image: bytes, tables: ImageTables) -> None:
    """Append the rows of a :func:`sqlite_image` to the clinic's tables of the same names.

    ``tables``: the image's tables and columns, in the order the image was made with (every
    image read through this connection must have the same tables, see :func:`sqlite_image`).
    """
    driver = connection.connection.driver_connection
    quote = connection.dialect.identifier_preparer.quote
    attached = SQLITE_BATCH_SCHEMA in {
        str(row[1]) for row in connection.exec_driver_sql("PRAGMA database_list")
    }
    if not attached or not hasattr(driver, "deserialize"):
        # A connection this module's engine did not make: the rows go through Python.
        _insert_image_rows(connection, image, tables)
        return
    assert driver is not None
    driver.deserialize(image, name=SQLITE_BATCH_SCHEMA)
    try:
        for table, columns in tables:
            names = ", ".join(quote(c) for c in columns)
            connection.exec_driver_sql(
                f"INSERT INTO main.{quote(table.name)} ({names}) "
                f"SELECT {names} FROM {SQLITE_BATCH_SCHEMA}.{quote(table.name)}"
            )
    finally:
        # The batch's memory back: the same tables, empty (the same pages, see sqlite_image).
        driver.deserialize(
            sqlite_image([(table, columns, ()) for table, columns in tables]), name=SQLITE_BATCH_SCHEMA
        )


def _insert_image_rows(connection: Connection, image: bytes, tables: ImageTables) -> None:
    quote = connection.dialect.identifier_preparer.quote
    memory = sqlite3.connect(":memory:")
    try:
        memory.deserialize(image)
        for table, columns in tables:
            names = ", ".join(quote(c) for c in columns)
            rows = memory.execute(f"SELECT {names} FROM {quote(table.name)}")
            _sqlite_rows(connection, table, columns, rows)
    finally:
        memory.close()


def as_sqlite_stores(table: Table, columns: Sequence[str], rows: Iterable[Row]) -> Iterable[Row]:
    """The rows with each value as SQLite stores it (the text SQLAlchemy writes for times
    and dates). Needs no connection, so a worker process can do it."""
    times = _utc_texts()
    dialect = _SQLITE_DIALECT
    return _converted(rows, [_sqlite_converter(dialect, table, c, times) for c in columns])


def _converted(rows: Iterable[Row], converters: list[Convert | None]) -> Iterable[Row]:
    """The rows with each value passed through its column's converter (None: as it is)."""
    used = [(n, convert) for n, convert in enumerate(converters) if convert is not None]
    if not used:
        return rows
    return (_convert_row(row, used) for row in rows)


def _convert_row(row: Row, used: list[tuple[int, Convert]]) -> list[Any]:
    values = list(row)
    for n, convert in used:
        value = values[n]
        if value is not None:
            values[n] = convert(value)
    return values


def _sqlite_converter(dialect: Dialect, table: Table, column: str, times: Convert) -> Convert | None:
    """How a value of this column is stored on SQLite: the same text SQLAlchemy writes."""
    kind = table.c[column].type
    if isinstance(kind, UTCDateTime):
        return times
    if isinstance(kind, Date) and not isinstance(kind, DateTime):
        return _date_text
    # Anything else: SQLAlchemy's own processor (None for text and whole numbers).
    processor = kind.bind_processor(dialect)
    if processor is None:
        return None
    return processor


def _utc_texts() -> Convert:
    """:func:`_utc_text` remembering its last answer, shared by a row's time columns: a
    chart's times are often one object (made, changed and registered at once)."""
    last_value: datetime | None = None
    last_text = ""

    def convert(value: datetime) -> str:
        nonlocal last_value, last_text
        if value is not last_value:
            last_value, last_text = value, _utc_text(value)
        return last_text

    return convert


def _utc_text(value: datetime) -> str:
    """'YYYY-MM-DD HH:MM:SS.ffffff' in UTC: SQLAlchemy's SQLite DATETIME text of a UTCDateTime."""
    if value.tzinfo is not UTC:
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
    return value.isoformat(" ", "microseconds")[:26]


def _date_text(value: date) -> str:
    return value.isoformat()
