"""The Clinic facade: one object the GUI, the CLI and tests drive (DESIGN.md section 3).

Every public call is one transaction: its change, audit entry and any email commit
together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Engine, exists, select
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from clinic_desk.db import schema, search, status_sql
from clinic_desk.db.change_stamp import change_stamp as db_change_stamp
from clinic_desk.db.engine import (
    default_url,
    describe,
    make_engine,
    make_session_factory,
    normalize_url,
)
from clinic_desk.db.match_candidates import match_candidates
from clinic_desk.db.models import Patient, PatientPhoto
from clinic_desk.db.portal_facts import load_portal_facts
from clinic_desk.domain.chart import PatientChart, PatientSummary
from clinic_desk.domain.codes import Color
from clinic_desk.domain.errors import ClinicDeskError, ConflictError, NotFound, ValidationError
from clinic_desk.domain.facts import PortalFacts
from clinic_desk.domain.match_check import MatchReport, check_match
from clinic_desk.domain.status import PortalStatus, evaluate
from clinic_desk.domain.troubleshooting import TroubleshootingPlan
from clinic_desk.domain.validation import parse_date
from clinic_desk.services import audit, delivery, portal, secret_store, smtp, staff
from clinic_desk.services.audit_view import AuditRecord, audit_records
from clinic_desk.services.context import Clock, ServiceContext, system_clock
from clinic_desk.services.outbox import OutboxMessage, outbox_for
from clinic_desk.services.records import chart_of, get_patient
from clinic_desk.services.settings import ClinicSettings, load_settings, save_settings
from clinic_desk.services.snapshot import (
    PatientSnapshot,
    TroubleshootingView,
    load_plan,
    load_snapshot,
    load_troubleshooting,
)
from clinic_desk.services.templates import check_templates

T = TypeVar("T")
UNSET = staff.UNSET


class DatabaseUnavailable(ClinicDeskError):
    """The database could not be reached or refused the connection."""


class Clinic:
    """A clinic's data, opened from a SQLAlchemy URL."""

    def __init__(self, engine: Engine, url: URL, clock: Clock, settings: ClinicSettings) -> None:
        self.engine = engine
        self.url = url
        self._sessions: sessionmaker[Session] = make_session_factory(engine)
        self._read_sessions: sessionmaker[Session] = make_session_factory(engine, read_only=True)
        self._ctx = ServiceContext(clock=clock, settings=settings)
        self.staff = StaffDesk(self)
        self.portal = PatientPortal(self)
        self.mail = MailRoom(self)

    @classmethod
    def open(
        cls,
        url: str | URL | None = None,
        *,
        clock: Clock | None = None,
        upgrade: bool = True,
        **settings: Any,
    ) -> Clinic:
        """Open (and create or upgrade) the clinic database at ``url``.

        ``clock`` is a callable returning an aware datetime; keyword settings
        (``invitation_days=...``) override the stored ones for this session only.
        """
        parsed = normalize_url(url or default_url())
        engine = make_engine(parsed)
        try:
            if upgrade:
                schema.upgrade(engine)
            else:
                schema.ensure_current(engine)
            with make_session_factory(engine)() as session:
                stored = load_settings(session)
        except DBAPIError as error:
            engine.dispose()
            raise DatabaseUnavailable(_connection_problem(parsed, error)) from error
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, parsed, clock or system_clock, stored.updated(**settings))

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()

    def __enter__(self) -> Clinic:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- plumbing -------------------------------------------------------------------------

    @property
    def ctx(self) -> ServiceContext:
        """The clock and settings this clinic runs with."""
        return self._ctx

    @property
    def settings(self) -> ClinicSettings:
        """The clinic's settings."""
        return self._ctx.settings

    def now(self) -> datetime:
        """The clinic clock's current time."""
        return self._ctx.now()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One user action: commit everything or nothing, and say failures in plain words."""
        try:
            with self._sessions.begin() as session:
                yield session
        except StaleDataError as error:
            raise ConflictError(
                "Someone else changed this patient at the same moment. Nothing was saved; "
                "reload and try again."
            ) from error
        except IntegrityError as error:
            raise ConflictError(
                "This change clashes with another record (for example a username or MRN "
                "that is already used). Nothing was saved."
            ) from error
        except DBAPIError as error:
            if error.connection_invalidated or _is_disconnect(error):
                raise DatabaseUnavailable(
                    "The clinic database could not be reached. Nothing was saved; try again in a moment."
                ) from error
            raise

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only look that never blocks writers."""
        try:
            with self._read_sessions() as session:
                yield session
        except DBAPIError as error:
            if error.connection_invalidated or _is_disconnect(error):
                raise DatabaseUnavailable("The clinic database could not be reached.") from error
            raise

    def run(self, action: Callable[[Session, ServiceContext], T]) -> T:
        """Run one service function in its own transaction."""
        with self.transaction() as session:
            return action(session, self._ctx)

    # -- status ---------------------------------------------------------------------------

    def status(self, patient_id: int) -> PortalStatus:
        """The patient's portal status: colour, headline, reasons and trouble spots."""
        with self.reading() as session:
            facts = load_portal_facts(session, patient_id, self.settings.placeholder_domain)
        return evaluate(facts, self.now())

    def portal_facts(self, patient_id: int) -> PortalFacts:
        """The plain facts behind the patient's status."""
        with self.reading() as session:
            return load_portal_facts(session, patient_id, self.settings.placeholder_domain)

    def troubleshooting(self, patient_id: int) -> TroubleshootingPlan:
        """The wizard's plan for this patient, from one consistent read."""
        with self.reading() as session:
            return load_plan(session, self._ctx, patient_id)[0]

    def troubleshooting_view(self, patient_id: int) -> TroubleshootingView:
        """The plan, the email history and the address on file, in one read (for the wizard)."""
        with self.reading() as session:
            return load_troubleshooting(session, self._ctx, patient_id)

    def count_by_color(self) -> dict[Color, int]:
        """How many patients have each colour (computed in SQL)."""
        with self.reading() as session:
            return status_sql.count_by_color(session)

    def patients_with_color(self, color: Color, limit: int = 100) -> list[int]:
        """Ids of patients with this colour (computed in SQL)."""
        with self.reading() as session:
            return status_sql.patients_with_color(session, color, limit)

    def change_stamp(self, patient_id: int) -> tuple[Any, ...]:
        """A cheap value that changes whenever anything about the patient changes."""
        with self.reading() as session:
            return db_change_stamp(session, patient_id, self.now())

    def patient_snapshot(self, patient_id: int, *, emails: int = 20) -> PatientSnapshot:
        """Everything the dash shows about one patient, read in one transaction (a fixed few queries)."""
        with self.reading() as session:
            return load_snapshot(session, self._ctx, patient_id, emails=emails)

    def describe_database(self) -> str:
        """'Local file /path/clinic.db' or 'Server host:5432/clinic' (never a password)."""
        return describe(self.url)

    def update_settings(self, **changes: Any) -> ClinicSettings:
        """Change and store clinic-wide settings (checks the email templates first)."""
        new = self.settings.updated(**changes)
        if new.lockout_threshold < 1 or min(new.invitation_days, new.reset_days, new.confirmation_days) < 1:
            raise ValidationError("Link lifetimes and the lockout threshold must be at least 1.")
        check_templates()
        with self.transaction() as session:
            save_settings(session, new)
        self._ctx = ServiceContext(clock=self._ctx.clock, settings=new)
        return new


