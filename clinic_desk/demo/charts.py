"""Realistic random charts for the bulk of the demo clinic, as plain :class:`BulkChart` values."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate
from typing import Final

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
from clinic_desk.domain.bulk_chart import BulkChart
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
_ASCII_WORD = re.compile(r"[^a-z]")


@dataclass(frozen=True)
class _Name:
    """A name with the ASCII letters used in emails and usernames."""

    text: str
    ascii: str


def _names(values: tuple[str, ...]) -> tuple[_Name, ...]:
    return tuple(_Name(v, _ASCII_WORD.sub("", fold(v)) or "x") for v in values)


def random_charts(count: int, *, seed: int, now: datetime, placeholder_domain: str) -> Iterator[BulkChart]:
    """``count`` random realistic charts (the same ones for the same seed and clock)."""
    charts = _RandomCharts(random.Random(seed), now, placeholder_domain)
    for number in range(1, count + 1):
        yield charts.chart(number)


class _RandomCharts:
    """Makes realistic random charts: a mix of colours and a few trouble spots."""

    def __init__(self, rng: random.Random, now: datetime, placeholder_domain: str) -> None:
        self.rng = rng
        self.now = now
        self.today = now.date()
        self.placeholder_domain = placeholder_domain
        self.female = _names(FEMALE)
        self.male = _names(MALE)
        self.last = _names(LAST)
        self.town_weights = tuple(accumulate(town.weight for town in TOWNS))
        self.domains = tuple(d for d, _ in DOMAINS)
        self.domain_weights = tuple(accumulate(w for _, w in DOMAINS))

    def _email(self, first: _Name, last: _Name, domain: str) -> str:
        rng = self.rng
        number = rng.randint(1, 9999)  # always digits: never equal to a showcase address
        style = rng.random()
        if style < 0.45:
            local = f"{first.ascii}.{last.ascii}{number}"
        elif style < 0.75:
            local = f"{first.ascii[0]}{last.ascii}{number}"
        else:
            local = f"{last.ascii}.{first.ascii}{number}"
        return f"{local}@{domain}"

    def chart(self, number: int) -> BulkChart:
        """The ``number``-th chart of the load (the number keeps usernames and placeholders unique)."""
        rng = self.rng
        now = self.now
        state = rng.choices(_BULK_NAMES, cum_weights=_BULK_CUMULATIVE)[0]
        roll = rng.random()
        sex = "female" if roll < 0.51 else "male" if roll < 0.985 else "other" if roll < 0.995 else "unknown"
        feminine = sex == "female" or (sex != "male" and rng.random() < 0.5)
        first = rng.choice(self.female if feminine else self.male)
        last = rng.choice(self.last)
        preferred_choices = PREFERRED.get(first.text)
        preferred = rng.choice(preferred_choices) if preferred_choices and rng.random() < 0.3 else None
        oldest = 100 if state == "deceased" else 92
        born = self.today - timedelta(days=rng.randint(30, oldest * 365))
        town = rng.choices(TOWNS, cum_weights=self.town_weights)[0]
        zip_code: str | None = rng.choice(town.zips)
        if rng.random() < 0.08:
            zip_code = f"{zip_code}-{rng.randint(1, 9999):04d}"
        domain = rng.choices(self.domains, cum_weights=self.domain_weights)[0]
        email: str | None = self._email(first, last, domain)
        if state == "typo":
            email = self._email(first, last, rng.choice(TYPO_DOMAINS))
        elif state == "placeholder":
            email = f"noemail{number}@{self.placeholder_domain}"
        if state in ("missing_email", "missing_both"):
            email = None
        if state in ("missing_zip", "missing_both"):
            zip_code = None
        phone = (
            f"({rng.choice(town.area_codes)}) 555-{rng.randint(100, 9999):04d}"
            if rng.random() < 0.93
            else None
        )
        unit = rng.choice(UNITS).format(n=rng.randint(1, 40)) if rng.random() < 0.25 else None
        created_at = now - timedelta(seconds=rng.randint(3600, 6 * 365 * 86400))
        online = state in ("blue", "gold_username") and rng.random() < 0.12
        status = codes.ACTIVE
        if state == "inactive":
            status = codes.INACTIVE
        elif state == "deceased":
            status = codes.DECEASED
        elif online and rng.random() < 0.5:
            status = codes.PROSPECTIVE
        created_via = (
            codes.CREATED_BY_ONLINE_REGISTRATION
            if online
            else codes.CREATED_BY_IMPORT
            if rng.random() < 0.15
            else codes.CREATED_BY_STAFF
        )

        since = (now - created_at).total_seconds()
        enabled = state in ("blue", "blue_failed_logins", "gold", "gold_username", "placeholder", "typo")
        logged_in = state in ("blue", "blue_failed_logins") or (
            state in ("typo", "placeholder", "inactive", "deceased", "disabled") and rng.random() < 0.5
        )
        has_username = logged_in or state in ("gold_username", "placeholder")
        last_login = created_at + timedelta(seconds=rng.uniform(0, since)) if logged_in else None
        # Always ends in digits: never equal to a showcase username.
        username = f"{first.ascii[0]}{last.ascii[:20]}{number}" if has_username else None
        off_reason: str | None = None
        changed_by: str | None = rng.choice(STAFF) if enabled else None
        changed_at: datetime | None = created_at if enabled else None
        note: str | None = None
        staff_reason: str | None = None
        if not enabled:
            off_reason = codes.OFF_NOT_ENABLED
            if state == "disabled":
                off_reason = codes.OFF_BY_STAFF
                changed_by = rng.choice(STAFF)
                changed_at = (last_login or created_at) + timedelta(days=rng.randint(1, 90))
                changed_at = min(changed_at, now)
                staff_reason, note = rng.choice(STAFF_SWITCH_OFFS)
            elif state in ("inactive", "deceased"):
                changed_by = rng.choice(STAFF)
                changed_at = min((last_login or created_at) + timedelta(days=rng.randint(1, 900)), now)
                note = f"Turned off because the patient was marked {status}."
        failed = rng.randint(1, 4) if state == "blue_failed_logins" else 0
        return BulkChart(
            first_name=first.text,
            last_name=last.text,
            preferred_name=preferred,
            date_of_birth=born,
            sex=sex,
            email=email,
            phone=phone,
            address_line1=f"{rng.randint(1, 4999)} {rng.choice(STREETS)}",
            address_line2=unit,
            city=town.city,
            state=town.state,
            zip_code=zip_code,
            status=status,
            created_via=created_via,
            created_at=created_at,
            updated_at=changed_at if changed_at and changed_at > created_at else created_at,
            access_enabled=enabled,
            access_off_reason=off_reason,
            access_changed_by=changed_by,
            access_changed_at=changed_at,
            access_note=note,
            staff_off_reason=staff_reason,
            username=username,
            must_change_password=state == "placeholder" or (state == "gold_username" and rng.random() < 0.5),
            registered_at=created_at if online else None,
            confirmed_at=created_at + timedelta(minutes=rng.randint(2, 600)) if online else None,
            last_login_at=last_login,
            login_count=rng.randint(1, 120) if logged_in else 0,
            failed_logins=failed,
            last_failed_login_at=now - timedelta(minutes=rng.randint(5, 20000)) if failed else None,
        )
