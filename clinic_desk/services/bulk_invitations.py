"""Invitations in bulk (DESIGN.md section 6): each patient its own transaction, nobody invited twice.

The actor is checked once, before anything is written. Then each patient is locked,
checked again and invited in a transaction of its own, so a cancel or a crash leaves
every patient either invited (email queued, audit entry written) or untouched. Two desks
running overlapping batches take turns on each patient's rows: the later one sees the
earlier one's queued invitation and skips the patient. The batch ends with one audit
entry of its own (ids and counts only).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desk.db.models import OutboxEmail, Patient, PortalAccount, PortalToken
from clinic_desk.domain.codes import EmailStatus
from clinic_desk.domain.errors import ConflictError, DatabaseBusy, NotAllowed, NotFound, ValidationError
from clinic_desk.domain.invitations import why_skip_in_bulk
from clinic_desk.domain.record_ids import is_storable_id
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.roster import InvitationReport
from clinic_desk.services import audit, requests
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.database import ClinicDatabase
from clinic_desk.services.link_life import PASSWORD_LINKS
from clinic_desk.services.permissions import authorize
from clinic_desk.services.staff_login import check_can_invite, queue_invitation

#: progress(done, total) after each patient; returning False cancels the rest.
Progress = Callable[[int, int], bool | None]
BATCH_ACTION = "send_invitations"
PREVIEW_CHUNK = 500  # charts a dry run reads at once (an IN list every database takes)


def send_invitations(
    db: ClinicDatabase,
    patient_ids: Iterable[int],
    *,
    actor: str,
    dry_run: bool = False,
    progress: Progress | None = None,
    request_id: str | None = None,
) -> InvitationReport:
    """Invite each patient in their own transaction; say who was skipped and why.

    ``dry_run`` writes nothing and says what would happen. A repeated ``request_id``
    (a batch that finished) returns the first report and invites nobody.

    Raises:
        ValidationError: an id that is not a whole number, or a bad request id.
        NotAllowed: the actor may not send invitations in bulk (nothing is written).
        DatabaseUnavailable: the database stopped answering; the patients invited before
            that stay invited (a run again skips them), nobody is half-invited.
    """
    ids = _unique_ids(patient_ids)
    request = requests.clean_request_id(request_id)
    actor_name = db.read(lambda session, _ctx: authorize(session, actor, Permission.BULK_INVITATIONS))
    if request is not None and not dry_run:
        earlier = db.read(lambda session, _ctx: requests.earlier_result(session, request, BATCH_ACTION))
        if requests.was_done(earlier):
            return report_from_json(earlier)
    report = InvitationReport(dry_run=dry_run)
    total = len(ids)
    # The preview's read decides who is skipped; whoever it would invite is checked again
    # under the lock in their own transaction (the preview may be seconds old by then).
    verdicts = _previews(db, ids)
    if not dry_run:
        verdicts = ((pid, why if why else _invite_one(db, pid, actor_name)) for pid, why in verdicts)
    for done, (patient_id, why) in enumerate(verdicts, 1):
        if why is None:
            report.queued.append(patient_id)
        else:
            report.skipped.append((patient_id, why))
        if progress is not None and progress(done, total) is False and done < total:
            report.cancelled = True
            break
    if not dry_run:
        db.run(
            lambda session, ctx: _record_batch(session, ctx, actor_name, report, total),
            request_id=request,
            name=BATCH_ACTION,
        )
    return report


def _invite_one(db: ClinicDatabase, patient_id: int, actor: str) -> str | None:
    """Invite one patient in a transaction of their own: None when invited, otherwise why not."""
    try:
        return db.run(lambda session, ctx: _check_and_invite(session, ctx, patient_id, actor))
    except (NotFound, NotAllowed, ConflictError, DatabaseBusy) as refused:
        # Nothing was written for this patient; the batch goes on with the next one.
        return refused.message


def _check_and_invite(session: Session, ctx: ServiceContext, patient_id: int, actor: str) -> str | None:
    if session.get_bind().dialect.name in ("mysql", "mariadb"):
        # MariaDB's default (REPEATABLE READ) would read from the transaction's first snapshot
        # and lock the gaps between index entries: two desks inserting emails for neighbouring
        # charts then deadlock. READ COMMITTED, for this transaction only, reads like PostgreSQL.
        session.connection(execution_options={"isolation_level": "READ COMMITTED"})
    # Locked in the order a chart edit takes them (patient, then account), so desks queue
    # instead of deadlocking; what follows reads what the previous holder committed.
    patient = _locked(session, Patient, patient_id)
    account = _locked(session, PortalAccount, patient_id)
    if patient is None or account is None:
        raise NotFound(_unknown(patient_id))
    emails, links = _link_facts(session, [patient_id])
    why = _verdict(ctx, patient, account, emails.get(patient_id, []), links.get(patient_id, []))
    if why is None:
        queue_invitation(session, ctx, patient, account, actor=actor, batch=True)
    return why


def _previews(db: ClinicDatabase, ids: list[int]) -> Iterator[tuple[int, str | None]]:
    """What a batch would do, read a chunk of charts at a time (three statements a chunk)."""
    for start in range(0, len(ids), PREVIEW_CHUNK):
        part = ids[start : start + PREVIEW_CHUNK]
        yield from db.read(functools.partial(_preview_chunk, ids=part))


def _preview_chunk(session: Session, ctx: ServiceContext, *, ids: list[int]) -> list[tuple[int, str | None]]:
    wanted = [patient_id for patient_id in ids if is_storable_id(patient_id)]
    charts = {
        patient.id: (patient, account)
        for patient, account in session.execute(
            select(Patient, PortalAccount)
            .join(PortalAccount, PortalAccount.patient_id == Patient.id)
            .where(Patient.id.in_(wanted))
        ).all()
    }
    emails, links = _link_facts(session, wanted)
    said: list[tuple[int, str | None]] = []
    for patient_id in ids:
        if patient_id not in charts:
            said.append((patient_id, _unknown(patient_id)))
            continue
        patient, account = charts[patient_id]
        facts = emails.get(patient_id, []), links.get(patient_id, [])
        said.append((patient_id, _verdict(ctx, patient, account, *facts)))
    return said


def _verdict(
    ctx: ServiceContext, patient: Patient, account: PortalAccount, emails: list[Any], links: list[datetime]
) -> str | None:
    """Why this patient is left out, or None: the rules of any invitation, then the batch's own."""
    try:
        check_can_invite(patient, account, ctx)
    except NotAllowed as refused:
        return refused.message
    invited = [row.sent_at or row.queued_at for row in emails if row.status != EmailStatus.CANCELLED]
    return why_skip_in_bulk(
        name=patient.full_name,
        now=ctx.now(),
        skip_days=ctx.settings.bulk_invite_skip_days,
        last_login_at=account.last_login_at,
        invitation_queued=any(row.status == EmailStatus.QUEUED for row in emails),
        live_link_until=max(links, default=None),
        last_invited_at=max(invited, default=None),
    )


