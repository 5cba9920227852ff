"""Rows of a subquery folded into one JSON text column, and read back with their column types.

One statement can then carry a patient's few links, emails and namesakes beside the chart
(one round trip). Each database spells the aggregate its own way; rows come back as JSON
arrays in the query's column order, in no promised order (callers sort).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    Integer,
    ScalarSelect,
    Select,
    String,
    Text,
    cast,
    func,
    literal_column,
    select,
)
from sqlalchemy.types import TypeEngine

from clinic_desk.db.types import UTCDateTime


@dataclass(frozen=True)
class JsonRows:
    """A query's rows as one scalar column, and the types to read them back with."""

    column: ScalarSelect[Any]
    types: tuple[TypeEngine[Any], ...]

    def read(self, text: str | None) -> list[tuple[Any, ...]]:
        """The rows, each cell turned back into its column's Python type."""
        if not text:
            return []
        return [
            tuple(_value(cell, kind) for cell, kind in zip(row, self.types, strict=True))
            for row in json.loads(text)
        ]


def json_rows(query: Select[*tuple[Any, ...]], dialect: str) -> JsonRows:
    """``query``'s rows folded into one JSON text column for ``dialect`` ('[]' when there are none)."""
    columns = list(query.selected_columns)
    rows = query.with_only_columns(*(column.label(f"c{i}") for i, column in enumerate(columns))).subquery()
    cells = [rows.c[f"c{i}"] for i in range(len(columns))]
    empty: ColumnElement[Any] = literal_column("'[]'")
    if dialect == "postgresql":
        folded: Any = cast(func.coalesce(func.json_agg(func.json_build_array(*cells)), empty), Text)
    elif dialect == "sqlite":
        folded = func.json_group_array(func.json_array(*cells))
    else:  # MariaDB / MySQL
        folded = func.coalesce(func.json_arrayagg(func.json_array(*cells)), empty)
    return JsonRows(select(folded).select_from(rows).scalar_subquery(), tuple(c.type for c in columns))


def _value(cell: Any, kind: TypeEngine[Any]) -> Any:
    if cell is None:
        return None
    if isinstance(kind, UTCDateTime):
        moment = datetime.fromisoformat(cell) if isinstance(cell, str) else cell
        return kind.process_result_value(moment, _ANY_DIALECT)
    if isinstance(kind, Boolean):
        return bool(cell)
    if isinstance(kind, Date):
        return date.fromisoformat(str(cell)[:10])
    if isinstance(kind, Integer):
        return int(cell)
    if isinstance(kind, String):
        return str(cell)
    return cell


# UTCDateTime.process_result_value does not look at its dialect.
_ANY_DIALECT: Any = None
