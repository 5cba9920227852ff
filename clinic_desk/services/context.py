"""What every service call needs besides its session: the clock and the clinic's settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from clinic_desk.services.settings import ClinicSettings

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real time, in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class ServiceContext:
    """The clock and settings one Clinic runs with."""

    clock: Clock
    settings: ClinicSettings

    def now(self) -> datetime:
        """The current time; refuses a clock that returns a naive datetime."""
        moment = self.clock()
        if moment.tzinfo is None:
            raise ValueError("Clinic clock must return an aware datetime")
        return moment
