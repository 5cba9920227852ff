"""After a bulk write is committed on PostgreSQL, its pages are marked all-visible.

The server here runs with autovacuum off, as a busy one may right after a bulk load: without
a VACUUM of its own, a load's pages are never marked all-visible, so every index-only scan
(the roster's counts over a typed name) reads the table as well.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from clinic_desk import Clinic
from clinic_desk.demo.charts import random_charts
from tests import databases
from tests.services.helpers import GOOD_PASSWORD, STAFF
from tests.services.import_helpers import person, write_csv

LOADED = 3_000
IMPORTED = 1_200  # past the import's threshold for refreshing statistics (1,000 charts)


@pytest.fixture
def clinic() -> Iterator[Clinic]:
    with databases.postgres_database() as url, Clinic.open(url) as opened:
        yield opened


def _hidden_pages(engine: Engine) -> dict[str, int]:
    """Pages of each bulk-written table not marked all-visible (pg_visibility's own count)."""
    with engine.connect() as connection:
        connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_visibility")
        connection.commit()
        return {
            table: int(
                connection.execute(
                    text(
                        "SELECT count(*) FROM pg_visibility_map(CAST(:t AS regclass)) WHERE NOT all_visible"
                    ),
                    {"t": table},
                ).scalar_one()
            )
            for table in ("patients", "portal_accounts")
        }


def test_a_demo_load_leaves_every_page_visible(clinic: Clinic) -> None:
    charts = random_charts(LOADED, seed=3, now=clinic.now(), placeholder_domain="example.invalid")
    assert clinic.load_demo_charts(charts, actor=STAFF, password=GOOD_PASSWORD) == LOADED
    assert _hidden_pages(clinic.engine) == {"patients": 0, "portal_accounts": 0}


def test_a_big_import_leaves_every_page_visible(clinic: Clinic, tmp_path: Path) -> None:
    people = [person(f"V-{n}", "Ana", f"Lopez{chr(97 + n % 26)}{n}") for n in range(IMPORTED)]
    report = clinic.staff.import_patients(write_csv(tmp_path / "big.csv", people), actor=STAFF)
    assert len(report.created) == IMPORTED
    assert _hidden_pages(clinic.engine) == {"patients": 0, "portal_accounts": 0}


def test_a_small_write_is_left_to_the_server(clinic: Clinic, tmp_path: Path) -> None:
    # A few charts are not worth a VACUUM: the check above is not true of any write.
    people = [person(f"S-{n}", "Bo", f"Small{n}") for n in range(30)]
    clinic.staff.import_patients(write_csv(tmp_path / "small.csv", people), actor=STAFF)
    assert _hidden_pages(clinic.engine)["patients"] > 0


def test_once_visible_the_counts_over_a_typed_name_never_read_the_patients_table(clinic: Clinic) -> None:
    from datetime import UTC, datetime

    from sqlalchemy.orm import Session

    from clinic_desk.db.analyze import mark_visible
    from clinic_desk.db.models import Patient, PortalAccount
    from clinic_desk.db.roster import counts_statement
    from tests.bulk_sql import fill_without_statistics

    fill_without_statistics(clinic.engine, 20_000)
    clinic.roster_counts()  # classifies the charts loaded around the services
    mark_visible(clinic.engine, [Patient.__table__, PortalAccount.__table__])  # type: ignore[list-item]
    statement = counts_statement("last12", datetime.now(UTC))
    sql = statement.compile(dialect=clinic.engine.dialect, compile_kwargs={"literal_binds": True})
    with Session(clinic.engine) as session:
        plan = session.execute(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")).scalar_one()[0]["Plan"]
    patients = [node for node in _nodes(plan) if node.get("Relation Name") == "patients"]
    by_name = [node for node in patients if node.get("Index Name") != "uq_patients_mrn"]
    # The names' indexes alone answer; the MRN branch is one probe of its unique index.
    assert by_name and all(node["Node Type"] == "Index Only Scan" for node in by_name), by_name
    assert sum(int(node["Heap Fetches"]) for node in by_name) == 0  # type: ignore[call-overload]
    assert all(node["Actual Rows"] == 0 for node in patients if node not in by_name)


def _nodes(node: dict[str, object]) -> list[dict[str, object]]:
    found = [node]
    for child in node.get("Plans", []):  # type: ignore[attr-defined]
        found += _nodes(child)
    return found


def test_a_vacuum_that_cannot_run_leaves_the_committed_write_alone(
    clinic: Clinic, caplog: pytest.LogCaptureFixture
) -> None:
    # The desk's one pooled connection busy elsewhere (a patient loading, say): the write was
    # already committed, so the VACUUM gives up with a warning instead of failing the action.
    from clinic_desk.db.analyze import mark_visible
    from clinic_desk.db.engine import make_engine
    from clinic_desk.db.models import Patient

    engine = make_engine(clinic.engine.url, pool_timeout=0.2)
    taken, done = threading.Event(), threading.Event()

    def hold() -> None:
        with engine.connect():
            taken.set()
            done.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert taken.wait(10)
        mark_visible(engine, [Patient.__table__])  # type: ignore[list-item]
    finally:
        done.set()
        holder.join()
        engine.dispose()
    assert "VACUUM after the bulk write was not done: TimeoutError" in caplog.text
