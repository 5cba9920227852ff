"""Opening a patient reads every table through an index, on a server that has no statistics yet.

A bulk load on a server whose autovacuum has not come round leaves the planner guessing:
every query of the open must be shaped so that its index is the only sensible plan. The
check is PostgreSQL's own EXPLAIN on a clinic filled by the server and never analysed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, select, text

from clinic_desk import Clinic
from clinic_desk.db.change_stamp import stamp_columns
from clinic_desk.db.engine import normalize_url
from clinic_desk.db.models import Patient, PortalAccount
from clinic_desk.db.patient_read import patient_statement
from tests import databases
from tests.bulk_sql import SHARE_GAP, fill_without_statistics, never_analysed

PATIENTS = 100_000
# A chart with emails and a link (a multiple of 3) that shares its email (a multiple of 7).
OPENED = 21 * 4000
OPEN_TABLES = {
    "patients",
    "portal_accounts",
    "portal_tokens",
    "outbox_emails",
    "portal_events",
    "patient_photos",
}


@pytest.fixture(scope="module")
def unanalysed() -> Iterator[tuple[str, Engine]]:
    with databases.postgres_database() as url:
        Clinic.open(url).close()
        engine = create_engine(normalize_url(url))  # no answer deadline: the load takes a while
        fill_without_statistics(engine, PATIENTS)
        yield url, engine
        engine.dispose()


def _plan(engine: Engine, statement: Any) -> list[dict[str, Any]]:
    sql = statement.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True})
    with engine.connect() as connection:
        answer = connection.execute(text(f"EXPLAIN (FORMAT JSON) {sql}")).scalar_one()
    nodes: list[dict[str, Any]] = []

    def walk(node: dict[str, Any]) -> None:
        nodes.append(node)
        for child in node.get("Plans", []):
            walk(child)

    walk(answer[0]["Plan"])
    return nodes


def _stamp_statement() -> Any:
    return (
        select(Patient.version, PortalAccount.version, *stamp_columns(OPENED))
        .join(PortalAccount, PortalAccount.patient_id == Patient.id)
        .where(Patient.id == OPENED)
    )


def test_the_database_really_has_no_statistics(unanalysed: tuple[str, Engine]) -> None:
    _url, engine = unanalysed
    assert never_analysed(engine)


@pytest.mark.parametrize("which", ["open", "change_stamp"])
def test_each_query_of_the_open_reads_an_index(unanalysed: tuple[str, Engine], which: str) -> None:
    _url, engine = unanalysed
    statement = (
        patient_statement("postgresql", 6).params(pid=OPENED) if which == "open" else _stamp_statement()
    )
    nodes = _plan(engine, statement)
    sequential = [node["Relation Name"] for node in nodes if node["Node Type"] == "Seq Scan"]
    assert not set(sequential) & OPEN_TABLES, sequential
    # The shared-email lookup never walks the primary key in id order, filtering on the email.
    walks = [
        node
        for node in nodes
        if node.get("Index Name") == "pk_patients" and "email_key" in node.get("Filter", "")
    ]
    assert not walks
    if which == "open":
        used = {node.get("Index Name") for node in nodes}
        assert {"ix_patients_email_key_id", "ix_outbox_emails_patient", "ix_portal_tokens_patient"} <= used
        assert "ix_portal_events_typed_key" in used
    assert never_analysed(engine)  # EXPLAIN gathers none


def test_the_open_finds_what_the_bulk_load_put_there(unanalysed: tuple[str, Engine]) -> None:
    url, engine = unanalysed
    with Clinic.open(url) as clinic:
        snapshot = clinic.patient_snapshot(OPENED)
        facts = clinic.portal_facts(OPENED)
    assert [chart.patient_id for chart in facts.shared_with] == [OPENED - SHARE_GAP]
    assert len(snapshot.emails) == 2 and not snapshot.more_emails
    assert facts.newest_link is not None and facts.newest_link.kind == "invitation"
    assert facts.unknown_username_failures >= 0
    assert never_analysed(engine)
