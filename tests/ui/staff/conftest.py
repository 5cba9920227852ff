"""Fixtures for the staff tests: a clinic with staff accounts, a clock for the idle lock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

ADMIN_PASSWORD = "Blue-river-2026!"
FRONT_DESK_PASSWORD = "Green-hill-2026!"
TEMPORARY_PASSWORD = "kq7hT3mZp9wX"


@dataclass
class IdleClock:
    """Monotonic seconds the test moves by hand (the idle lock's clock)."""

    seconds: float = 1000.0

    def __call__(self) -> float:
        return self.seconds

    def advance(self, minutes: float) -> None:
        """Let ``minutes`` pass without anyone touching the computer."""
        self.seconds += minutes * 60


@pytest.fixture
def idle_clock() -> IdleClock:
    """A monotonic clock for the idle lock."""
    return IdleClock()


@pytest.fixture
def staffed(seeded: tuple[Any, dict[str, int]]) -> tuple[Any, dict[str, int]]:
    """The seeded clinic (red, gold, blue) with staff: rosa (admin), omar (front desk), nell (new).

    nell was added with a temporary password and must change it at the first sign-in.
    """
    clinic, ids = seeded
    admin = clinic.admin
    admin.add_staff(
        username="rosa", full_name="Rosa Diaz", role="admin", password=ADMIN_PASSWORD, actor="setup"
    )
    admin.add_staff(
        username="omar",
        full_name="Omar Khan",
        role="front_desk",
        password=FRONT_DESK_PASSWORD,
        actor="rosa",
        must_change_password=False,
    )
    admin.add_staff(
        username="nell", full_name="Nell Park", role="front_desk", password=TEMPORARY_PASSWORD, actor="rosa"
    )
    return clinic, ids


@pytest.fixture
def staff_window(make_window: Callable[..., Any], idle_clock: IdleClock) -> Callable[..., Any]:
    """A window without the mail sender or backups, on the test's idle clock."""

    def make(clinic: Any, **kwargs: Any) -> Any:
        return make_window(clinic, send_mail=False, daily_backup=False, idle_clock=idle_clock, **kwargs)

    return make
