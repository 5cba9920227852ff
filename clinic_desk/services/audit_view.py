"""Audit entries as plain values for the UI."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from clinic_desk.services.audit import entries_for


@dataclass(frozen=True)
class AuditRecord:
    """One audit entry."""

    at: datetime
    actor: str
    action: str
    patient_id: int | None
    before: dict[str, Any]
    after: dict[str, Any]
    note: str | None


def audit_records(session: Session, patient_id: int) -> list[AuditRecord]:
    """The patient's audit entries as plain values, oldest first."""
    return [
        AuditRecord(
            at=entry.at,
            actor=entry.actor,
            action=entry.action,
            patient_id=entry.patient_id,
            before=json.loads(entry.before) if entry.before else {},
            after=json.loads(entry.after) if entry.after else {},
            note=entry.note,
        )
        for entry in entries_for(session, patient_id)
    ]
