"""A finished chart with its portal account's history: one row of a bulk load (the demo clinic)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple, Protocol

from clinic_desk.domain import codes


class BulkChart(NamedTuple):
    """One chart as a bulk load stores it, already clean (what ``add_patient`` would store).

    The loader gives it an id and an MRN, works out the search keys and stores the
    load's one password hash for every chart with a ``username``. A named tuple, not a
    frozen dataclass: a load makes a million of them, and a frozen dataclass takes five
    times as long to build.
    """

    first_name: str
    last_name: str
    date_of_birth: date
    created_at: datetime
    preferred_name: str | None = None
    sex: str | None = None
    email: str | None = None
    phone: str | None = None
    address_line1: str | None = None
    address_line2: str | None = None
    city: str | None = None
    state: str | None = None
    zip_code: str | None = None
    status: str = codes.ACTIVE
    created_via: str = codes.CREATED_BY_STAFF
    # When the chart last changed (None: when it was made).
    updated_at: datetime | None = None
    # The portal account: the access switch and who last moved it.
    access_enabled: bool = False
    access_off_reason: str | None = codes.OFF_NOT_ENABLED
    access_changed_by: str | None = None
    access_changed_at: datetime | None = None
    access_note: str | None = None
    staff_off_reason: str | None = None  # when access_off_reason is OFF_BY_STAFF
    # Sign-in history.
    username: str | None = None
    must_change_password: bool = False
    registered_at: datetime | None = None
    confirmed_at: datetime | None = None
    last_login_at: datetime | None = None
    login_count: int = 0
    failed_logins: int = 0
    last_failed_login_at: datetime | None = None
    first_login_at: datetime | None = None  # the first good login (adoption's median)


class ChartMaker(Protocol):
    """Makes the charts numbered ``first`` to ``stop - 1`` of a load: the same ones whichever
    process asks, so a loader may make batches side by side (a maker must pickle)."""

    def charts(self, first: int, stop: int) -> list[BulkChart]: ...


@dataclass(frozen=True)
class MadeCharts:
    """``count`` charts from ``maker``, numbered from 1, made ``batch`` at a time.

    Iterating gives the charts in order, in this process. A loader that knows the type
    makes the batches in worker processes instead (``services.bulk_pool``): a million
    charts are a minute of Python, which one core cannot do while it writes them.
    """

    maker: ChartMaker
    count: int
    batch: int = 5_000

    def batches(self) -> Iterator[tuple[int, int]]:
        """(first, stop) of each batch, in order; a batch always starts at 1 + k * batch."""
        for first in range(1, self.count + 1, self.batch):
            yield first, min(first + self.batch, self.count + 1)

    def __iter__(self) -> Iterator[BulkChart]:
        for first, stop in self.batches():
            yield from self.maker.charts(first, stop)
