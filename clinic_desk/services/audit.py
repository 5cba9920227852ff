"""The audit log: one entry per action, written in the action's own transaction (hash-chained)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desk.db.models import AuditEntry, PortalAccount
from clinic_desk.services import audit_chain
from clinic_desk.services.records import access_audit_fields

# Never written to the audit log, whatever a caller passes.
_SECRET_KEYS = frozenset({"password", "password_hash", "token", "token_hash"})


def _dump(values: Mapping[str, Any] | None) -> str | None:
    if values is None:
        return None
    clean = {k: v for k, v in values.items() if k not in _SECRET_KEYS}
    return json.dumps(clean, default=str, sort_keys=True)


def record(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    patient_id: int | None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    note: str | None = None,
) -> None:
    """Append one audit entry: hashed onto the chain when the action's transaction commits."""
    audit_chain.queue(
        session,
        audit_chain.PendingEntry(
            at=at,
            actor=actor,
            action=action,
            patient_id=patient_id,
            before=_dump(before),
            after=_dump(after),
            note=note,
        ),
    )


def record_access_change(
    session: Session,
    account: PortalAccount,
    before: Mapping[str, Any] | None,
    *,
    at: datetime,
    actor: str,
    action: str,
    note: str | None = None,
) -> None:
    """Write the account's changes, then log them: ``before`` against the account as it is now."""
    session.flush()
    record(
        session,
        at=at,
        actor=actor,
        action=action,
        patient_id=account.patient_id,
        before=before,
        after=access_audit_fields(account),
        note=note,
    )


def entries_for(session: Session, patient_id: int) -> list[AuditEntry]:
    """The patient's audit entries, oldest first."""
    query = select(AuditEntry).where(AuditEntry.patient_id == patient_id).order_by(AuditEntry.id)
    return list(session.scalars(query))