class StaffDesk:
    """Front-desk actions (``clinic.staff``)."""

    def __init__(self, clinic: Clinic) -> None:
        self._clinic = clinic

    def add_patient(self, **fields: Any) -> int:
        """Create a chart; returns its patient id."""
        return self._clinic.run(lambda s, c: staff.add_patient(s, c, **fields))

    def update_contact(self, patient_id: int, **fields: Any) -> int:
        """Change email, ZIP code, phone or address; returns the chart's new version."""
        return self._clinic.run(lambda s, c: staff.update_contact(s, c, patient_id, **fields))

    def set_portal_access(
        self, patient_id: int, *, enabled: bool, actor: str, note: str | None = None
    ) -> None:
        """Turn the portal access switch on or off."""
        self._clinic.run(
            lambda s, c: staff.set_portal_access(s, c, patient_id, enabled=enabled, actor=actor, note=note)
        )

    def set_patient_status(
        self, patient_id: int, status: str, *, actor: str, note: str | None = None
    ) -> None:
        """Make the patient active, prospective, inactive or deceased."""
        self._clinic.run(
            lambda s, c: staff.set_patient_status(s, c, patient_id, status, actor=actor, note=note)
        )

    def send_invitation(self, patient_id: int, *, actor: str, note: str | None = None) -> int:
        """Queue an invitation (or a password reset when a username exists); returns the email id."""
        return self._clinic.run(lambda s, c: staff.send_invitation(s, c, patient_id, actor=actor, note=note))

    def set_credentials(
        self, patient_id: int, *, username: str, password: str, actor: str, note: str | None = None
    ) -> None:
        """Set a username and temporary password by hand (must be changed at first login)."""
        self._clinic.run(
            lambda s, c: staff.set_credentials(
                s, c, patient_id, username=username, password=password, actor=actor, note=note
            )
        )

    def unlock_account(self, patient_id: int, *, actor: str, note: str | None = None) -> None:
        """Clear a lockout after too many failed logins."""
        self._clinic.run(lambda s, c: staff.unlock_account(s, c, patient_id, actor=actor, note=note))

    def find_patients(self, text: str, limit: int = 50) -> list[PatientSummary]:
        """Search by name, MRN, date of birth, email or phone."""
        with self._clinic.reading() as session:
            return search.find_patients(session, text, limit)

    def chart(self, patient_id: int) -> PatientChart:
        """The patient's demographics and contact details."""
        with self._clinic.reading() as session:
            patient = get_patient(session, patient_id)
            # Whether there is a photo, without loading the image.
            has_photo = session.scalar(select(exists().where(PatientPhoto.patient_id == patient_id)))
            return chart_of(patient, bool(has_photo))

    def photo(self, patient_id: int) -> bytes | None:
        """The patient's photo (PNG or JPEG bytes), or None."""
        with self._clinic.reading() as session:
            row = session.get(PatientPhoto, patient_id)
            return bytes(row.image) if row else None

    def set_photo(self, patient_id: int, image: bytes, *, actor: str, media_type: str = "image/png") -> None:
        """Store the patient's photo."""

        def action(session: Session, ctx: ServiceContext) -> None:
            actor_name = staff.clean_actor(actor)
            get_patient(session, patient_id)
            if not image or len(image) > 5_000_000:
                raise ValidationError("Photo: choose an image smaller than 5 MB.", field="photo")
            row = session.get(PatientPhoto, patient_id)
            if row is None:
                session.add(
                    PatientPhoto(
                        patient_id=patient_id, image=image, media_type=media_type, taken_at=ctx.now()
                    )
                )
            else:
                row.image, row.media_type, row.taken_at = image, media_type, ctx.now()
            audit.record(session, at=ctx.now(), actor=actor_name, action="set_photo", patient_id=patient_id)

        self._clinic.run(action)

    def resolve_patient(self, ref: str | int) -> int:
        """A patient id from an id or MRN as typed."""
        text = str(ref).strip()
        with self._clinic.reading() as session:
            found = session.scalar(select(Patient.id).where(Patient.mrn == text))
            if found is None and text.isdigit() and len(text) < 10:
                found = session.scalar(select(Patient.id).where(Patient.id == int(text)))
        if found is None:
            raise NotFound(f"No patient with id or MRN '{text}' was found.")
        return int(found)

    def audit_trail(self, patient_id: int) -> list[AuditRecord]:
        """Who did what to this patient, oldest first."""
        with self._clinic.reading() as session:
            return audit_records(session, patient_id)


