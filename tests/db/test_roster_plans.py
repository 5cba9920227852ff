"""Every roster page is an index range scan in sort order, on a server with no statistics yet.

A clinic loaded around the services (INSERT ... SELECT, never analysed, nothing classified)
is opened as a desk would open the roster: its charts are classified first, then each
sort, both ways, with and without a colour filter and from the middle of the list, must
plan as an index scan of ``patients`` in the sort's order: no sequential scan, no sort.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text

from clinic_desk import Clinic
from clinic_desk.db.engine import normalize_url
from clinic_desk.db.roster import counts_statement, page_statement
from clinic_desk.domain.roster import ROSTER_SORTS, RosterFilter
from tests import databases
from tests.bulk_sql import fill_without_statistics, never_analysed

PATIENTS = 60_000
NOW = datetime(2026, 11, 27, tzinfo=UTC)


@pytest.fixture(scope="module")
def unanalysed() -> Iterator[tuple[Clinic, Engine]]:
    with databases.postgres_database() as url:
        Clinic.open(url).close()
        engine = create_engine(normalize_url(url))
        fill_without_statistics(engine, PATIENTS)
        with Clinic.open(url) as clinic:
            yield clinic, engine
        engine.dispose()


def _plan(engine: Engine, statement: Any) -> list[dict[str, Any]]:
    sql = statement.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True})
    with engine.connect() as connection:
        answer = connection.execute(text(f"EXPLAIN (FORMAT JSON) {sql}")).scalar_one()
    nodes: list[dict[str, Any]] = []

    def walk(node: dict[str, Any], in_subplan: bool) -> None:
        node["in_subplan"] = in_subplan
        nodes.append(node)
        for child in node.get("Plans", []):
            walk(child, in_subplan or child.get("Parent Relationship") in ("SubPlan", "InitPlan"))

    walk(answer[0]["Plan"], False)
    return nodes


def test_the_first_roster_page_classifies_the_loaded_charts(unanalysed: tuple[Clinic, Engine]) -> None:
    clinic, engine = unanalysed
    page = clinic.roster(RosterFilter(color="red"), sort="color", limit=5)
    assert [row.color for row in page.rows] == ["red"] * 5  # the load leaves access off: all red
    assert clinic.roster_counts().total == PATIENTS
    assert never_analysed(engine)


@pytest.mark.parametrize("sort", ROSTER_SORTS)
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("color", [None, "red", "blue"])
def test_each_page_reads_an_index_in_order(
    unanalysed: tuple[Clinic, Engine], sort: Any, descending: bool, color: Any
) -> None:
    clinic, engine = unanalysed
    wanted = RosterFilter(color=color)
    first = clinic.roster(wanted, sort=sort, descending=descending, limit=50)
    for after in (None, first.next_after):
        nodes = _plan(
            engine, page_statement(wanted, NOW, sort=sort, descending=descending, after=after, limit=101)
        )
        kinds = [node["Node Type"] for node in nodes]
        scans = {node.get("Relation Name"): node["Node Type"] for node in nodes if "Relation Name" in node}
        assert scans.get("patients") in ("Index Scan", "Index Only Scan"), kinds
        assert "Seq Scan" not in kinds, [(n["Node Type"], n.get("Relation Name")) for n in nodes]
        # No sort of the list itself (a subplan may sort the one chart's few links).
        main = [node["Node Type"] for node in nodes if not node["in_subplan"]]
        assert not any("Sort" in kind for kind in main), main
    assert never_analysed(engine)


@pytest.mark.parametrize("sort", ROSTER_SORTS)
@pytest.mark.parametrize("color", [None, "gold"])
def test_sqlite_pages_need_no_sort_either(sqlite_url: str, sort: Any, color: Any) -> None:
    with Clinic.open(sqlite_url) as clinic:
        for n in range(3):
            clinic.staff.add_patient(
                first_name="Ana", last_name=f"Lopez{n}", date_of_birth="1980-02-03", actor="desk"
            )
        wanted = RosterFilter(color=color)
        after = clinic.roster(wanted, sort=sort, limit=1).next_after
        for descending in (False, True):
            statement = page_statement(wanted, NOW, sort=sort, descending=descending, after=after, limit=101)
            sql = statement.compile(dialect=clinic.engine.dialect, compile_kwargs={"literal_binds": True})
            with clinic.engine.connect() as connection:
                plan = [row[-1] for row in connection.execute(text(f"EXPLAIN QUERY PLAN {sql}"))]
            assert not any("TEMP B-TREE" in step for step in plan), plan
            assert any(step.startswith(("SEARCH patients USING", "SCAN patients USING")) for step in plan), (
                plan
            )


@pytest.mark.parametrize("wanted", [RosterFilter(color="gold"), RosterFilter(reason="missing_email")])
def test_sqlite_by_colour_with_the_colour_pinned_starts_at_the_place(sqlite_url: str, wanted: Any) -> None:
    # Not at the colour's first row: with the rank in the keyset too, SQLite searched on the rank
    # alone and walked every row of the colour up to the place (370 ms a page at a million).
    with Clinic.open(sqlite_url) as clinic:
        place = (0 if wanted.reason else 1, "lopez", "ana", 2)
        for descending in (False, True):
            statement = page_statement(
                wanted, NOW, sort="color", descending=descending, after=place, limit=101
            )
            sql = statement.compile(dialect=clinic.engine.dialect, compile_kwargs={"literal_binds": True})
            with clinic.engine.connect() as connection:
                plan = [row[-1] for row in connection.execute(text(f"EXPLAIN QUERY PLAN {sql}"))]
            bound = "<" if descending else ">"
            assert any(f"(color_rank=? AND (last_key,first_key){bound}(?,?))" in step for step in plan), plan


def _scans(node: dict[str, Any]) -> list[tuple[str, str | None]]:
    """(node type, table) of a plan node and all below it."""
    found = [(node["Node Type"], node.get("Relation Name"))]
    for child in node.get("Plans", []):
        found += _scans(child)
    return found


def test_the_on_demand_trouble_counts_read_indexes_without_statistics(
    unanalysed: tuple[Clinic, Engine],
) -> None:
    # Without statistics the planner guessed a third of the accounts locked and read them all
    # (230 ms at a million): the counts of the roster's time-dependent trouble spots use the indexes.
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from clinic_desk.db.models import OutboxEmail, PortalAccount, PortalToken
    from clinic_desk.db.trouble_counts import (
        expired_newest_links,
        failed_newest_emails,
        indexes_only,
        locked_accounts,
    )

    clinic, engine = unanalysed
    counts = {
        "portal_tokens": select(func.count()).select_from(PortalToken).where(expired_newest_links(NOW)),
        "outbox_emails": select(func.count()).select_from(OutboxEmail).where(failed_newest_emails()),
        "portal_accounts": select(func.count()).select_from(PortalAccount).where(locked_accounts(NOW)),
    }
    with Session(engine) as session, indexes_only(session):
        for table, query in counts.items():
            sql = query.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True})
            answer = session.execute(text(f"EXPLAIN (FORMAT JSON) {sql}")).scalar_one()
            scans = _scans(answer[0]["Plan"])
            assert ("Seq Scan", table) not in scans, scans
            assert any(name == table and kind != "Seq Scan" for kind, name in scans), scans  # index or bitmap
    assert clinic.roster_counts().total == PATIENTS
    assert never_analysed(engine)


@pytest.mark.parametrize("typed", ["last12", "first4711", "2026"])
def test_the_counts_over_a_typed_name_read_indexes_without_statistics(
    unanalysed: tuple[Clinic, Engine], typed: str
) -> None:
    clinic, engine = unanalysed
    scans = _scans(_plan(engine, counts_statement(typed, NOW))[0])
    assert ("Seq Scan", "patients") not in scans, scans
    assert ("Seq Scan", "portal_accounts") not in scans, scans
    assert clinic.roster_counts(typed).total == len(clinic.roster_ids(RosterFilter(text=typed)))
    assert never_analysed(engine)
