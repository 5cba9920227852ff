"""The clinic's tables, in SQLAlchemy 2 typed declarative style.

Every change goes through an Alembic migration in db/migrations/versions.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from clinic_desk.db.types import UTCDateTime, search_key
from clinic_desk.domain import codes, roles
from clinic_desk.domain.codes import EmailStatus

# Stable constraint names, so migrations can name what they alter on every database.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def one_of(column: str, values: tuple[str, ...]) -> str:
    """A CHECK condition allowing only the stable strings of domain.codes (one home for each list)."""
    return f"{column} in ({', '.join(repr(str(value)) for value in values)})"


class Base(DeclarativeBase):
    """Base of all tables."""

    metadata = MetaData(naming_convention=NAMING)


class Patient(Base):
    """A chart: who the patient is and how to reach them."""

    __tablename__ = "patients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Another system's MRNs are text of up to 64 characters. SQLite ignores the length, and
    # its column keeps the 20 it was made with (migration 0010 says why).
    mrn: Mapped[str] = mapped_column(String(64).with_variant(String(20), "sqlite"), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    preferred_name: Mapped[str | None] = mapped_column(String(100))
    date_of_birth: Mapped[date] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(10))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    address_line1: Mapped[str | None] = mapped_column(String(200))
    address_line2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(2))
    zip_code: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(12), default="active")
    # BCP 47 tag (en, es-MX): the language of the patient's emails, letters and portal pages.
    preferred_language: Mapped[str] = mapped_column(String(35), default="en", server_default="en")
    created_via: Mapped[str] = mapped_column(String(24), default="staff")
    # Folded copies for case- and accent-insensitive prefix search.
    first_key: Mapped[str] = mapped_column(search_key(100))
    last_key: Mapped[str] = mapped_column(search_key(100))
    email_key: Mapped[str | None] = mapped_column(search_key(254))
    phone_digits: Mapped[str | None] = mapped_column(search_key(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)
    # 0 red, 1 gold, 2 blue: kept in step with the account's colour class (db/status_counts.py)
    # for the roster's colour indexes; None until the chart is classified.
    color_rank: Mapped[int | None] = mapped_column(SmallInteger)

    account: Mapped[PortalAccount] = relationship(back_populates="patient", uselist=False)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint(one_of("status", codes.PATIENT_STATUSES), name="status"),
        Index("ix_patients_last_first", "last_key", "first_key", "id"),  # ends in the id: keyset pages
        Index("ix_patients_first_key_id", "first_key", "id"),  # first-name search, in id order
        Index("ix_patients_email_key_id", "email_key", "id"),  # shared-email lookup, in id order
        Index("ix_patients_phone_digits", "phone_digits"),
        Index("ix_patients_date_of_birth", "date_of_birth", "id"),
        # The roster by colour, or filtered by colour, in each of its sorts.
        Index("ix_patients_color_name", "color_rank", "last_key", "first_key", "id"),
        Index("ix_patients_color_mrn", "color_rank", "mrn"),
        Index("ix_patients_color_born", "color_rank", "date_of_birth", "id"),
    )

    @property
    def full_name(self) -> str:
        """First and last name, as messages to staff and patients say it."""
        return f"{self.first_name} {self.last_name}"


class ImportedValues(Base):
    """What the last import brought for a chart (JSON: field -> text), so a re-import
    applies only what the other system changed and staff corrections survive."""

    __tablename__ = "import_values"

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True)
    field_values: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PatientPhoto(Base):
    """The photo shown in the photo block; kept apart so patient rows stay small."""

    __tablename__ = "patient_photos"

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True)
    image: Mapped[bytes] = mapped_column(LargeBinary)
    media_type: Mapped[str] = mapped_column(String(40), default="image/png")
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PortalAccount(Base):
    """The patient's portal account: the access switch, credentials and login record."""

    __tablename__ = "portal_accounts"

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True)
    access_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # Why the switch is off: disabled_by_staff | registration_unconfirmed | not_enabled.
    access_off_reason: Mapped[str | None] = mapped_column(String(32))
    access_changed_by: Mapped[str | None] = mapped_column(String(100))
    access_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    access_note: Mapped[str | None] = mapped_column(String(500))
    # When staff turned it off: why, as a stable code (patient_request, security, ...).
    staff_off_reason: Mapped[str | None] = mapped_column(String(32))
    username: Mapped[str | None] = mapped_column(String(64))
    # Lower-cased username: logins are case-insensitive and unique that way.
    username_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    registered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the first good login
    login_count: Mapped[int] = mapped_column(Integer, default=0)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The colour class (red reasons and logged-in, db/status_sql.py) as last counted; None: not yet.
    status_class: Mapped[int | None] = mapped_column(Integer)

    patient: Mapped[Patient] = relationship(back_populates="account")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint(
            "(access_enabled = true and access_off_reason is null) or "
            f"(access_enabled = false and {one_of('access_off_reason', codes.OFF_REASONS)})",
            name="off_reason",
        ),
        Index("ix_portal_accounts_colour", "access_enabled", "last_login_at"),
        Index("ix_portal_accounts_first_login_at", "first_login_at"),
        # Finds the charts not counted yet (a bulk load's) without reading the rest.
        Index(
            "ix_portal_accounts_unclassified",
            "patient_id",
            postgresql_where=text("status_class IS NULL"),
            sqlite_where=text("status_class IS NULL"),
        ),
        # Trouble spots counted on demand read only the accounts in trouble.
        # Partial, so they stay small and are chosen even on a never-analysed database.
        Index(
            "ix_portal_accounts_locked_until",
            "locked_until",
            postgresql_where=text("locked_until IS NOT NULL"),
            sqlite_where=text("locked_until IS NOT NULL"),
        ),
        Index(
            "ix_portal_accounts_failed_logins",
            "failed_logins",
            postgresql_where=text("failed_logins > 0"),
            sqlite_where=text("failed_logins > 0"),
        ),
    )


