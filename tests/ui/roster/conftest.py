"""A clinic with a few hundred charts of every colour, and the roster window opened on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest

from clinic_desk.domain import codes
from clinic_desk.domain.bulk_chart import BulkChart
from clinic_desk.domain.roster import RosterFilter, RosterRow

PASSWORD = "blue-harbor-42"
CHARTS = 260  # more than two pages of 100
MADE = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
FIRST_NAMES = ("Ana", "Ben", "Cora", "Dev", "Ema", "Finn", "Gia")


def roster_charts(count: int) -> Iterator[BulkChart]:
    """Charts cycling through red (no email, never turned on), gold (on, no login) and blue."""
    for number in range(count):
        kind = number % 3
        yield BulkChart(
            first_name=FIRST_NAMES[number % len(FIRST_NAMES)],
            last_name=f"Roster{(number * 37) % count:04d}",
            date_of_birth=date(1940 + number % 60, 1 + number % 12, 1 + number % 28),
            created_at=MADE,
            email=None if kind == 0 else f"roster{number}@example.com",
            zip_code="02139",
            access_enabled=kind != 0,
            access_off_reason=codes.OFF_NOT_ENABLED if kind == 0 else None,
            username=f"roster{number}" if kind == 2 else None,
            last_login_at=MADE if kind == 2 else None,
            login_count=1 if kind == 2 else 0,
        )


@pytest.fixture
def roster_clinic(clinic: Any) -> Any:
    """The UI tests' SQLite clinic holding CHARTS charts of all three colours."""
    clinic.load_demo_charts(roster_charts(CHARTS), actor="frontdesk", password=PASSWORD)
    return clinic


def all_rows(clinic: Any, wanted: RosterFilter = RosterFilter(), **sort: Any) -> list[RosterRow]:  # noqa: B008
    """Every row the clinic's roster lists, page by page (what the table must show)."""
    rows: list[RosterRow] = []
    after = None
    while True:
        page = clinic.roster(wanted, after=after, **sort)
        rows.extend(page.rows)
        if page.next_after is None:
            return rows
        after = page.next_after


def wait_rows(qtbot: Any, roster: Any, count: int | None = None, timeout: int = 10_000) -> None:
    """Wait until the roster's model is not reading (and, given ``count``, holds that many rows)."""
    model = roster.model
    qtbot.waitUntil(
        lambda: not model.fetching and (count is None or model.rowCount() == count), timeout=timeout
    )


def load_all(qtbot: Any, roster: Any) -> None:
    """Scroll the table to the bottom until every matching row is held."""
    model = roster.model
    wait_rows(qtbot, roster)
    while model.has_more:
        roster.table.scrollToBottom()
        model.fetchMore(roster.table.rootIndex())
        wait_rows(qtbot, roster)


@pytest.fixture
def open_roster(qtbot: Any, make_window: Callable[..., Any]) -> Callable[..., Any]:
    """``open_roster(clinic, **window_kwargs)``: a main window and its roster, rows and counts read."""

    def open_it(clinic: Any, **kwargs: Any) -> Any:
        window = make_window(clinic, send_mail=False, daily_backup=False, persist=False, **kwargs)
        roster = window.roster_tools.open_roster()
        assert roster is not None
        qtbot.waitExposed(roster)
        wait_rows(qtbot, roster)
        qtbot.waitUntil(lambda: roster.counts.total_label.text() != "", timeout=10_000)
        return roster

    return open_it
