"""Everything opening a patient needs, read in one statement (one round trip on a server).

The chart and its account are the statement's row; the newest link and email of each
kind, the charts sharing the email, sign-ins under a username nobody has, the newest
emails and the photo ride along as scalar subqueries (the small lists as JSON text).
Every subquery names the patient by the same bound id, never by correlation, so each is
planned on its own index whatever the planner's statistics say (and MariaDB accepts it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, bindparam, collate, func, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from clinic_desk.db.change_stamp import stamp_columns
from clinic_desk.db.json_rows import JsonRows, json_rows
from clinic_desk.db.models import OutboxEmail, Patient, PatientPhoto, PortalAccount, PortalEvent, PortalToken
from clinic_desk.domain import codes
from clinic_desk.domain.errors import NotFound
from clinic_desk.domain.record_ids import is_storable_id

# The shared-email list names at most this many other charts.
SHARED_EMAIL_LIMIT = 10

_PATIENT_COLUMNS = tuple(Patient.__table__.c)
# Everything but the password hash: it never leaves the database for a read like this.
_ACCOUNT_COLUMNS = tuple(column for column in PortalAccount.__table__.c if column.name != "password_hash")
_STAMP_WIDTH = len(stamp_columns(0))
_TOKEN_COLUMNS = (
    "id",
    "kind",
    "sent_to",
    "created_at",
    "expires_at",
    "used_at",
    "revoked_at",
    "revoke_reason",
)
_EMAIL_COLUMNS = (
    "id",
    "kind",
    "to_address",
    "subject",
    "status",
    "attempts",
    "queued_at",
    "sent_at",
    "failed_at",
    "next_attempt_at",
    "last_error",
    "cancelled_at",
    "cancel_reason",
    "token_id",
)


@dataclass(frozen=True)
class SharedChart:
    """Another chart with the same email (folded)."""

    patient_id: int
    first_name: str
    last_name: str
    mrn: str
    username: str | None


@dataclass(frozen=True)
class PatientRead:
    """One patient's rows, read at one moment. The ORM objects are loose copies in no session."""

    patient: Patient
    account: PortalAccount
    newest_links: tuple[PortalToken, ...]  # the newest link of each kind
    newest_emails: tuple[OutboxEmail, ...]  # the newest email of each kind
    shared: tuple[SharedChart, ...]  # by id; the lookup runs even when there is no email
    unknown_usernames: tuple[tuple[str, int, datetime], ...]  # typed key, how many, latest
    recent_emails: tuple[tuple[OutboxEmail, PortalToken | None], ...]  # newest first
    photo: bytes | None
    stamp_parts: tuple[Any, ...]  # change_stamp's values without the minute


def read_patient(session: Session, patient_id: int, recent_emails: int = 0) -> PatientRead:
    """The patient's chart, account and what hangs on them, in one statement.

    ``recent_emails``: how many of the newest emails to bring (with their links).
    Raises NotFound for an unknown id, in range or not.
    """
    if not is_storable_id(patient_id):  # beyond the id column a server refuses the lookup itself
        raise NotFound(f"No patient with id {patient_id} was found.")
    parts = _parts(session.get_bind().dialect.name, recent_emails)
    row = session.execute(parts.statement, {"pid": patient_id}).one_or_none()
    if row is None:
        raise NotFound(f"No patient with id {patient_id} was found.")
    values = tuple(row)
    width_p, width_a = len(_PATIENT_COLUMNS), len(_ACCOUNT_COLUMNS)
    patient = Patient(**{c.name: v for c, v in zip(_PATIENT_COLUMNS, values[:width_p], strict=True)})
    rest = values[width_p:]
    account = PortalAccount(**{c.name: v for c, v in zip(_ACCOUNT_COLUMNS, rest[:width_a], strict=True)})
    rest = rest[width_a:]
    stamp_parts = (patient.version, account.version, *rest[:_STAMP_WIDTH])
    photo, links, newest, shared, unknown, recent = rest[_STAMP_WIDTH:]
    return PatientRead(
        patient=patient,
        account=account,
        newest_links=tuple(_token(cells) for cells in parts.links.read(links)),
        newest_emails=tuple(_email(cells) for cells in parts.newest_emails.read(newest)),
        shared=tuple(sorted((SharedChart(*cells) for cells in parts.shared.read(shared)), key=_by_id)),
        # The same key twice (a username that is the email) comes back twice: once is enough.
        unknown_usernames=tuple(
            {str(key): (str(key), int(count), at) for key, count, at in parts.unknown.read(unknown)}.values()
        ),
        recent_emails=tuple(
            sorted(
                (
                    (_email(cells[: len(_EMAIL_COLUMNS)]), _linked(cells[len(_EMAIL_COLUMNS) :]))
                    for cells in parts.recent.read(recent)
                ),
                key=lambda pair: -pair[0].id,
            )
        ),
        photo=bytes(photo) if photo is not None else None,
        stamp_parts=stamp_parts,
    )


