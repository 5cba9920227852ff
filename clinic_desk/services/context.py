"""What every service call needs besides its session: the clock and the clinic's settings."""

from __future__ import annotations

import platform
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from clinic_desk.services.settings import ClinicSettings

Clock = Callable[[], datetime]


def this_computer() -> str:
    """The computer's network name: the workstation the audit log names (never a person)."""
    name = "".join(ch for ch in platform.node() if ch.isprintable()).strip()
    return name[:100] or "unknown computer"


def system_clock() -> datetime:
    """The real time, in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class ServiceContext:
    """The clock, settings and workstation name one Clinic runs with."""

    clock: Clock
    settings: ClinicSettings
    workstation: str = field(default_factory=this_computer)

    def now(self) -> datetime:
        """The current time; refuses a clock that returns a naive datetime."""
        moment = self.clock()
        if moment.tzinfo is None:
            raise ValueError("Clinic clock must return an aware datetime")
        return moment
