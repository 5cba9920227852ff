"""Write one batch of cleaned import rows in the caller's transaction.

A batch's MRNs are looked up at once. New charts are inserted the fast way
(``db.bulk_insert``) with the same checks and starting portal state as ``add_patient``;
known charts change through the rules staff edits use (``chart_rules.apply_chart`` and
``chart_rules.apply_status``), one audit entry per created or changed chart (its contact
details and status together).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final, cast

from sqlalchemy import Table, select, text
from sqlalchemy.orm import Session

from clinic_desk.db import status_counts
from clinic_desk.db.bulk_insert import insert_rows
from clinic_desk.db.models import ImportedValues, Patient, PortalAccount
from clinic_desk.domain import codes
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.import_rows import Cleaned, field_label, fields_to_apply, stored_text
from clinic_desk.domain.patient_import import ImportReport
from clinic_desk.domain.search_keys import email_key, name_key, phone_key
from clinic_desk.services import audit
from clinic_desk.services.bulk_load import reserve_ids
from clinic_desk.services.chart_rules import apply_chart, apply_status
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.count_keeping import placeholders_of
from clinic_desk.services.staff import starting_access

_PATIENTS = cast(Table, Patient.__table__)
_ACCOUNTS = cast(Table, PortalAccount.__table__)
_VALUES = cast(Table, ImportedValues.__table__)
_CHART_FIELDS: Final = (
    "first_name", "last_name", "preferred_name", "date_of_birth", "sex", "email", "phone",
    "address_line1", "address_line2", "city", "state", "zip_code", "preferred_language",
)  # fmt: skip
_PATIENT_COLUMNS: Final = (
    "id", "mrn", *_CHART_FIELDS, "status", "created_via", "first_key", "last_key", "email_key",
    "phone_digits", "created_at", "updated_at", "version",
)  # fmt: skip
_ACCOUNT_COLUMNS: Final = (
    "patient_id", "access_enabled", "access_off_reason", "access_changed_by", "access_changed_at",
    "must_change_password", "login_count", "failed_logins", "version",
)  # fmt: skip

Batch = Sequence[tuple[int, Cleaned]]  # (row number, cleaned values)


def write_batch(
    session: Session, ctx: ServiceContext, batch: Batch, *, actor: str, note: str, report: ImportReport
) -> None:
    """Create or update the batch's charts; the outcomes go into ``report``."""
    now = ctx.now()
    if session.connection().dialect.name == "postgresql":
        # The batch's lookups are IN lists of a thousand values. psycopg prepares a statement
        # run five times, and PostgreSQL's generic plan for it compares each row with every
        # parameter in turn (no hashed list): the MRN lookup became a seq scan costing seconds
        # per batch at 100k charts. A custom plan per statement sees the values: index scans.
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    mrns = [values["mrn"] for _, values in batch]
    known = {p.mrn: p for p in session.scalars(select(Patient).where(Patient.mrn.in_(mrns)))}
    new = [(number, values) for number, values in batch if values["mrn"] not in known]
    if new:
        _create(session, ctx, new, actor=actor, now=now, report=report)
    if known:
        _update(session, batch, known, actor=actor, now=now, note=note, report=report)


def _create(
    session: Session, ctx: ServiceContext, new: Batch, *, actor: str, now: datetime, report: ImportReport
) -> None:
    connection = session.connection()
    twins = _possible_duplicates(session, [values for _, values in new])
    first_id = reserve_ids(connection, len(new))
    patients, accounts, kept = [], [], []
    for n, (_, values) in enumerate(new):
        pid = first_id + n
        chart = {name: values.get(name) for name in _CHART_FIELDS}
        chart["preferred_language"] = chart["preferred_language"] or "en"
        status = values.get("status", codes.ACTIVE)
        patients.append(
            (pid, values["mrn"], *chart.values(), status, codes.CREATED_BY_IMPORT,
             name_key(values["first_name"]), name_key(values["last_name"]), email_key(chart["email"]),
             phone_key(chart["phone"]), now, now, 1)
        )  # fmt: skip
        enabled, off_reason = starting_access(status, chart["email"], chart["zip_code"])
        accounts.append(
            (pid, enabled, off_reason, actor if enabled else None, now if enabled else None, False, 0, 0, 1)
        )
        kept.append((pid, json.dumps(stored_text(values)), now))
        after = {
            "mrn": values["mrn"],
            "status": status,
            "created_via": codes.CREATED_BY_IMPORT,
            "access_enabled": enabled,
        }
        audit.record(session, at=now, actor=actor, action="import_patient", patient_id=pid,
                     after={**after, **{k: chart[k] for k in ("email", "zip_code", "phone")}})  # fmt: skip
        report.created.append(pid)
        key = (name_key(values["first_name"]), name_key(values["last_name"]), values["date_of_birth"])
        for other_mrn in twins.get(key, ()):
            if other_mrn != values["mrn"]:
                report.flagged.append(
                    (
                        pid,
                        f"Possible duplicate of the chart with MRN {other_mrn}: same name and date of birth.",
                    )
                )
    postgres = connection.dialect.name == "postgresql"
    if postgres:  # new charts are on nobody's screen: no notification per row (as bulk loads do)
        connection.exec_driver_sql("SET LOCAL clinic_desk.bulk = 'on'")
    insert_rows(connection, _PATIENTS, _PATIENT_COLUMNS, patients)
    insert_rows(connection, _ACCOUNTS, _ACCOUNT_COLUMNS, accounts)
    insert_rows(connection, _VALUES, ("patient_id", "field_values", "imported_at"), kept)
    status_counts.classify_unclassified(connection, placeholders_of(ctx.settings))
    if postgres:  # the updates that follow reach the open dashes again
        connection.exec_driver_sql("SET LOCAL clinic_desk.bulk = 'off'")


