"""Kept counts with several desks at once, and what a count costs."""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from clinic_desk import Clinic, NotAllowed, ValidationError
from clinic_desk.db import status_sql
from clinic_desk.demo.charts import random_charts
from tests.conftest import FakeClock, emptied_server_url
from tests.services.helpers import GOOD_PASSWORD, STAFF, add_ready_patient
from tests.services.test_kept_counts import assert_counts_agree


def test_two_desks_changing_different_patients_at_once_keep_the_counts(
    request: pytest.FixtureRequest, clock: FakeClock
) -> None:
    """PostgreSQL: two desks (two Clinic objects, two threads) write at once; the counts stay right."""
    url = emptied_server_url(request, "postgresql")
    first, second = Clinic.open(url, clock=clock), Clinic.open(url, clock=clock)
    try:
        pids = [add_ready_patient(first, "Ana", f"Desk{n}") for n in range(24)]
        start = threading.Barrier(2)
        failures: list[BaseException] = []

        def step(clinic: Clinic, pid: int, kind: int, round_: int) -> None:
            if kind == 0:
                clinic.staff.set_portal_access(
                    pid, enabled=False, actor=STAFF, reason="patient_request", note="asked"
                )
            elif kind == 1:
                clinic.staff.set_portal_access(pid, enabled=True, actor=STAFF, note="back")
            elif kind == 2:
                clinic.staff.update_contact(pid, zip_code=None if round_ % 2 else "02139", actor=STAFF)
            elif kind == 3:
                clinic.staff.set_patient_status(pid, "inactive" if round_ % 2 else "active", actor=STAFF)
            else:
                username = f"u{pid}r{round_}"
                clinic.staff.set_credentials(pid, username=username, password=GOOD_PASSWORD, actor=STAFF)
                clinic.portal.login(username, GOOD_PASSWORD)

        def desk(clinic: Clinic, mine: list[int], turn: int) -> None:
            try:
                start.wait()
                for round_ in range(3):
                    for n, pid in enumerate(mine):
                        # Refused steps (access on without a ZIP code...) write nothing.
                        with contextlib.suppress(ValidationError, NotAllowed):
                            step(clinic, pid, (n + round_ + turn) % 5, round_)
            except BaseException as error:
                failures.append(error)

        threads = [
            threading.Thread(target=desk, args=(first, pids[0::2], 0)),
            threading.Thread(target=desk, args=(second, pids[1::2], 1)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not failures, failures
        colors = Counter(first.status(pid).color for pid in pids)
        assert len(colors) >= 2  # the desks moved charts between colours
        assert_counts_agree(first)
        assert_counts_agree(second)
    finally:
        first.close()
        second.close()


def test_two_desks_giving_charts_the_same_email_at_once_count_them_shared(
    request: pytest.FixtureRequest, clock: FakeClock
) -> None:
    """PostgreSQL: each desk's new chart is the other's twin; neither may miss the other."""
    url = emptied_server_url(request, "postgresql")
    first, second = Clinic.open(url, clock=clock), Clinic.open(url, clock=clock)
    try:
        start = threading.Barrier(2)
        failures: list[BaseException] = []

        def desk(clinic: Clinic, name: str) -> None:
            try:
                start.wait()
                for n in range(12):
                    add_ready_patient(clinic, name, f"Family{n}", email=f"family{n}@example.com")
            except BaseException as error:
                failures.append(error)

        threads = [
            threading.Thread(target=desk, args=(c, name)) for c, name in ((first, "Ana"), (second, "Bo"))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not failures, failures
        assert first.count_by_trouble()["shared_email"] == 24
        assert_counts_agree(first)
    finally:
        first.close()
        second.close()


@contextmanager
def statements(clinic: Clinic) -> Iterator[list[str]]:
    said: list[str] = []

    def record(*args: Any) -> None:
        said.append(args[2])

    event.listen(clinic.engine, "before_cursor_execute", record)
    try:
        yield said
    finally:
        event.remove(clinic.engine, "before_cursor_execute", record)


def _counted(clinic: Clinic, call: Callable[[], object]) -> int:
    with statements(clinic) as said:
        call()
    return len([s for s in said if s.lstrip().upper().startswith(("SELECT", "WITH"))])


def test_a_count_reads_a_few_statements_whatever_the_number_of_patients(
    clinic: Clinic, clock: FakeClock
) -> None:
    add_ready_patient(clinic)
    few = {name: _counted(clinic, call) for name, call in _counts(clinic).items()}
    clinic.load_demo_charts(
        random_charts(300, seed=3, now=clock.now, placeholder_domain="noemail.invalid"),
        actor=STAFF,
        password=GOOD_PASSWORD,
    )
    for pid in range(2, 40, 3):
        clinic.staff.set_patient_status(pid, "inactive", actor=STAFF)
    many = {name: _counted(clinic, call) for name, call in _counts(clinic).items()}
    assert few == many
    assert few["colour"] <= 2 and few["reason"] <= 2  # the kept sums, and charts not yet classified
    assert few["trouble"] <= 8
    with clinic.reading() as session:
        assert status_sql.count_by_color(session) == clinic.count_by_color()
    assert sum(clinic.count_by_color().values()) == 301


def _counts(clinic: Clinic) -> dict[str, Callable[[], object]]:
    return {
        "colour": clinic.count_by_color,
        "reason": clinic.count_by_reason,
        "trouble": clinic.count_by_trouble,
    }
