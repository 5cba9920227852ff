"""The patient's photo in the dash's photo block: stored with an audit entry of its size, type and hash."""

from __future__ import annotations

from sqlalchemy.orm import Session

from clinic_desk.db.models import PatientPhoto
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.roles import Permission
from clinic_desk.services import audit
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.permissions import authorize
from clinic_desk.services.records import get_patient, photo_audit_fields

MAX_PHOTO_BYTES = 5_000_000


def set_photo(
    session: Session, ctx: ServiceContext, patient_id: int, image: bytes, *, actor: str, media_type: str
) -> None:
    """Store the patient's photo; the audit entry keeps the old and new photo's size, type and hash."""
    if not image or len(image) > MAX_PHOTO_BYTES:
        raise ValidationError("Photo: choose an image smaller than 5 MB.", field="photo")
    actor_name = authorize(session, actor, Permission.CHART_WORK)
    get_patient(session, patient_id)
    row = session.get(PatientPhoto, patient_id)
    before = photo_audit_fields(bytes(row.image), row.media_type) if row else None
    if row is None:
        session.add(
            PatientPhoto(patient_id=patient_id, image=image, media_type=media_type, taken_at=ctx.now())
        )
    else:
        row.image, row.media_type, row.taken_at = image, media_type, ctx.now()
    audit.record(
        session,
        at=ctx.now(),
        actor=actor_name,
        action="set_photo",
        patient_id=patient_id,
        before=before or photo_audit_fields(None, None),
        after=photo_audit_fields(image, media_type),
    )