class PortalToken(Base):
    """A one-use link (confirmation, invitation, reset). Only the token's hash is kept."""

    __tablename__ = "portal_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sent_to: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Why the link died before use (a stable code of domain.links.EndReason).
    revoke_reason: Mapped[str | None] = mapped_column(String(40))

    __table_args__ = (
        Index("ix_portal_tokens_patient", "patient_id", "id"),
        # Expired links, counted on demand up to now.
        Index("ix_portal_tokens_expires_at", "expires_at"),
    )


class OutboxEmail(Base):
    """An email to a patient, written in the same transaction as the action that caused it."""

    __tablename__ = "outbox_emails"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    token_id: Mapped[int | None] = mapped_column(ForeignKey("portal_tokens.id"))
    kind: Mapped[str] = mapped_column(String(16))
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(500))
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(10), default=EmailStatus.QUEUED.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(500))
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Why it was never sent (a stable code of domain.links.EndReason).
    cancel_reason: Mapped[str | None] = mapped_column(String(40))

    __table_args__ = (
        CheckConstraint(one_of("status", codes.EMAIL_STATUSES), name="status"),
        Index("ix_outbox_emails_patient", "patient_id", "id"),
        Index("ix_outbox_emails_due", "status", "next_attempt_at"),
        Index("ix_outbox_emails_sent_at", "sent_at"),  # the hourly sending limit counts the last hour
    )


class AuditEntry(Base):
    """Append-only record of who did what to which patient (triggers refuse edits; hash-chained)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    patient_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(String(500))
    # The computer the action came from (None on entries written before it was recorded).
    workstation: Mapped[str | None] = mapped_column(String(100))
    # The hash chain (domain/audit_chain.py): the previous entry's hash, and this one's.
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_audit_log_patient", "patient_id", "id"),
        # The clinic-wide log's filters, newest first (keyset paging on the id).
        Index("ix_audit_log_actor", "actor", "id"),
        Index("ix_audit_log_action", "action", "id"),
        Index("ix_audit_log_at", "at"),
    )


class AuditLogGuard(Base):
    """One row that is never written after the migration.

    MariaDB: appending to the audit log locks it (FOR UPDATE), so desks chain one at a
    time; and its foreign key makes ``TRUNCATE audit_log`` fail.
    """

    __tablename__ = "audit_log_guard"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("audit_log.id"))


class ClinicSetting(Base):
    """One clinic-wide setting shared by every workstation (JSON value). Never a secret."""

    __tablename__ = "clinic_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class PortalAttempt(Base):
    """Failed patient-side attempts against one key (an account, a claimed identity, a client address).

    Shared by every portal process through the database; bumped with one atomic UPDATE.
    The key is a hash, so the table names no patient.
    """

    __tablename__ = "portal_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(20))
    key_hash: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("scope", "key_hash", name="uq_portal_attempts_scope_key"),)


class PortalWebSession(Base):
    """A patient signed in on the portal's pages: only the session secret's hash is kept."""

    __tablename__ = "portal_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    # Ending a patient's other sessions (a password change) reads only theirs.
    __table_args__ = (Index("ix_portal_sessions_patient", "patient_id", "ended_at"),)


class PortalEvent(Base):
    """A patient-side event with no chart to hang on yet: a sign-in under a username nobody has.

    Staff see it on the chart whose email or username the typed name is (the
    "wrong username" trap); the patient never does.
    """

    __tablename__ = "portal_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(40))
    typed_key: Mapped[str] = mapped_column(String(254))  # what was typed as the username, lower-cased
    source: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_portal_events_typed_key", "typed_key", "id"),)


class StatusCountDelta(Base):
    """How many charts entered (+n) or left (-n) a colour class: append-only, summed to count.

    See db/status_counts.py for why counts are kept this way.
    """

    __tablename__ = "status_count_deltas"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status_class: Mapped[int] = mapped_column(Integer)
    n: Mapped[int] = mapped_column(Integer)


class PortalStatusDay(Base):
    """How many active patients had each colour on a day: written once a day (the adoption chart)."""

    __tablename__ = "portal_status_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    color: Mapped[str] = mapped_column(String(4), primary_key=True)
    patients: Mapped[int] = mapped_column(Integer)


class Counter(Base):
    """A named counter (the next MRN). Bumped inside the transaction that uses it."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class DoneRequest(Base):
    """A staff action already done under a caller's request id, with what it returned.

    Written in the same transaction as the action, so a retry after a lost COMMIT reply
    finds it exactly when the action was saved.
    """

    __tablename__ = "done_requests"

    request_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    action: Mapped[str] = mapped_column(String(64))
    result: Mapped[str] = mapped_column(Text)  # the call's return value as JSON
    done_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StaffMember(Base):
    """Someone who signs in at a front desk (DESIGN.md section 5). Never deleted: the audit keeps names."""

    __tablename__ = "staff_members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    # Lower-cased: usernames are unique whatever their case.
    username_key: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean)
    must_change_password: Mapped[bool] = mapped_column(Boolean)
    failed_sign_ins: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (CheckConstraint(one_of("role", roles.ROLES), name="role"),)
