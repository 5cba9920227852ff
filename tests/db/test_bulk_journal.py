"""A big load into a new SQLite clinic is written through a rollback journal, and WAL comes back."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from clinic_desk import Clinic
from clinic_desk.demo.charts import random_charts
from tests.conftest import FakeClock
from tests.services.helpers import GOOD_PASSWORD, STAFF


@pytest.fixture
def local(sqlite_url: str, clock: FakeClock) -> Iterator[Clinic]:
    with Clinic.open(sqlite_url, clock=clock) as clinic:
        yield clinic


def _file(clinic: Clinic) -> Path:
    return Path(str(clinic.url.database))


def _mode_seen_by_another_connection(path: Path) -> str:
    other = sqlite3.connect(path, timeout=10)
    try:
        return str(other.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        other.close()


def _load(clinic: Clinic, count: int, seen: list[str]) -> int:
    charts = random_charts(count, seed=5, now=clinic.now(), placeholder_domain="noemail.invalid")
    return clinic.load_demo_charts(
        charts,
        actor=STAFF,
        password=GOOD_PASSWORD,
        progress=lambda _done: seen.append(_mode_seen_by_another_connection(_file(clinic))),
    )


def test_a_new_clinic_is_loaded_through_a_rollback_journal_then_back_in_wal(local: Clinic) -> None:
    seen: list[str] = []
    assert _load(local, 30, seen) == 30
    assert seen == ["delete"]  # the file said so while the load ran
    with local.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert _mode_seen_by_another_connection(_file(local)) == "wal"
    assert sum(local.count_by_color().values()) == 30
    # The desk works on afterwards: a chart added, found and counted.
    local.staff.add_patient(first_name="Ada", last_name="Byron", date_of_birth="1990-12-10", actor=STAFF)
    assert sum(local.count_by_color().values()) == 31


def test_a_file_another_program_has_open_is_loaded_in_wal(local: Clinic) -> None:
    reader = sqlite3.connect(_file(local), timeout=10)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM patients").fetchone()  # a read transaction left open
    try:
        seen: list[str] = []
        assert _load(local, 20, seen) == 20
        assert seen == ["wal"]
    finally:
        reader.rollback()
        reader.close()
    assert sum(local.count_by_color().values()) == 20


def test_a_clinic_in_use_keeps_its_wal(local: Clinic, monkeypatch: pytest.MonkeyPatch) -> None:
    from clinic_desk.services import bulk_load

    monkeypatch.setattr(bulk_load, "FEW_ROWS", 1)  # a clinic with more than "a few" charts
    for first in ("Ada", "Bo"):
        local.staff.add_patient(first_name=first, last_name="Byron", date_of_birth="1990-12-10", actor=STAFF)
    seen: list[str] = []
    assert _load(local, 10, seen) == 10
    assert seen == ["wal"]


def test_a_failed_load_leaves_the_file_in_wal(local: Clinic) -> None:
    def broken() -> Iterator[object]:
        yield from random_charts(3, seed=1, now=local.now(), placeholder_domain="noemail.invalid")
        raise RuntimeError("the source broke")

    with pytest.raises(RuntimeError):
        local.load_demo_charts(broken(), actor=STAFF, password=GOOD_PASSWORD)  # type: ignore[arg-type]
    assert _mode_seen_by_another_connection(_file(local)) == "wal"
    assert sum(local.count_by_color().values()) == 0  # nothing of it was kept