def _link_facts(session: Session, ids: list[int]) -> tuple[dict[int, list[Any]], dict[int, list[datetime]]]:
    """The invitation and reset emails (status, queued, sent) and unused, unrevoked links' ends, by chart."""
    emails: dict[int, list[Any]] = {}
    links: dict[int, list[datetime]] = {}
    if not ids:
        return emails, links
    for row in session.execute(
        select(OutboxEmail.patient_id, OutboxEmail.status, OutboxEmail.queued_at, OutboxEmail.sent_at).where(
            OutboxEmail.patient_id.in_(ids), OutboxEmail.kind.in_(PASSWORD_LINKS)
        )
    ):
        emails.setdefault(row.patient_id, []).append(row)
    for patient_id, expires_at in session.execute(
        select(PortalToken.patient_id, PortalToken.expires_at).where(
            PortalToken.patient_id.in_(ids),
            PortalToken.kind.in_(PASSWORD_LINKS),
            PortalToken.used_at.is_(None),
            PortalToken.revoked_at.is_(None),
        )
    ):
        links.setdefault(patient_id, []).append(expires_at)
    return emails, links


def _unknown(patient_id: int) -> str:
    return f"No patient with id {patient_id} was found. They may have been merged."


def _locked(session: Session, model: type[Any], patient_id: int) -> Any:
    """The row, locked until commit (SQLite: the transaction already holds the file)."""
    if not is_storable_id(patient_id):
        return None
    key = model.id if model is Patient else model.patient_id
    query = select(model).where(key == patient_id).execution_options(populate_existing=True)
    return session.scalars(query.with_for_update()).first()


def _record_batch(
    session: Session, ctx: ServiceContext, actor: str, report: InvitationReport, total: int
) -> dict[str, Any]:
    """The batch's own audit entry: counts and chart ids only. Returns the report as JSON."""
    audit.record(
        session,
        at=ctx.now(),
        actor=actor,
        action=BATCH_ACTION,
        patient_id=None,
        after={
            "requested": total,
            "queued": len(report.queued),
            "skipped": len(report.skipped),
            "cancelled": report.cancelled,
            "queued_ids": report.queued,
            "skipped_ids": [patient_id for patient_id, _why in report.skipped],
        },
    )
    return asdict(report)


def report_from_json(stored: Any) -> InvitationReport:
    """A report stored with a request id, read back."""
    return InvitationReport(
        queued=[int(patient_id) for patient_id in stored["queued"]],
        skipped=[(int(patient_id), str(why)) for patient_id, why in stored["skipped"]],
        cancelled=bool(stored["cancelled"]),
        dry_run=bool(stored["dry_run"]),
    )


def _unique_ids(patient_ids: Iterable[int]) -> list[int]:
    """The ids in their order, each once; ValidationError for anything but whole numbers."""
    seen: dict[int, None] = {}
    for patient_id in patient_ids:
        if isinstance(patient_id, bool) or not isinstance(patient_id, int):
            raise ValidationError("Patient ids: give whole numbers (chart ids).", field="patient_ids")
        seen.setdefault(patient_id, None)
    return list(seen)
