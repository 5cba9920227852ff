"""Small builders that make scenario tests read like the clinic's day."""

from __future__ import annotations

from clinic_desk import Clinic

STAFF = "frontdesk"
GOOD_PASSWORD = "blue-harbor-42"


def add_ready_patient(clinic: Clinic, first: str = "Ana", last: str = "Lopez", **extra: object) -> int:
    """A chart with email and ZIP code (portal access starts on)."""
    fields: dict[str, object] = {
        "first_name": first,
        "last_name": last,
        "date_of_birth": "1984-06-02",
        "email": f"{first.lower()}.{last.lower()}@example.com",
        "zip_code": "02139",
        "actor": STAFF,
    }
    fields.update(extra)
    return clinic.staff.add_patient(**fields)


def add_invited_patient(clinic: Clinic, first: str = "Ana", last: str = "Lopez", **extra: object) -> int:
    """A ready chart (see add_ready_patient) whose invitation email is queued."""
    patient_id = add_ready_patient(clinic, first, last, **extra)
    clinic.staff.send_invitation(patient_id, actor=STAFF)
    return patient_id


def token_of(link: str | None) -> str:
    """The token at the end of an emailed link."""
    assert link is not None and "?token=" in link
    return link.rsplit("?token=", 1)[1]


def newest_token(clinic: Clinic, patient_id: int) -> str:
    """The token in the newest email to this patient."""
    return token_of(clinic.mail.outbox(patient_id)[0].link)


def register_online(clinic: Clinic, **changes: object) -> int:
    """A new patient registers on the portal."""
    fields: dict[str, object] = {
        "first_name": "Maria",
        "last_name": "Garcia",
        "date_of_birth": "1990-01-15",
        "email": "maria.garcia@example.com",
        "zip_code": "60614",
        "username": "mariag",
        "password": GOOD_PASSWORD,
    }
    fields.update(changes)
    return clinic.portal.self_register(**fields)


def make_blue(clinic: Clinic, patient_id: int, username: str = "ana.lopez") -> None:
    """Invite the patient, accept the invitation and log in once."""
    clinic.staff.send_invitation(patient_id, actor=STAFF)
    clinic.portal.accept_invitation(
        newest_token(clinic, patient_id), username=username, password=GOOD_PASSWORD
    )
    assert clinic.portal.login(username, GOOD_PASSWORD)
