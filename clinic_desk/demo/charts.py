"""Realistic random charts for the bulk of the demo clinic, as plain :class:`BulkChart` values.

A million charts are made per big demo, so every draw is one ``random()`` call turned
into a pick or a number by hand (``randint`` and ``choices`` cost ten times as much).
"""

from __future__ import annotations

import random
import re
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Final, TypeVar

from clinic_desk.demo.people import (
    DOMAINS,
    FEMALE,
    LAST,
    MALE,
    PREFERRED,
    STAFF,
    STAFF_SWITCH_OFFS,
    STREETS,
    TOWNS,
    TYPO_DOMAINS,
    UNITS,
)
from clinic_desk.domain import codes
from clinic_desk.domain.bulk_chart import BulkChart, MadeCharts
from clinic_desk.domain.validation import fold

# What each bulk chart's portal looks like, with how often it happens (per thousand).
_BULK_STATES: Final = (
    ("blue", 520),
    ("blue_failed_logins", 20),
    ("gold", 140),
    ("gold_username", 90),
    ("placeholder", 20),
    ("typo", 10),
    ("missing_email", 70),
    ("missing_zip", 20),
    ("missing_both", 10),
    ("not_enabled", 30),
    ("inactive", 45),
    ("deceased", 10),
    ("disabled", 15),
)
_BULK_NAMES: Final = tuple(name for name, _ in _BULK_STATES)
_BULK_CUMULATIVE: Final = tuple(accumulate(weight for _, weight in _BULK_STATES))
_BULK_TOTAL: Final = _BULK_CUMULATIVE[-1]
_ENABLED_STATES: Final = frozenset(
    ("blue", "blue_failed_logins", "gold", "gold_username", "placeholder", "typo")
)
# Off now, but half of them used the portal before it went off.
_MAYBE_LOGGED_IN_STATES: Final = frozenset(("typo", "placeholder", "inactive", "deceased", "disabled"))
_STATUS_NOTES: Final = {
    status: f"Turned off because the patient was marked {status}."
    for status in (codes.INACTIVE, codes.DECEASED)
}
_SIX_YEARS: Final = 6 * 365 * 86400  # seconds: the oldest chart
_OLDEST_DAYS: Final = 92 * 365  # the oldest living patient
_DECEASED_OLDEST_DAYS: Final = 100 * 365
_NO_EMAIL_STATES: Final = frozenset(("missing_email", "missing_both"))
_NO_ZIP_STATES: Final = frozenset(("missing_zip", "missing_both"))
_STATUS_OF_STATE: Final = {"inactive": codes.INACTIVE, "deceased": codes.DECEASED}
_DAYS: Final = tuple(timedelta(days=n) for n in range(901))
_STAFF_COUNT: Final = len(STAFF)
_STREET_COUNT: Final = len(STREETS)
_ASCII_WORD = re.compile(r"[^a-z]")
T = TypeVar("T")


def _pick(values: Sequence[T], draw: float) -> T:
    """The item a uniform draw in [0, 1) lands on."""
    return values[int(draw * len(values))]


def _between(low: int, high: int, draw: float) -> int:
    """A whole number from ``low`` to ``high`` (both included) for a uniform draw in [0, 1)."""
    return low + int(draw * (high - low + 1))


@dataclass(frozen=True)
class _Name:
    """A name with the ASCII letters used in emails and usernames."""

    text: str
    ascii: str


def _names(values: tuple[str, ...]) -> tuple[_Name, ...]:
    return tuple(_Name(v, _ASCII_WORD.sub("", fold(v)) or "x") for v in values)


def random_charts(count: int, *, seed: int, now: datetime, placeholder_domain: str) -> MadeCharts:
    """``count`` random realistic charts (the same ones for the same seed and clock)."""
    return MadeCharts(RandomChartMaker(seed, now, placeholder_domain), count)


@dataclass(frozen=True)
class RandomChartMaker:
    """Makes any batch of the random charts on its own: each batch draws from its own
    generator, seeded by the load's seed and the batch's first number, so a batch made
    in a worker process is the same as one made here."""

    seed: int
    now: datetime
    placeholder_domain: str

    def charts(self, first: int, stop: int) -> list[BulkChart]:
        rng = random.Random(f"clinic-desk-demo/{self.seed}/{first}")
        maker = _RandomCharts(rng, self.now, self.placeholder_domain)
        return [maker.chart(number) for number in range(first, stop)]