def patient_statement(dialect: str, recent_emails: int = 0) -> Any:
    """The one statement ``read_patient`` runs (bound parameter ``pid``): for EXPLAIN checks."""
    return _parts(dialect, recent_emails).statement


@dataclass(frozen=True)
class _Parts:
    statement: Any
    links: JsonRows
    newest_emails: JsonRows
    shared: JsonRows
    unknown: JsonRows
    recent: JsonRows


_made: dict[tuple[str, int], _Parts] = {}


def _parts(dialect: str, recent_emails: int) -> _Parts:
    # Built once per database kind: the statement is the same for every patient.
    key = (dialect, recent_emails)
    if key not in _made:
        _made[key] = _build(dialect, recent_emails)
    return _made[key]


def _build(dialect: str, recent_emails: int) -> _Parts:
    pid = bindparam("pid", type_=Patient.id.type)
    token_cells = [getattr(PortalToken, name) for name in _TOKEN_COLUMNS]
    email_cells = [getattr(OutboxEmail, name) for name in _EMAIL_COLUMNS]

    # The newest link and email of each kind (ix_portal_tokens_patient, ix_outbox_emails_patient).
    newest_token_ids = (
        select(func.max(PortalToken.id)).where(PortalToken.patient_id == pid).group_by(PortalToken.kind)
    )
    links = json_rows(select(*token_cells).where(PortalToken.id.in_(newest_token_ids)), dialect)
    newest_email_ids = (
        select(func.max(OutboxEmail.id)).where(OutboxEmail.patient_id == pid).group_by(OutboxEmail.kind)
    )
    newest_emails = json_rows(select(*email_cells).where(OutboxEmail.id.in_(newest_email_ids)), dialect)

    # Other charts with this email (ix_patients_email_key_id: the index hands them over in id order).
    me = aliased(Patient)
    my_email_key = select(me.email_key).where(me.id == pid).scalar_subquery()
    other = aliased(Patient)
    other_account = aliased(PortalAccount)
    shared = json_rows(
        select(other.id, other.first_name, other.last_name, other.mrn, other_account.username)
        .join(other_account, other_account.patient_id == other.id)
        .where(other.email_key == my_email_key, other.id != pid)
        .order_by(other.id)
        .limit(SHARED_EMAIL_LIMIT),
        dialect,
    )

    # Sign-ins under a username nobody has, typed as this chart's username or email, since its last login.
    mine = aliased(PortalAccount)
    my_username_key = select(mine.username_key).where(mine.patient_id == pid).scalar_subquery()
    my_last_login = select(mine.last_login_at).where(mine.patient_id == pid).scalar_subquery()

    def failures_under(key: Any) -> Any:
        # One equality per key: the index is the plan even when the table looks empty to the planner.
        return (
            select(
                PortalEvent.typed_key, func.count().label("times"), func.max(PortalEvent.at).label("latest")
            )
            .where(
                PortalEvent.typed_key == key,
                PortalEvent.kind.in_(codes.UNKNOWN_USERNAME_EVENTS),
                or_(my_last_login.is_(None), PortalEvent.at > my_last_login),
            )
            .group_by(PortalEvent.typed_key)
        )

    # The email key sorts bytewise on PostgreSQL (search_key); typed keys in the default collation.
    email_as_typed = collate(my_email_key, "default") if dialect == "postgresql" else my_email_key
    both = union_all(failures_under(my_username_key), failures_under(email_as_typed)).subquery()
    unknown = json_rows(select(both.c.typed_key, both.c.times, both.c.latest), dialect)

    # The newest emails with the link each carried.
    recent = json_rows(
        select(*email_cells, *token_cells)
        .outerjoin(PortalToken, PortalToken.id == OutboxEmail.token_id)
        .where(OutboxEmail.patient_id == pid)
        .order_by(OutboxEmail.id.desc())
        .limit(recent_emails),
        dialect,
    )
    photo = select(PatientPhoto.image).where(PatientPhoto.patient_id == pid).scalar_subquery()
    extra: list[ColumnElement[Any]] = [
        *stamp_columns(pid),
        photo,
        links.column,
        newest_emails.column,
        shared.column,
        unknown.column,
        recent.column,
    ]
    statement = (
        select(*_PATIENT_COLUMNS, *_ACCOUNT_COLUMNS, *extra)
        .select_from(Patient)
        .join(PortalAccount, PortalAccount.patient_id == Patient.id)
        .where(Patient.id == pid)
    )
    return _Parts(statement, links, newest_emails, shared, unknown, recent)


def _by_id(chart: SharedChart) -> int:
    return chart.patient_id


def _token(cells: tuple[Any, ...]) -> PortalToken:
    return PortalToken(**dict(zip(_TOKEN_COLUMNS, cells, strict=True)))


def _linked(cells: tuple[Any, ...]) -> PortalToken | None:
    return None if cells[0] is None else _token(cells)


def _email(cells: tuple[Any, ...]) -> OutboxEmail:
    return OutboxEmail(**dict(zip(_EMAIL_COLUMNS, cells, strict=True)))
