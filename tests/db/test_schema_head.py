"""The head revision known without Alembic, and opening a current database without loading Alembic."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine

from clinic_desk import Clinic
from clinic_desk.db import schema

ROOT = Path(__file__).resolve().parents[2]

OPEN_AND_LIST_MODULES = """
import sys
from clinic_desk import Clinic
with Clinic.open(sys.argv[1]) as clinic:
    clinic.count_by_color()
print(sorted(name for name in sys.modules if name.split(".")[0] == "alembic"))
"""


def _open_in_a_fresh_process(url: str) -> str:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", OPEN_AND_LIST_MODULES, url],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
        check=True,
    )
    return done.stdout.strip()


def test_the_constant_is_alembics_head() -> None:
    # A new migration must move HEAD_REVISION too, or every desk would run Alembic on each start.
    assert schema.head_revision() == schema.HEAD_REVISION


def test_a_current_database_opens_without_alembic(own_db_url: str) -> None:
    Clinic.open(own_db_url).close()  # creates the schema (this process loads Alembic for that)
    assert _open_in_a_fresh_process(own_db_url) == "[]"


def test_an_older_database_still_goes_through_alembic(own_db_url: str) -> None:
    from alembic import command

    engine = create_engine(own_db_url)
    with engine.begin() as connection:
        # One revision behind head: the quick check must not take it for current.
        command.upgrade(schema._config(connection), "0005")
    engine.dispose()
    assert "'alembic'" in _open_in_a_fresh_process(own_db_url)
    with Clinic.open(own_db_url) as clinic:
        assert clinic.schema.current_revision() == schema.HEAD_REVISION


def test_the_stored_revision_is_read_with_one_query(own_db_url: str) -> None:
    from sqlalchemy import event

    from clinic_desk.db.engine import make_engine

    engine = make_engine(own_db_url)
    try:
        assert schema.stored_revision(engine) is None  # empty: no version table yet
        schema.upgrade(engine)
        statements: list[str] = []
        event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        assert schema.stored_revision(engine) == schema.HEAD_REVISION
        assert schema.upgrade(engine) == schema.HEAD_REVISION
    finally:
        engine.dispose()
    ours = [s for s in statements if "alembic_version" in s]
    assert len(ours) == 2, statements  # one each, nothing else about the schema