class _RandomCharts:
    """Makes realistic random charts: a mix of colours and a few trouble spots."""

    def __init__(self, rng: random.Random, now: datetime, placeholder_domain: str) -> None:
        self.rng = rng
        self.now = now
        self.today = now.date().toordinal()
        self.placeholder_domain = placeholder_domain
        self.female = _names(FEMALE)
        self.male = _names(MALE)
        self.last = _names(LAST)
        self.last_count = len(self.last)
        self.town_weights = tuple(accumulate(town.weight for town in TOWNS))
        self.town_total = self.town_weights[-1]
        self.domains = tuple(d for d, _ in DOMAINS)
        self.domain_weights = tuple(accumulate(w for _, w in DOMAINS))
        self.domain_total = self.domain_weights[-1]

    def _before_now(self, seconds: int) -> datetime:
        return self.now - timedelta(seconds=seconds)

    def _email(self, first: _Name, last: _Name, domain: str) -> str:
        r = self.rng.random
        number = 1 + int(r() * 9999)  # always digits: never equal to a showcase address
        style = r()
        if style < 0.45:
            local = f"{first.ascii}.{last.ascii}{number}"
        elif style < 0.75:
            local = f"{first.ascii[0]}{last.ascii}{number}"
        else:
            local = f"{last.ascii}.{first.ascii}{number}"
        return f"{local}@{domain}"

    def chart(self, number: int) -> BulkChart:
        """The ``number``-th chart of the load (the number keeps usernames and placeholders unique)."""
        # Every draw is one r() call, and the common picks are inlined (seq[int(r() * len)]):
        # this runs a million times per big demo, and each Python call here costs a second.
        r = self.rng.random
        state = _BULK_NAMES[bisect(_BULK_CUMULATIVE, r() * _BULK_TOTAL)]
        roll = r()
        sex = "female" if roll < 0.51 else "male" if roll < 0.985 else "other" if roll < 0.995 else "unknown"
        names = self.female if sex == "female" or (sex != "male" and r() < 0.5) else self.male
        first = names[int(r() * len(names))]
        last = self.last[int(r() * self.last_count)]
        preferred_choices = PREFERRED.get(first.text)
        preferred = _pick(preferred_choices, r()) if preferred_choices and r() < 0.3 else None
        oldest_days = _DECEASED_OLDEST_DAYS if state == "deceased" else _OLDEST_DAYS
        born = date.fromordinal(self.today - 30 - int(r() * (oldest_days - 29)))
        town = TOWNS[bisect(self.town_weights, r() * self.town_total)]
        zips = town.zips
        zip_code: str | None = zips[int(r() * len(zips))]
        if r() < 0.08:
            zip_code = f"{zip_code}-{1 + int(r() * 9999):04d}"
        email: str | None
        if state == "typo":
            email = self._email(first, last, _pick(TYPO_DOMAINS, r()))
        elif state == "placeholder":
            email = f"noemail{number}@{self.placeholder_domain}"
        elif state in _NO_EMAIL_STATES:
            email = None
        else:
            email = self._email(
                first, last, self.domains[bisect(self.domain_weights, r() * self.domain_total)]
            )
        if state in _NO_ZIP_STATES:
            zip_code = None
        if r() < 0.93:
            codes_here = town.area_codes
            phone: str | None = f"({codes_here[int(r() * len(codes_here))]}) 555-{100 + int(r() * 9900):04d}"
        else:
            phone = None
        unit = _pick(UNITS, r()).format(n=_between(1, 40, r())) if r() < 0.25 else None
        created_at = self.now - timedelta(seconds=3600 + int(r() * (_SIX_YEARS - 3599)))
        online = (state == "blue" or state == "gold_username") and r() < 0.12
        status = _STATUS_OF_STATE.get(state, codes.ACTIVE)
        if online and r() < 0.5:
            status = codes.PROSPECTIVE
        created_via = (
            codes.CREATED_BY_ONLINE_REGISTRATION
            if online
            else codes.CREATED_BY_IMPORT
            if r() < 0.15
            else codes.CREATED_BY_STAFF
        )

        now = self.now
        enabled = state in _ENABLED_STATES
        logged_in = (
            state == "blue"
            or state == "blue_failed_logins"
            or (state in _MAYBE_LOGGED_IN_STATES and r() < 0.5)
        )
        has_username = logged_in or state in ("gold_username", "placeholder")
        last_login = created_at + (now - created_at) * r() if logged_in else None
        # Somewhere between the chart's creation and the last login (no draw: the same charts as before).
        first_login = (
            created_at + (last_login - created_at) * (number * 37 % 100) / 100 if last_login else None
        )
        # Always ends in digits: never equal to a showcase username.
        username = f"{first.ascii[0]}{last.ascii[:20]}{number}" if has_username else None
        off_reason: str | None = None
        changed_by: str | None = STAFF[int(r() * _STAFF_COUNT)] if enabled else None
        changed_at: datetime | None = created_at if enabled else None
        note: str | None = None
        staff_reason: str | None = None
        if not enabled:
            off_reason = codes.OFF_NOT_ENABLED
            if state == "disabled":
                off_reason = codes.OFF_BY_STAFF
                changed_by = _pick(STAFF, r())
                changed_at = min((last_login or created_at) + _DAYS[_between(1, 90, r())], now)
                staff_reason, note = _pick(STAFF_SWITCH_OFFS, r())
            elif state in ("inactive", "deceased"):
                changed_by = _pick(STAFF, r())
                changed_at = min((last_login or created_at) + _DAYS[_between(1, 900, r())], now)
                note = _STATUS_NOTES[status]
        failed = _between(1, 4, r()) if state == "blue_failed_logins" else 0
        # Positional, in BulkChart's field order: keyword arguments would make building the
        # named tuple five times slower.
        return BulkChart(
            first.text,  # first_name
            last.text,  # last_name
            born,  # date_of_birth
            created_at,  # created_at
            preferred,  # preferred_name
            sex,  # sex
            email,  # email
            phone,  # phone
            f"{1 + int(r() * 4999)} {STREETS[int(r() * _STREET_COUNT)]}",  # address_line1
            unit,  # address_line2
            town.city,  # city
            town.state,  # state
            zip_code,  # zip_code
            status,  # status
            created_via,  # created_via
            changed_at if changed_at and changed_at > created_at else created_at,  # updated_at
            enabled,  # access_enabled
            off_reason,  # access_off_reason
            changed_by,  # access_changed_by
            changed_at,  # access_changed_at
            note,  # access_note
            staff_reason,  # staff_off_reason
            username,  # username
            state == "placeholder" or (state == "gold_username" and r() < 0.5),  # must_change_password
            created_at if online else None,  # registered_at
            created_at + timedelta(minutes=_between(2, 600, r())) if online else None,  # confirmed_at
            last_login,  # last_login_at
            1 + int(r() * 120) if logged_in else 0,  # login_count
            failed,  # failed_logins
            self._before_now(60 * _between(5, 20000, r())) if failed else None,  # last_failed_login_at
            first_login,  # first_login_at
        )
