"""A big load's batches made in worker processes store exactly what one process would.

The workers are real spawned processes (``services.bulk_pool``); the threshold is lowered
so a few thousand charts are enough to use them.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from clinic_desk import Clinic
from clinic_desk.demo.charts import RandomChartMaker
from clinic_desk.domain.bulk_chart import BulkChart, MadeCharts
from clinic_desk.services import bulk_pool
from tests import databases
from tests.conftest import FakeClock
from tests.services.helpers import GOOD_PASSWORD, STAFF

# Three batches of 5,000, the last one part-full.
COUNT = 12_345


@dataclass(frozen=True)
class _DiesInWorkers:
    """Makes the same charts, but a worker process making them dies at once (killed, say)."""

    inner: RandomChartMaker

    def charts(self, first: int, stop: int) -> list[BulkChart]:
        if multiprocessing.parent_process() is not None:
            os._exit(3)
        return self.inner.charts(first, stop)


@dataclass(frozen=True)
class _FailsInWorkers:
    """A maker with a bug: the second batch raises, wherever it is made."""

    inner: RandomChartMaker

    def charts(self, first: int, stop: int) -> list[BulkChart]:
        if first > 1:
            raise ValueError("no such chart")
        return self.inner.charts(first, stop)


@contextmanager
def _new_clinic(backend: str, tmp_path: Path, name: str, clock: FakeClock) -> Iterator[Clinic]:
    if backend == "sqlite":
        with Clinic.open(f"sqlite:///{tmp_path / name}", clock=clock) as clinic:
            yield clinic
        return
    server = databases.postgres_database() if backend == "postgresql" else databases.mariadb_database()
    with server as url, Clinic.open(url, clock=clock) as clinic:
        yield clinic


def _maker(clinic: Clinic) -> RandomChartMaker:
    return RandomChartMaker(7, clinic.now(), clinic.settings.placeholder_domain)


def _load(clinic: Clinic, charts: MadeCharts) -> tuple[int, list[int]]:
    """Load ``charts``; also how many worker processes were alive at each progress call."""
    workers_seen: list[int] = []
    done = clinic.load_demo_charts(
        charts,
        actor=STAFF,
        password=GOOD_PASSWORD,
        progress=lambda _done: workers_seen.append(len(multiprocessing.active_children())),
    )
    return done, workers_seen


def _stored(clinic: Clinic) -> dict[str, Any]:
    """Everything the load wrote, but the password hash (salted per load)."""
    with clinic.engine.connect() as connection:
        patients = connection.execute(text("SELECT * FROM patients ORDER BY id")).all()
        accounts = (
            connection.execute(text("SELECT * FROM portal_accounts ORDER BY patient_id")).mappings().all()
        )
        load = connection.execute(text("SELECT after FROM audit_log WHERE action = 'bulk_load'")).scalar_one()
    return {
        "patients": [tuple(row) for row in patients],
        "accounts": [{k: v for k, v in row.items() if k != "password_hash"} for row in accounts],
        "hashed": sum(1 for row in accounts if row["password_hash"]),
        "colours": clinic.count_by_color(),
        "reasons": clinic.count_by_reason(),
        "audit": load,
    }


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_batches_made_by_workers_store_what_this_process_would(
    backend: str, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PostgreSQL's batches come back as blocks of binary COPY data, SQLite's as stored values.
    monkeypatch.setattr(bulk_pool, "PARALLEL_FROM", 1)
    with _new_clinic(backend, tmp_path, "workers.db", clock) as clinic:
        charts = MadeCharts(_maker(clinic), COUNT)
        assert bulk_pool.worth_workers(charts, backend)
        done, workers_seen = _load(clinic, charts)
        by_workers = _stored(clinic)
    assert done == COUNT
    assert workers_seen and all(seen >= 2 for seen in workers_seen)  # spawned, and alive while loading
    assert multiprocessing.active_children() == []  # and gone once the load is done

    monkeypatch.setattr(bulk_pool, "PARALLEL_FROM", 10 * COUNT)
    with _new_clinic(backend, tmp_path, "here.db", clock) as clinic:
        done, workers_seen = _load(clinic, MadeCharts(_maker(clinic), COUNT))
        here = _stored(clinic)
    assert done == COUNT and set(workers_seen) == {0}
    assert by_workers == here
    assert len(here["patients"]) == COUNT and here["hashed"] > COUNT // 2


def test_a_mariadb_load_makes_its_batches_here(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its rows go through SQLAlchemy in this process whatever made them: workers would not pay.
    monkeypatch.setattr(bulk_pool, "PARALLEL_FROM", 1)
    count = 700
    with _new_clinic("mariadb", tmp_path, "", clock) as clinic:
        charts = MadeCharts(_maker(clinic), count, batch=300)
        assert not bulk_pool.worth_workers(charts, "mariadb")
        done, workers_seen = _load(clinic, charts)
        stored = _stored(clinic)
    assert done == count and set(workers_seen) == {0}
    assert len(stored["patients"]) == count and sum(stored["colours"].values()) == count


def test_a_worker_that_dies_leaves_the_rest_to_this_process(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk_pool, "PARALLEL_FROM", 1)
    with _new_clinic("sqlite", tmp_path, "dies.db", clock) as clinic:
        done, _ = _load(clinic, MadeCharts(_DiesInWorkers(_maker(clinic)), COUNT))
        after_deaths = _stored(clinic)
    with _new_clinic("sqlite", tmp_path, "plain.db", clock) as clinic:
        _load(clinic, MadeCharts(_maker(clinic), COUNT))
        plain = _stored(clinic)
    assert done == COUNT
    assert after_deaths == plain
    assert multiprocessing.active_children() == []


def test_a_batch_that_fails_in_a_worker_writes_nothing(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk_pool, "PARALLEL_FROM", 1)
    with _new_clinic("sqlite", tmp_path, "fails.db", clock) as clinic:
        mrn_before = _mrn_counter(clinic)
        with pytest.raises(ValueError, match="no such chart"):
            _load(clinic, MadeCharts(_FailsInWorkers(_maker(clinic)), COUNT))
        assert sum(clinic.count_by_color().values()) == 0
        assert _mrn_counter(clinic) == mrn_before
        with clinic.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM patients")).scalar_one() == 0
    assert multiprocessing.active_children() == []


def _mrn_counter(clinic: Clinic) -> int:
    with clinic.engine.connect() as connection:
        return int(connection.execute(text("SELECT value FROM counters WHERE name = 'mrn'")).scalar_one())
