"""The rules a chart's change follows, whoever makes it: staff at the desk or an import.

One home for each (DESIGN.md section 1): an email change kills the links to the old
address, the portal keeps what it needs while access is on, Inactive or Deceased turns
access off and ends every link; one audit entry per change (an import's change of
contact details and status together is one change: ``apply_chart`` and ``apply_status``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from clinic_desk.db.models import Patient, PortalAccount
from clinic_desk.domain import codes
from clinic_desk.domain.access import status_allows_portal
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.links import EndReason
from clinic_desk.domain.search_keys import email_key, name_key, phone_key
from clinic_desk.domain.switch_off import note_needed_for_status
from clinic_desk.services import audit
from clinic_desk.services.link_life import ALL_LINKS, EMAILED_LINKS, end_links
from clinic_desk.services.records import access_audit_fields


def set_search_keys(patient: Patient) -> None:
    """Refresh the folded copies the search uses."""
    patient.first_key = name_key(patient.first_name)
    patient.last_key = name_key(patient.last_name)
    patient.email_key = email_key(patient.email)
    patient.phone_digits = phone_key(patient.phone)


Change = tuple[dict[str, Any], dict[str, Any]]  # (before, after) of the fields that changed


def change_chart(
    session: Session,
    patient: Patient,
    account: PortalAccount,
    changes: dict[str, Any],
    *,
    actor: str,
    now: datetime,
    note: str | None = None,
    action: str = "update_contact",
) -> list[str]:
    """Write checked values onto a chart (staff edits and imports share this rule); the
    fields that changed.

    The portal keeps what it needs while access is on; an email change kills every link
    and queued email to another address (DESIGN.md section 1); one audit entry.
    """
    before, after = apply_chart(session, patient, account, changes, now=now)
    if after:
        audit.record(session, at=now, actor=actor, action=action, patient_id=patient.id,
                     before=before, after=after, note=note)  # fmt: skip
    return list(after)


def apply_chart(
    session: Session, patient: Patient, account: PortalAccount, changes: dict[str, Any], *, now: datetime
) -> Change:
    """``change_chart`` without its audit entry (the caller records one for the whole change)."""
    if account.access_enabled:
        for name, needed, instead in (
            ("email", "an email address", "a placeholder email"),
            ("zip_code", "a ZIP code", "a ZIP code"),
        ):
            if name in changes and changes[name] is None:
                raise ValidationError(
                    f"The portal needs {needed} while portal access is on. Turn portal access "
                    f"off first, or enter {instead}.",
                    field=name,
                )
    changes = {name: value for name, value in changes.items() if getattr(patient, name) != value}
    if not changes:
        return {}, {}
    before = {name: getattr(patient, name) for name in changes}
    for name, value in changes.items():
        setattr(patient, name, value)
    set_search_keys(patient)
    patient.updated_at = now
    session.flush()
    if "email" in changes:  # links and queued emails to any other address die
        end_links(
            session,
            patient.id,
            EMAILED_LINKS,
            EndReason.EMAIL_CHANGED,
            now,
            unless_sent_to=patient.email or "",
        )
    return before, changes


def change_status(
    session: Session,
    patient: Patient,
    account: PortalAccount,
    status: str,
    *,
    actor: str,
    now: datetime,
    note: str | None,
    action: str = "set_patient_status",
) -> bool:
    """Set a checked status (staff and imports share this rule); False when it was already so.

    Inactive or deceased turns portal access off and ends every link.
    """
    before, after = apply_status(session, patient, account, status, actor=actor, now=now, note=note)
    if after:
        audit.record(session, at=now, actor=actor, action=action, patient_id=patient.id,
                     before=before, after=after, note=note)  # fmt: skip
    return bool(after)


def apply_status(
    session: Session,
    patient: Patient,
    account: PortalAccount,
    status: str,
    *,
    actor: str,
    now: datetime,
    note: str | None,
) -> Change:
    """``change_status`` without its audit entry: (before, after) of the status and the access
    fields, both empty when the status was already so."""
    if patient.status == status:
        return {}, {}
    why_note = note_needed_for_status(patient.status, status)
    if why_note and not note:
        raise ValidationError(why_note, field="note")
    before = {"status": patient.status, **access_audit_fields(account)}
    patient.status = status
    patient.updated_at = now
    if not status_allows_portal(status) and account.access_enabled:
        account.access_enabled = False
        account.access_off_reason = codes.OFF_NOT_ENABLED
        account.access_changed_by = actor
        account.access_changed_at = now
        account.access_note = f"Turned off because the patient was marked {status}."
    if status in _ENDS_LINKS:
        end_links(session, patient.id, ALL_LINKS, _ENDS_LINKS[status], now)
    session.flush()
    return before, {"status": status, **access_audit_fields(account)}


# Statuses that end every link and queued email, and the reason they keep.
_ENDS_LINKS = {codes.INACTIVE: EndReason.PATIENT_INACTIVE, codes.DECEASED: EndReason.PATIENT_DECEASED}
