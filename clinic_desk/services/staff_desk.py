"""Front-desk actions of the facade (``clinic.staff``): each call is one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

from sqlalchemy import exists, select

from clinic_desk.db import search
from clinic_desk.db.models import Patient, PatientPhoto
from clinic_desk.domain import codes
from clinic_desk.domain.activation_codes import ActivationCode
from clinic_desk.domain.chart import PatientChart, PatientSummary
from clinic_desk.domain.errors import NotFound
from clinic_desk.domain.patient_import import ImportPreview, ImportReport
from clinic_desk.domain.roster import InvitationReport
from clinic_desk.domain.text_rules import is_acceptable, printable_prefix
from clinic_desk.domain.unset import UNSET, Unset
from clinic_desk.services import (
    activation,
    bulk_invitations,
    duplicates,
    patient_import,
    photos,
    staff,
    staff_login,
)
from clinic_desk.services.audit_view import AuditRecord, audit_records
from clinic_desk.services.bulk_invitations import Progress
from clinic_desk.services.database import ClinicDatabase
from clinic_desk.services.import_report import save_import_report
from clinic_desk.services.records import chart_of, get_patient
from clinic_desk.services.requests import clean_request_id
from clinic_desk.services.text_gate import checks_text


class StaffDesk:
    """Front-desk actions (``clinic.staff``).

    Every write call takes ``request_id=``: a string the caller makes once per user intention
    and sends again on retry; a repeated request id does nothing twice and returns the first
    result (:mod:`clinic_desk.services.requests`).
    """

    def __init__(self, db: ClinicDatabase) -> None:
        self._db = db

    @checks_text
    def add_patient(
        self,
        *,
        first_name: str,
        last_name: str,
        date_of_birth: date | str,
        actor: str,
        email: str | None = None,
        zip_code: str | None = None,
        preferred_name: str | None = None,
        sex: str | None = None,
        phone: str | None = None,
        address_line1: str | None = None,
        address_line2: str | None = None,
        city: str | None = None,
        state: str | None = None,
        status: str = codes.ACTIVE,
        created_via: str = codes.CREATED_BY_STAFF,
        request_id: str | None = None,
    ) -> int:
        """Create a chart; returns its patient id."""
        return self._db.run(
            lambda s, c: staff.add_patient(
                s,
                c,
                first_name=first_name,
                last_name=last_name,
                date_of_birth=date_of_birth,
                actor=actor,
                email=email,
                zip_code=zip_code,
                preferred_name=preferred_name,
                sex=sex,
                phone=phone,
                address_line1=address_line1,
                address_line2=address_line2,
                city=city,
                state=state,
                status=status,
                created_via=created_via,
            ),
            request_id=request_id,
            name="staff.add_patient",
        )

    @checks_text
    def update_contact(
        self,
        patient_id: int,
        *,
        actor: str,
        email: str | Unset | None = UNSET,
        zip_code: str | Unset | None = UNSET,
        phone: str | Unset | None = UNSET,
        address_line1: str | Unset | None = UNSET,
        address_line2: str | Unset | None = UNSET,
        city: str | Unset | None = UNSET,
        state: str | Unset | None = UNSET,
        preferred_name: str | Unset | None = UNSET,
        expected_version: int | None = None,
        note: str | None = None,
        request_id: str | None = None,
    ) -> int:
        """Change email, ZIP code, phone or address; returns the chart's new version.

        A field left out stays as it is; None clears it.
        """
        return self._db.run(
            lambda s, c: staff.update_contact(
                s,
                c,
                patient_id,
                actor=actor,
                email=email,
                zip_code=zip_code,
                phone=phone,
                address_line1=address_line1,
                address_line2=address_line2,
                city=city,
                state=state,
                preferred_name=preferred_name,
                expected_version=expected_version,
                note=note,
            ),
            request_id=request_id,
            name="staff.update_contact",
        )

    @checks_text
    def set_portal_access(
        self,
        patient_id: int,
        *,
        enabled: bool,
        actor: str,
        reason: str | None = None,
        note: str | None = None,
        request_id: str | None = None,
    ) -> None:
        """Turn the portal access switch on or off.

        Turning it off needs a ``reason``: "patient_request", "preventing_harm", "security",
        "deceased_or_duplicate" or "other" (with a note); turning it on ignores it. Undoing a
        colleague's switch-off needs a note.
        """
        self._db.run(
            lambda s, c: staff.set_portal_access(
                s, c, patient_id, enabled=enabled, actor=actor, reason=reason, note=note
            ),
            request_id=request_id,
            name="staff.set_portal_access",
        )

    @checks_text
    def set_patient_status(
        self,
        patient_id: int,
        status: str,
        *,
        actor: str,
        note: str | None = None,
        request_id: str | None = None,
    ) -> None:
        """Make the patient active, prospective, inactive or deceased (a note to leave deceased)."""
        self._db.run(
            lambda s, c: staff.set_patient_status(s, c, patient_id, status, actor=actor, note=note),
            request_id=request_id,
            name="staff.set_patient_status",
        )

    @checks_text
    def send_invitation(
        self, patient_id: int, *, actor: str, note: str | None = None, request_id: str | None = None
    ) -> int:
        """Queue an invitation (or a password reset when a username exists); returns the email id."""
        return self._db.run(
            lambda s, c: staff_login.send_invitation(s, c, patient_id, actor=actor, note=note),
            request_id=request_id,
            name="staff.send_invitation",
        )

    @checks_text
    def send_invitations(
        self,
        patient_ids: Iterable[int],
        *,
        actor: str,
        dry_run: bool = False,
        progress: Progress | None = None,
        request_id: str | None = None,
    ) -> InvitationReport:
        """Invite many patients, each in their own transaction (managers and administrators).

        Returns ``.queued`` [patient id] and ``.skipped`` [(patient id, why in plain words)]:
        deceased, inactive, access off, no or placeholder email, already using the portal,
        an invitation waiting or a link still working, invited in the last
        ``bulk_invite_skip_days``, no such chart. ``progress(done, total)`` is called after
        each patient; returning False stops there (``.cancelled``). ``dry_run`` writes nothing.
        A repeated ``request_id`` returns the first batch's report and invites nobody.
        """
        return bulk_invitations.send_invitations(
            self._db, patient_ids, actor=actor, dry_run=dry_run, progress=progress, request_id=request_id
        )

    @checks_text
    def resend_confirmation(
        self, patient_id: int, *, actor: str, note: str | None = None, request_id: str | None = None
    ) -> int:
        """Queue a new confirmation email for a registration waiting for it; returns the email id.

        The older confirmation link stops working. NotAllowed when the chart has no online
        registration waiting for confirmation.
        """
        return self._db.run(
            lambda s, c: staff_login.resend_confirmation(s, c, patient_id, actor=actor, note=note),
            request_id=request_id,
            name="staff.resend_confirmation",
        )

    @checks_text
    def set_credentials(
        self,
        patient_id: int,
        *,
        username: str,
        password: str,
        actor: str,
        note: str | None = None,
        request_id: str | None = None,
    ) -> None:
        """Set a username and temporary password by hand (must be changed at first login)."""
        self._db.run(
            lambda s, c: staff_login.set_credentials(
                s, c, patient_id, username=username, password=password, actor=actor, note=note
            ),
            request_id=request_id,
            name="staff.set_credentials",
        )

    @checks_text
    def unlock_account(
        self, patient_id: int, *, actor: str, note: str | None = None, request_id: str | None = None
    ) -> None:
        """Clear a lockout after too many failed logins."""
        self._db.run(
            lambda s, c: staff_login.unlock_account(s, c, patient_id, actor=actor, note=note),
            request_id=request_id,
            name="staff.unlock_account",
        )

    def import_patients(
        self,
        path: str | Path,
        *,
        actor: str,
        dry_run: bool = False,
        mapping: Mapping[str, str] | None = None,
        progress: patient_import.Progress | None = None,
        format: str | None = None,
        request_id: str | None = None,
        clear_empty: bool = False,
    ) -> ImportReport:
        """Import patients from a CSV or FHIR R4 file (DESIGN.md section 6); managers and admins.

        Matched by MRN: new ones create charts, known ones update them (a field the file leaves
        empty never erases unless ``clear_empty``: then an empty cell of a mapped optional field
        clears it; a re-import applies what the other system changed). Written in
        batches that commit as they go; ``progress(done, total)`` answering False cancels after
        the current batch. ``dry_run`` writes nothing and reports what would happen.
        """
        return patient_import.import_patients(
            self._db, path, actor=actor, dry_run=dry_run, mapping=mapping, progress=progress,
            format=format, request_id=request_id, clear_empty=clear_empty,
        )  # fmt: skip

    def preview_import(
        self,
        path: str | Path,
        *,
        mapping: Mapping[str, str] | None = None,
        format: str | None = None,
        rows: int = 20,
    ) -> ImportPreview:
        """The file's first rows as the import will store them (or why each will be rejected)."""
        return patient_import.preview_import(self._db, path, mapping=mapping, format=format, rows=rows)

    def save_import_mapping(self, mapping: Mapping[str, str], *, actor: str) -> dict[str, str]:
        """Keep a CSV column mapping (column -> field) as the clinic's default for next time."""
        return patient_import.save_import_mapping(self._db, mapping, actor=actor)

    def save_import_report(self, report: ImportReport, path: str | Path) -> int:
        """Save an import's report as CSV, readable by its owner only; the rows written.

        Blocking (a worker's job); ValidationError when the file cannot be made there.
        """
        return save_import_report(report, path)

    def find_patients(self, text: str, limit: int = 50) -> list[PatientSummary]:
        """Search by name, MRN, date of birth, email or phone.

        One statement, read outside a transaction (no BEGIN and COMMIT round trips): it runs
        at every keystroke.
        """
        return self._db.glance(lambda session, _ctx: search.find_patients(session, text, limit))

    @checks_text
    def possible_duplicates(
        self, *, first_name: str, last_name: str, date_of_birth: date | str
    ) -> list[PatientSummary]:
        """Charts with the same first and last name and date of birth (ask before adding another).

        Raises ``ValidationError`` for a name or date ``add_patient`` would refuse.
        """
        return self._db.read(
            lambda s, c: duplicates.same_name_and_birthday(
                s, c, first_name=first_name, last_name=last_name, date_of_birth=date_of_birth
            )
        )

    def chart(self, patient_id: int) -> PatientChart:
        """The patient's demographics and contact details."""
        with self._db.reading() as session:
            patient = get_patient(session, patient_id)
            # Whether there is a photo, without loading the image.
            has_photo = session.scalar(select(exists().where(PatientPhoto.patient_id == patient_id)))
            return chart_of(patient, bool(has_photo))

    def photo(self, patient_id: int) -> bytes | None:
        """The patient's photo (PNG or JPEG bytes), or None."""
        with self._db.reading() as session:
            row = session.get(PatientPhoto, patient_id)
            return bytes(row.image) if row else None

    @checks_text
    def set_photo(
        self,
        patient_id: int,
        image: bytes,
        *,
        actor: str,
        media_type: str = "image/png",
        request_id: str | None = None,
    ) -> None:
        """Store the patient's photo; the audit entry keeps the old and new photo's size, type and hash."""
        self._db.run(
            lambda s, c: photos.set_photo(s, c, patient_id, image, actor=actor, media_type=media_type),
            request_id=request_id,
            name="staff.set_photo",
        )

    @checks_text
    def issue_activation_code(
        self, patient_id: int, *, actor: str, request_id: str | None = None
    ) -> ActivationCode:
        """A new one-use code for the patient's printed activation letter (DESIGN.md section 7).

        8 characters without 0/O/1/I/L, valid ``activation_code_days``; stored only as a hash,
        so it is known only now. The patient's older code, invitation or reset link stops
        working. ``request_id`` is checked but not replayed (that would keep the code in clear):
        a retry issues a new code, which ends the first one.

        Raises:
            ValidationError: portal access is off ("Turn portal access on first.").
            NotAllowed: the patient is deceased or inactive, or the actor may not.
        """
        clean_request_id(request_id)
        return self._db.run(lambda s, c: activation.issue_activation_code(s, c, patient_id, actor=actor))

    def resolve_patient(self, ref: str | int) -> int:
        """A patient id from an id or MRN as typed."""
        text = str(ref).strip()
        found = None
        # Text no chart can have (too long, hidden characters) is simply not found.
        if is_acceptable(text, "ref") and text:
            with self._db.reading() as session:
                found = session.scalar(select(Patient.id).where(Patient.mrn == text))
                if found is None and text.isascii() and text.isdigit() and len(text) < 10:
                    found = session.scalar(select(Patient.id).where(Patient.id == int(text)))
        if found is None:
            raise NotFound(f"No patient with id or MRN '{printable_prefix(text)}' was found.")
        return int(found)

    def audit_trail(self, patient_id: int) -> list[AuditRecord]:
        """Who did what to this patient, oldest first."""
        with self._db.reading() as session:
            return audit_records(session, patient_id)
