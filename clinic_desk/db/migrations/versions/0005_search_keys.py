"""names are found as typed: apostrophes dropped, other marks between letters become spaces in the name keys

O’Brien, O'Brien and OBrien share one key; St. John and St John, Smith/Jones and
Smith-Jones too. Only the stored keys change (no column, no index): each chart whose
key differs is re-keyed.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 15:40:00
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BATCH = 1000
# Written out (not imported) so this step stays what it was when later code changes.
_APOSTROPHES = str.maketrans("", "", "'’‘`ʼʻ′´")
_WHITESPACE = re.compile(r"\s+")
_NAME_WORD = re.compile(r"[^\W_]+")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _WHITESPACE.sub(" ", bare).strip()


def _new_key(name: str) -> str:
    folded = _fold(name.translate(_APOSTROPHES)).translate(_APOSTROPHES)
    return " ".join(_NAME_WORD.findall(folded))[:100].strip()


def _old_key(name: str) -> str:
    return _fold(name)[:100]


def _rekey(key: Callable[[str], str]) -> None:
    patients = sa.table(
        "patients",
        sa.column("id", sa.Integer),
        sa.column("first_name", sa.String),
        sa.column("last_name", sa.String),
        sa.column("first_key", sa.String),
        sa.column("last_key", sa.String),
    )
    connection = op.get_bind()
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(
                patients.c.id,
                patients.c.first_name,
                patients.c.last_name,
                patients.c.first_key,
                patients.c.last_key,
            )
            .where(patients.c.id > last_id)
            .order_by(patients.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        for row in rows:
            first, last = key(row.first_name), key(row.last_name)
            if (first, last) != (row.first_key, row.last_key):
                connection.execute(
                    sa.update(patients).where(patients.c.id == row.id).values(first_key=first, last_key=last)
                )
        last_id = rows[-1].id


def upgrade() -> None:
    _rekey(_new_key)


def downgrade() -> None:
    _rekey(_old_key)
