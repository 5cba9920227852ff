"""Audit entries as plain values: a patient's History card and the clinic-wide log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from clinic_desk.db.json_rows import json_rows
from clinic_desk.db.models import AuditEntry
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.text_rules import check_text, clean_actor
from clinic_desk.services.audit import entries_for
from clinic_desk.services.permissions import staff_columns, verdict

MAX_PAGE = 1000
# The id columns are 32-bit integers on every database.
MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class AuditRecord:
    """One audit entry: who did what, when, from which computer, before → after."""

    at: datetime
    actor: str
    action: str
    patient_id: int | None
    before: dict[str, Any]
    after: dict[str, Any]
    note: str | None
    id: int = 0
    workstation: str | None = None


def record_of(entry: AuditEntry) -> AuditRecord:
    """The stored entry as a plain value."""
    return AuditRecord(
        id=entry.id,
        at=entry.at,
        actor=entry.actor,
        workstation=entry.workstation,
        action=entry.action,
        patient_id=entry.patient_id,
        before=json.loads(entry.before) if entry.before else {},
        after=json.loads(entry.after) if entry.after else {},
        note=entry.note,
    )


def audit_records(session: Session, patient_id: int) -> list[AuditRecord]:
    """The patient's audit entries as plain values, oldest first."""
    return [record_of(entry) for entry in entries_for(session, patient_id)]


@dataclass(frozen=True)
class AuditFilter:
    """What ``clinic.audit(...)`` narrows the log to (every part optional)."""

    patient_id: int | None = None
    actor: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    before_id: int | None = None
    limit: int = 200


def _moment(value: datetime | date | None, name: str, *, end: bool) -> datetime | None:
    """A datetime bound; a plain date means the start of that day (``until``: the next day's)."""
    if value is None or isinstance(value, datetime):
        if isinstance(value, datetime) and value.tzinfo is None:
            raise ValidationError(f"{name}: give a time with its time zone.", field=name)
        return value
    if isinstance(value, date):
        day = value + timedelta(days=1) if end else value
        return datetime.combine(day, time()).astimezone()
    raise ValidationError(f"{name}: give a date or a time.", field=name)


def clean_filter(
    *,
    patient_id: int | None,
    actor: str | None,
    action: str | None,
    since: datetime | date | None,
    until: datetime | date | None,
    before_id: int | None,
    limit: int,
) -> AuditFilter:
    """Check the filter's values (ValidationError naming the one at fault)."""
    for name, value in (("actor", actor), ("action", action)):
        if value is not None and not isinstance(value, str):
            raise ValidationError(f"{name}: give a name as text.", field=name)
    check_text(actor, "actor")
    check_text(action, "setting", "Action")
    for name, number in (("patient_id", patient_id), ("before_id", before_id)):
        if number is not None and (
            isinstance(number, bool) or not isinstance(number, int) or not 0 < number <= MAX_ID
        ):
            # Beyond the id columns' range a server refuses the query itself: said here instead.
            raise ValidationError(f"{name}: give a whole number from 1 to {MAX_ID}.", field=name)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE:
        raise ValidationError(f"limit: give a whole number from 1 to {MAX_PAGE}.", field="limit")
    return AuditFilter(
        patient_id=patient_id,
        actor=(actor or "").strip() or None,
        action=(action or "").strip() or None,
        since=_moment(since, "since", end=False),
        until=_moment(until, "until", end=True),
        before_id=before_id,
        limit=limit,
    )


def audit_page(session: Session, wanted: AuditFilter) -> list[AuditRecord]:
    """One page of the log, newest first; the next page starts ``before_id`` = the last id here.

    Keyset paging on the id: each page costs the same at a million entries.
    """
    query = _page_query(session.get_bind().dialect.name, wanted)
    return [record_of(entry) for entry in session.scalars(query)]


def audit_page_for(session: Session, wanted: AuditFilter, viewer: str | None) -> list[AuditRecord]:
    """A page of the log, checked for ``viewer`` when given (None: no check, e.g. a script):
    any staff for one patient's history, managers and administrators for the clinic-wide log.
    One statement either way."""
    if viewer is None:
        return audit_page(session, wanted)
    needed = Permission.VIEW if wanted.patient_id is not None else Permission.CLINIC_AUDIT_LOG
    return checked_audit_page(session, viewer, needed, wanted)


def checked_audit_page(
    session: Session, viewer: object, permission: Permission, wanted: AuditFilter
) -> list[AuditRecord]:
    """``audit_page`` for a viewer who must hold ``permission``: the check and the page in one
    statement (the History card opens with every patient: one round trip, not three)."""
    name = clean_actor(viewer)
    dialect = session.get_bind().dialect.name
    page = json_rows(_page_query(dialect, wanted), dialect)
    row = session.execute(select(*staff_columns(name), page.column)).one()
    verdict(name, tuple(row[:3]), lambda: bool(row[3]), permission)  # NotAllowed: the page is dropped
    columns = [column.name for column in AuditEntry.__table__.c]
    entries = [AuditEntry(**dict(zip(columns, cells, strict=True))) for cells in page.read(row[4])]
    return [record_of(entry) for entry in sorted(entries, key=lambda entry: -entry.id)]


def _page_query(dialect: str, wanted: AuditFilter) -> Select[AuditEntry]:
    query = select(AuditEntry)
    if wanted.patient_id is not None:
        query = query.where(AuditEntry.patient_id == wanted.patient_id)
    if wanted.actor is not None:
        query = query.where(AuditEntry.actor == wanted.actor)
    if wanted.action is not None:
        query = query.where(AuditEntry.action == wanted.action)
    in_range = []
    if wanted.since is not None:
        in_range.append(AuditEntry.at >= wanted.since)
    if wanted.until is not None:
        in_range.append(AuditEntry.at < wanted.until)
    if in_range:
        query = query.where(*in_range)
        if dialect == "sqlite":
            query = query.where(*_id_bounds(in_range))
    if wanted.before_id is not None:
        query = query.where(AuditEntry.id < wanted.before_id)
    return query.order_by(AuditEntry.id.desc()).limit(wanted.limit)


def _id_bounds(in_range: list[ColumnElement[bool]]) -> tuple[ColumnElement[bool], ...]:
    """The ids of the entries in a time range, as a range of ids (SQLite only).

    Without table statistics SQLite reads a time range through the time index and sorts it
    all by id (a week a year back in a million entries: tens of milliseconds, a year: a
    second). Bounding the id by the range's smallest and largest ids (read from the time
    index alone, in the same statement) lets it walk the id order and stop at the page's
    end. The bounds are exact even where later ids carry earlier times (access events keep
    the moment they were noted; desks' clocks differ). PostgreSQL plans the plain range
    well, and there the bounds would cost more than they save.
    """
    lowest = select(func.min(AuditEntry.id)).where(*in_range).scalar_subquery()
    highest = select(func.max(AuditEntry.id)).where(*in_range).scalar_subquery()
    return AuditEntry.id >= lowest, AuditEntry.id <= highest