def _possible_duplicates(session: Session, rows: list[Cleaned]) -> dict[tuple[Any, ...], list[str]]:
    """Charts already there with the same first name, last name and date of birth: key -> MRNs."""
    keys = {(name_key(v["first_name"]), name_key(v["last_name"]), v["date_of_birth"]) for v in rows}
    # Plain IN lists per column (the name index serves them); the exact triples are picked below.
    query = select(Patient.first_key, Patient.last_key, Patient.date_of_birth, Patient.mrn).where(
        Patient.last_key.in_({last for _, last, _ in keys}),
        Patient.first_key.in_({first for first, _, _ in keys}),
        Patient.date_of_birth.in_({born for _, _, born in keys}),
    )
    found: dict[tuple[Any, ...], list[str]] = {}
    for first, last, born, mrn in session.execute(query):
        if (first, last, born) in keys:
            found.setdefault((first, last, born), []).append(mrn)
    return found


def _update(
    session: Session,
    batch: Batch,
    known: dict[str, Patient],
    *,
    actor: str,
    now: datetime,
    note: str,
    report: ImportReport,
) -> None:
    ids = [p.id for p in known.values()]
    accounts = {
        a.patient_id: a
        for a in session.scalars(select(PortalAccount).where(PortalAccount.patient_id.in_(ids)))
    }
    kept = {
        v.patient_id: v
        for v in session.scalars(select(ImportedValues).where(ImportedValues.patient_id.in_(ids)))
    }
    for number, values in batch:
        patient = known.get(values["mrn"])
        if patient is None:  # created in this batch
            continue
        brought = stored_text(values)
        row = kept.get(patient.id)
        previous: dict[str, str] | None = json.loads(row.field_values) if row is not None else None
        on_chart = stored_text(
            {n: getattr(patient, n) for n in (*_CHART_FIELDS, "status") if getattr(patient, n) is not None}
        )
        apply = fields_to_apply(brought, previous, on_chart)
        account = accounts[patient.id]
        changes = {n: values[n] for n in apply if n != "status"}
        while True:
            try:
                before, after = apply_chart(session, patient, account, changes, now=now)
                break
            except ValidationError as error:  # a clear the portal refuses (checked before writing)
                name = error.field
                if name is None or name not in changes or changes[name] is not None:
                    raise
                report.warnings.append((number, f"{field_label(name)} was not cleared: {error}"))
                del changes[name], brought[name]  # not brought: tried again next time
                apply.remove(name)
        # An import never brings a chart back from Deceased (DESIGN.md section 6).
        if "status" in apply and patient.status != codes.DECEASED:
            was, now_is = apply_status(
                session, patient, account, values["status"], actor=actor, now=now, note=note
            )
            before, after = {**before, **was}, {**after, **now_is}
        if after:  # one entry for the whole change: contact details and status together
            audit.record(session, at=now, actor=actor, action="import_update", patient_id=patient.id,
                         before=before, after=after, note=note)  # fmt: skip
        (report.updated if after else report.unchanged).append(patient.id)
        remembered = {**(previous or {}), **brought}
        if row is None:
            session.add(
                ImportedValues(patient_id=patient.id, field_values=json.dumps(remembered), imported_at=now)
            )
        elif remembered != previous:
            row.field_values, row.imported_at = json.dumps(remembered), now
