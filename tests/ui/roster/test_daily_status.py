"""The main window records the day's portal status once after start, on a worker."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from clinic_desk.db.models import PortalStatusDay


def test_the_main_window_records_the_day_after_start_without_the_roster(
    qtbot: Any, roster_clinic: Any, make_window: Any
) -> None:
    with roster_clinic.reading() as session:
        assert session.scalars(select(PortalStatusDay.day)).all() == []
    window = make_window(roster_clinic, send_mail=False, daily_backup=False, persist=False)
    tools = window.roster_tools
    assert tools.roster is None  # nobody opened the roster
    qtbot.waitUntil(lambda: tools.status_recorded is not None, timeout=10_000)
    assert tools.status_recorded is True
    with roster_clinic.reading() as session:
        days = set(session.scalars(select(PortalStatusDay.day)).all())
    assert days == {roster_clinic.now().date()}
    assert not roster_clinic.record_daily_status()  # once a day: a second window writes nothing
