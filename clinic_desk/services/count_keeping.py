"""Keep the colour counts in step with every change, in the change's own transaction.

ORM changes to charts and accounts are noticed by session hooks; a Core UPDATE of a
fact the colour reads (a login) calls :func:`touch`. Just before COMMIT the touched
charts are re-classified (db/status_counts.py says how the counts are kept).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, SessionTransaction

from clinic_desk.db import status_counts
from clinic_desk.db.models import Patient, PortalAccount, PortalToken
from clinic_desk.services.settings import ClinicSettings

_TOUCHED = "clinic_desk.touched_charts"
_PLACEHOLDERS = "clinic_desk.placeholders"
_EMAIL_KEYS = "clinic_desk.touched_email_keys"  # a chart came or went: its twins' shared_email may change


def placeholders_of(settings: ClinicSettings) -> status_counts.Placeholders:
    """The placeholder settings the kept trouble spots are decided with."""
    return status_counts.Placeholders(settings.placeholder_domain, settings.placeholder_addresses)


def use_placeholders(session: Session, placeholders: status_counts.Placeholders) -> None:
    """The clinic's placeholder settings, which some kept trouble spots depend on."""
    session.info[_PLACEHOLDERS] = placeholders


def touch(session: Session, patient_id: int) -> None:
    """A statement the session's hooks cannot see changed this chart's colour facts."""
    session.info.setdefault(_TOUCHED, set()).add(patient_id)


def keep_in_step(session: Session) -> None:
    """Re-classify the charts this transaction touched (called before COMMIT)."""
    if session.in_nested_transaction():
        return  # a savepoint: the outermost commit does it
    session.flush()
    touched: set[int] = session.info.pop(_TOUCHED, set())
    keys: set[str] = session.info.pop(_EMAIL_KEYS, set())
    placeholders = session.info.get(_PLACEHOLDERS, status_counts.Placeholders())
    connection = session.connection()
    touched |= status_counts.twins_to_recheck(connection, keys)
    status_counts.reclassify(connection, touched, placeholders)


def _noticed(session: Session, flush_context: Any) -> None:
    touched: set[int] = session.info.setdefault(_TOUCHED, set())
    keys: set[str] = session.info.setdefault(_EMAIL_KEYS, set())
    for row in (*session.new, *session.dirty):
        if isinstance(row, Patient):
            touched.add(row.id)
            history = inspect(row).attrs.email_key.history
            keys.update(key for key in (*history.added, *history.deleted) if key)
        elif isinstance(row, PortalAccount | PortalToken):
            touched.add(row.patient_id)  # a first link ends no_invitation_sent


def _deleting(session: Session, flush_context: Any, instances: Any) -> None:
    gone = {row.id for row in session.deleted if isinstance(row, Patient)}
    gone |= {row.patient_id for row in session.deleted if isinstance(row, PortalAccount)}
    if gone:
        rows = session.execute(
            select(PortalAccount.status_class, Patient.email_key)
            .join(Patient, Patient.id == PortalAccount.patient_id)
            .where(PortalAccount.patient_id.in_(gone))
        ).all()
        status_counts.forget(session.connection(), [row.status_class for row in rows])
        session.info.setdefault(_TOUCHED, set()).difference_update(gone)
        session.info.setdefault(_EMAIL_KEYS, set()).update(row.email_key for row in rows if row.email_key)


def _forget(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the action ended (rolled back): nothing to count
        for key in (_TOUCHED, _EMAIL_KEYS, _PLACEHOLDERS):
            session.info.pop(key, None)


event.listen(Session, "before_flush", _deleting)
event.listen(Session, "after_flush", _noticed)
event.listen(Session, "before_commit", keep_in_step)
event.listen(Session, "after_transaction_end", _forget)
