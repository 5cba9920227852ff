"""Several workstations on one PostgreSQL server: schema upgrades happen once, under a lock."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Engine, create_engine, event, text

from clinic_desk import Clinic
from clinic_desk.db import schema
from tests import databases


def test_two_workstations_start_on_a_fresh_database_at_once():
    created: list[str] = []
    lock = threading.Lock()

    def count_creates(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("CREATE TABLE PATIENTS"):
            with lock:
                created.append(threading.current_thread().name)

    with databases.postgres_database() as url:
        start = threading.Barrier(2)
        opened: list[Clinic] = []
        errors: list[BaseException] = []

        def workstation() -> None:
            try:
                start.wait(timeout=10)
                opened.append(Clinic.open(url))
            except BaseException as error:
                errors.append(error)

        # Every engine made from now on reports its statements (both workstations' engines).
        event.listen(Engine, "before_cursor_execute", count_creates)
        try:
            threads = [threading.Thread(target=workstation, name=f"ws{i}") for i in (1, 2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
        finally:
            event.remove(Engine, "before_cursor_execute", count_creates)
        try:
            assert errors == []
            assert len(opened) == 2
            assert len(created) == 1, f"the schema was created {len(created)} times"
            engine = create_engine(url)
            with engine.connect() as connection:
                assert schema.current_revision(connection) == schema.head_revision()
                assert connection.execute(text("select count(*) from alembic_version")).scalar() == 1
            engine.dispose()
            # Both work on the same data at once.
            one, two = opened
            pid = one.staff.add_patient(
                first_name="Ana", last_name="Lopez", date_of_birth="1984-06-02", actor="ws1"
            )
            assert two.staff.chart(pid).last_name == "Lopez"
        finally:
            for clinic in opened:
                clinic.close()


def test_an_older_workstation_is_told_it_is_too_old():
    with databases.postgres_database() as url:
        Clinic.open(url).close()
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '9999_newer'"))
        engine.dispose()
        try:
            Clinic.open(url).close()
        except schema.SchemaError as error:
            assert "newer version of Clinic Desk" in error.message
        else:
            raise AssertionError("an older Clinic Desk opened a newer database")