class PatientPortal:
    """What patients do on the portal (``clinic.portal``)."""

    def __init__(self, clinic: Clinic) -> None:
        self._clinic = clinic

    def self_register(self, **fields: Any) -> int:
        """A new patient registers online; returns the new patient id."""
        return self._clinic.run(lambda s, c: portal.self_register(s, c, **fields))

    def confirm_registration(self, token: str) -> int:
        """The patient clicks the confirmation link; returns the patient id."""
        return self._clinic.run(lambda s, c: portal.confirm_registration(s, c, token))

    def claim_account(self, **fields: Any) -> int:
        """An existing patient creates their own account; returns the patient id."""
        return self._clinic.run(lambda s, c: portal.claim_account(s, c, **fields))

    def accept_invitation(self, token: str, *, username: str | None = None, password: str) -> int:
        """The patient sets username and password from an invitation or reset link."""
        return self._clinic.run(
            lambda s, c: portal.accept_invitation(s, c, token, username=username, password=password)
        )

    def login(self, username: str, password: str) -> bool:
        """True when the patient may log in; never raises for a bad password."""
        try:
            return self._clinic.run(lambda s, c: portal.login(s, c, username, password))
        except ConflictError:
            # Two logins to one account at the same instant: the other one counted.
            return self._clinic.run(lambda s, c: portal.login(s, c, username, password))

    def change_password(self, username: str, old_password: str, new_password: str) -> None:
        """The patient replaces a temporary password."""
        self._clinic.run(lambda s, c: portal.change_password(s, c, username, old_password, new_password))

    def matching_charts(
        self, *, email: str, last_name: str, date_of_birth: date | str, zip_code: str
    ) -> list[int]:
        """Charts that match all four details a patient types to claim an account."""
        with self._clinic.reading() as session:
            return portal.matching_charts(
                session,
                self._clinic.ctx,
                email=email,
                last_name=last_name,
                date_of_birth=date_of_birth,
                zip_code=zip_code,
            )

    def check_match(
        self,
        *,
        email: str | None,
        last_name: str | None,
        date_of_birth: date | str | None,
        zip_code: str | None,
        patient_id: int | None = None,
    ) -> MatchReport:
        """Replay what the patient typed to claim an account: which field does not match, and why."""
        born = date_of_birth if isinstance(date_of_birth, date) else parse_date(date_of_birth or "")
        with self._clinic.reading() as session:
            candidates = match_candidates(
                session, email=email, last_name=last_name, date_of_birth=born, patient_id=patient_id
            )
        return check_match(
            candidates,
            email=email,
            last_name=last_name,
            date_of_birth=date_of_birth,
            zip_code=zip_code,
            patient_id=patient_id,
            placeholder_domain=self._clinic.settings.placeholder_domain,
            today=self._clinic.now().date(),
        )


