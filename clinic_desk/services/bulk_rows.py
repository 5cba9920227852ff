"""Charts turned into the rows a bulk load inserts: in the loading process, or in a worker.

A batch job (:func:`make_batch`) is everything a worker process needs to do on its own:
make the charts, classify them, build both tables' rows and turn them into what the
database takes (SQLite: an in-memory database image of both tables; PostgreSQL: a block of
binary COPY data per table); the loading process only writes what comes back
(:func:`write_batch`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Final, cast

from sqlalchemy import Connection, Table

from clinic_desk.db import status_counts
from clinic_desk.db.bulk_insert import CopyTypes, copy_block, insert_image, insert_rows, sqlite_image
from clinic_desk.db.models import Patient, PortalAccount
from clinic_desk.db.status_sql import class_of, class_rank
from clinic_desk.domain.access import has_logged_in
from clinic_desk.domain.bulk_chart import BulkChart, ChartMaker
from clinic_desk.domain.search_keys import email_key, name_key, phone_key

BothCopyTypes = tuple[CopyTypes, CopyTypes]  # the patients' and the accounts' columns
PATIENTS = cast(Table, Patient.__table__)
ACCOUNTS = cast(Table, PortalAccount.__table__)
PATIENT_COLUMNS: Final = (
    "id",
    "mrn",
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "sex",
    "email",
    "phone",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "zip_code",
    "status",
    "created_via",
    "first_key",
    "last_key",
    "email_key",
    "phone_digits",
    "created_at",
    "updated_at",
    "version",
    "color_rank",
)
ACCOUNT_COLUMNS: Final = (
    "patient_id",
    "access_enabled",
    "access_off_reason",
    "access_changed_by",
    "access_changed_at",
    "access_note",
    "staff_off_reason",
    "username",
    "username_key",
    "password_hash",
    "must_change_password",
    "registered_at",
    "confirmed_at",
    "last_login_at",
    "login_count",
    "failed_logins",
    "last_failed_login_at",
    "locked_until",
    "version",
    "first_login_at",
    "status_class",
)


class ChartRows:
    """Turns charts into insert rows (tuples in the column orders above).

    The search keys are the ones ``add_patient`` stores, and each chart's colour class
    the one ``status_counts.reclassify`` would give it, but for the "shares an email" bit
    (:func:`status_counts.count_loaded` adds that once every chart is in).
    """

    def __init__(self, password_hash: str, placeholders: status_counts.Placeholders) -> None:
        self.password_hash = password_hash
        self.placeholders = placeholders
        self.counts = Counter[int]()  # charts written per colour class
        self._keys: dict[str, str] = {}  # names repeat: fold each one once

    def classes(self, chunk: list[BulkChart]) -> list[int]:
        found = []
        for chart in chunk:
            sql_class = class_of(
                chart.status,
                chart.access_enabled,
                None if chart.access_enabled else chart.access_off_reason,
                chart.email,
                chart.zip_code,
                logged_in=has_logged_in(chart.last_login_at, chart.login_count),
                has_link=False,  # a new chart: no link was ever made for it
                has_twin=False,
                failed_logins=chart.failed_logins,
            )
            found.append(status_counts.full_class(sql_class, chart.email, chart.username, self.placeholders))
        self.counts.update(found)
        return found

    def batch(
        self,
        chunk: list[BulkChart],
        first_id: int,
        first_mrn: int,
        *,
        for_sqlite: bool,
        copy_types: BothCopyTypes | None = None,
    ) -> Batch:
        """Both tables' rows for ``chunk`` (ids and MRNs from ``first_id`` / ``first_mrn`` on):
        for SQLite one database image of both, with ``copy_types`` binary COPY blocks."""
        before = self.counts.copy()
        classes = self.classes(chunk)
        patients: Any = self.patients(chunk, classes, first_id, first_mrn)
        accounts: Any = self.accounts(chunk, classes, first_id)
        counts = self.counts - before
        if for_sqlite:
            image = sqlite_image(
                [(PATIENTS, PATIENT_COLUMNS, patients), (ACCOUNTS, ACCOUNT_COLUMNS, accounts)]
            )
            return Batch(len(chunk), (), (), counts, first_mrn, image)
        if copy_types is not None:
            patients = copy_block(PATIENTS, PATIENT_COLUMNS, copy_types[0], patients)
            accounts = copy_block(ACCOUNTS, ACCOUNT_COLUMNS, copy_types[1], accounts)
        else:
            patients, accounts = list(patients), list(accounts)
        return Batch(len(chunk), patients, accounts, counts, first_mrn)

    def _key(self, name: str) -> str:
        key = self._keys.get(name)
        if key is None:
            key = self._keys[name] = name_key(name)
        return key

    def patients(
        self, chunk: list[BulkChart], classes: list[int], first_id: int, first_mrn: int
    ) -> Iterator[tuple[Any, ...]]:
        key = self._key
        for n, (chart, status_class) in enumerate(zip(chunk, classes, strict=True)):
            yield (
                first_id + n,
                str(first_mrn + n),
                chart.first_name,
                chart.last_name,
                chart.preferred_name,
                chart.date_of_birth,
                chart.sex,
                chart.email,
                chart.phone,
                chart.address_line1,
                chart.address_line2,
                chart.city,
                chart.state,
                chart.zip_code,
                chart.status,
                chart.created_via,
                key(chart.first_name),
                key(chart.last_name),
                email_key(chart.email),
                phone_key(chart.phone),
                chart.created_at,
                chart.updated_at or chart.created_at,
                1,
                _rank(status_class),
            )

    def accounts(
        self, chunk: list[BulkChart], classes: list[int], first_id: int
    ) -> Iterator[tuple[Any, ...]]:
        for n, (chart, status_class) in enumerate(zip(chunk, classes, strict=True)):
            username = chart.username
            yield (
                first_id + n,
                chart.access_enabled,
                None if chart.access_enabled else chart.access_off_reason,
                chart.access_changed_by,
                chart.access_changed_at,
                chart.access_note,
                chart.staff_off_reason,
                username,
                username.lower() if username else None,
                self.password_hash if username else None,
                chart.must_change_password,
                chart.registered_at,
                chart.confirmed_at,
                chart.last_login_at,
                chart.login_count,
                chart.failed_logins,
                chart.last_failed_login_at,
                None,
                1,
                chart.first_login_at,
                status_class,
            )


@cache
def _rank(status_class: int) -> int:
    return class_rank(status_class)


@dataclass(frozen=True)
class GivenCharts:
    """A chunk of charts made already (a plain iterable's): the batch is the chunk itself."""

    chunk: list[BulkChart]

    def charts(self, first: int, stop: int) -> list[BulkChart]:
        return self.chunk


@dataclass(frozen=True)
class BatchJob:
    """One batch of a load, as a worker process gets it (everything in it pickles)."""

    maker: ChartMaker
    first: int  # the batch's first chart number
    stop: int
    first_id: int  # the id (and MRN number) of its first chart
    first_mrn: int
    password_hash: str
    placeholders: status_counts.Placeholders
    for_sqlite: bool  # both tables' rows in a SQLite database image
    copy_types: BothCopyTypes | None = None  # PostgreSQL: binary COPY blocks of these column types


@dataclass(frozen=True)
class Batch:
    """What a batch job gives back: both tables' rows and how many charts per colour class."""

    size: int  # charts in the batch
    patients: Sequence[Sequence[Any]] | bytes  # bytes: a binary COPY block
    accounts: Sequence[Sequence[Any]] | bytes
    counts: Counter[int]
    first_mrn: int
    image: bytes | None = None  # SQLite: both tables' rows in one database image (no rows above)


def write_batch(connection: Connection, batch: Batch) -> None:
    """Append a batch's charts to both tables, the way it was made for."""
    if batch.image is not None:
        insert_image(connection, batch.image, ((PATIENTS, PATIENT_COLUMNS), (ACCOUNTS, ACCOUNT_COLUMNS)))
    else:
        insert_rows(connection, PATIENTS, PATIENT_COLUMNS, batch.patients)
        insert_rows(connection, ACCOUNTS, ACCOUNT_COLUMNS, batch.accounts)


def make_batch(job: BatchJob) -> Batch:
    """Make, classify and turn into rows one batch of charts (a worker process runs this)."""
    chunk = job.maker.charts(job.first, job.stop)
    rows = ChartRows(job.password_hash, job.placeholders)
    return rows.batch(
        chunk, job.first_id, job.first_mrn, for_sqlite=job.for_sqlite, copy_types=job.copy_types
    )