class MailRoom:
    """The outbox (``clinic.mail``)."""

    def __init__(self, clinic: Clinic) -> None:
        self._clinic = clinic

    def outbox(self, patient_id: int) -> list[OutboxMessage]:
        """Every email to this patient, newest first."""
        with self._clinic.reading() as session:
            get_patient(session, patient_id)
            return outbox_for(session, patient_id)

    def timeline(self, patient_id: int) -> list[delivery.EmailTimelineEntry]:
        """Every email to this patient, newest first, with delivery progress and the link's fate."""
        with self._clinic.reading() as session:
            get_patient(session, patient_id)
            return delivery.email_timeline(session, patient_id, self._clinic.now())

    def pending_count(self) -> int:
        """How many emails wait in the outbox (queued, due now or later)."""
        with self._clinic.reading() as session:
            return delivery.pending_count(session)

    def deliver_now(self, password: str | None = None) -> delivery.DeliveryReport:
        """Send every due email now (blocking: call it off the GUI thread).

        ``password`` is the SMTP password for this call; by default the stored one.
        """
        worker = delivery.DeliveryWorker(self._clinic, (lambda: password) if password else None)
        report = delivery.DeliveryReport()
        while True:
            step = worker.run_once(limit=50)
            report += step
            if step.total < 50 or step.problem:
                return report

    def send_test_email(self, to: str, password: str | None = None) -> str:
        """Send a test email with the current settings; returns its Message-ID (raises in plain words)."""
        settings = self._clinic.settings
        if password is None and settings.smtp_username.strip():
            password = secret_store.get_smtp_password(settings)
        return smtp.send_test_email(settings, password, to, now=self._clinic.now())


def _is_disconnect(error: DBAPIError) -> bool:
    text = str(error.orig).lower() if error.orig else ""
    return any(
        word in text
        for word in (
            "connection refused",
            "server closed",
            "could not connect",
            "terminating connection",
            "lost connection",
            "can't connect",
            "connection timed out",
        )
    )


def _connection_problem(url: URL, error: DBAPIError) -> str:
    text = str(error.orig).lower() if error.orig else str(error).lower()
    where = describe(url)
    if "password authentication failed" in text or "access denied" in text:
        return f"{where}: the database user name or password is wrong."
    if "does not exist" in text or "unknown database" in text:
        return f"{where}: the database does not exist on that server."
    if "unable to open database file" in text:
        return f"{where}: the database file cannot be opened (check the folder exists and is writable)."
    if any(
        word in text
        for word in (
            "could not connect",
            "connection refused",
            "timeout",
            "timed out",
            "can't connect",
            "name or service not known",
            "could not translate host",
        )
    ):
        return f"{where}: the server cannot be reached (check the address and that it is running)."
    kind = error.orig.__class__.__name__ if error.orig else "error"
    return f"{where}: the database could not be opened ({kind})."
