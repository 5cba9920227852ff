"""The Clinic facade: one object the GUI, the CLI and tests drive (DESIGN.md section 3).

Every public call is one transaction: its change, audit entry and any email commit
together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from clinic_desk.db import roster as roster_sql
from clinic_desk.db import status_counts, status_sql, trouble_counts
from clinic_desk.db.change_stamp import change_stamp as db_change_stamp
from clinic_desk.db.engine import describe
from clinic_desk.db.portal_facts import load_portal_facts
from clinic_desk.domain.activation_codes import ActivationCode
from clinic_desk.domain.audit_chain import AuditCheck
from clinic_desk.domain.codes import Color
from clinic_desk.domain.errors import (
    ClinicDeskError,
    DatabaseBusy,
    DatabaseUnavailable,
    OutcomeUnknown,
    ServerFull,
    ValidationError,
)
from clinic_desk.domain.facts import PortalFacts
from clinic_desk.domain.portal_sessions import PortalSession
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.roster import (
    ROSTER_SORTS,
    ROSTER_TROUBLES,
    Adoption,
    RosterCounts,
    RosterFilter,
    RosterPage,
    RosterSort,
    check_roster_filter,
)
from clinic_desk.domain.roster_sheet import RosterPrintout
from clinic_desk.domain.status import PortalStatus, evaluate
from clinic_desk.domain.text_rules import check_fields
from clinic_desk.domain.troubleshooting import TroubleshootingPlan
from clinic_desk.domain.unset import UNSET
from clinic_desk.services import audit_chain, bulk_load, roster_export, roster_upkeep
from clinic_desk.services.access_log import AccessLog
from clinic_desk.services.admin import ClinicAdmin
from clinic_desk.services.audit_view import AuditRecord, audit_page_for, clean_filter
from clinic_desk.services.backup_files import BackupMade
from clinic_desk.services.backups import Backups, BackupStatus, DailyBackup
from clinic_desk.services.change_feed import ChangeFeed, Changes, ChangeSource
from clinic_desk.services.clinic_opening import open_database
from clinic_desk.services.clinic_setup import ClinicSetup
from clinic_desk.services.connection import ConnectionReport, ConnectionSettings
from clinic_desk.services.context import Clock, ServiceContext, system_clock
from clinic_desk.services.count_keeping import placeholders_of
from clinic_desk.services.database import ClinicDatabase
from clinic_desk.services.delivery_report import DeliveryReport, MailProblem
from clinic_desk.services.file_care import DatabaseCheck, RestoreReport
from clinic_desk.services.live_link import LiveLink
from clinic_desk.services.mail_room import MailRoom
from clinic_desk.services.patient_portal import PatientPortal
from clinic_desk.services.schema_version import SchemaVersion
from clinic_desk.services.secret_store import KeyringStatus, KeyringUnavailable
from clinic_desk.services.settings import ClinicSettings
from clinic_desk.services.snapshot import PatientSnapshot, load_snapshot
from clinic_desk.services.staff_accounts import StaffAccount
from clinic_desk.services.staff_desk import StaffDesk
from clinic_desk.services.workstation import RevisionPeek, Workstation, workstation

T = TypeVar("T")
_ALL_CHARTS = RosterFilter()  # the roster with no filter
# The one door (DESIGN.md section 2): ui/, portal/ and cli.py import services only from here.
__all__ = [
    "UNSET",
    "AccessLog",
    "ActivationCode",
    "AuditCheck",
    "AuditRecord",
    "BackupMade",
    "BackupStatus",
    "Backups",
    "ChangeFeed",
    "ChangeSource",
    "Changes",
    "Clinic",
    "ClinicAdmin",
    "ClinicSettings",
    "ConnectionReport",
    "ConnectionSettings",
    "DailyBackup",
    "DatabaseBusy",
    "DatabaseCheck",
    "DatabaseUnavailable",
    "DeliveryReport",
    "KeyringStatus",
    "KeyringUnavailable",
    "LiveLink",
    "MailProblem",
    "MailRoom",
    "OutcomeUnknown",
    "PatientPortal",
    "Permission",
    "PortalSession",
    "RestoreReport",
    "RevisionPeek",
    "SchemaVersion",
    "ServerFull",
    "StaffAccount",
    "StaffDesk",
    "Workstation",
    "workstation",
]


class Clinic:
    """A clinic's data, opened from a SQLAlchemy URL."""

    def __init__(
        self,
        engine: Engine,
        url: URL,
        clock: Clock,
        settings: ClinicSettings,
        workstation: str | None = None,
        *,
        settings_stamp: str | None = None,
        overrides: dict[str, Any] | None = None,
    ) -> None:
        self._db = ClinicDatabase(
            engine, url, clock, settings, workstation, settings_stamp=settings_stamp, overrides=overrides
        )
        self.engine = engine
        self.url = url
        self.staff = StaffDesk(self._db)
        self.portal = PatientPortal(self._db)
        self.mail = MailRoom(self._db)
        self.setup = ClinicSetup(self._db, self.mail)
        self.schema = SchemaVersion(engine)
        self.live = LiveLink(engine, url)
        self.backups = Backups(self._db)
        self.admin = ClinicAdmin(self._db)
        self.access = AccessLog(self._db)
        self._classify_first = roster_upkeep.ClassifyFirst(self._db)

    @classmethod
    def open(
        cls,
        url: str | URL | None = None,
        *,
        clock: Clock | None = None,
        upgrade: bool = True,
        create: bool = True,
        busy_seconds: float | None = None,
        answer_seconds: float | None = None,
        workstation: str | None = None,
        pool_size: int | None = None,
        **settings: Any,
    ) -> Clinic:
        """Open (and create or upgrade) the clinic database at ``url``.

        ``clock`` is a callable returning an aware datetime; keyword settings
        (``invitation_days=...``) override the stored ones for this session only.
        ``create=False`` opens only a local file that is already there (raises ``NotFound``
        instead of making the file or its folder).
        ``busy_seconds`` (SQLite: waiting for another workstation's save, default 10) and
        ``answer_seconds`` (a server that stopped answering, default 7) bound the waits.
        ``workstation`` names this computer in the audit log (default: its network name).
        ``pool_size``: server connections this process may hold for its actions (default 1, a
        desk; the portal takes 2). Live updates hold one more (README "Many desks on one server").
        """
        opened = open_database(
            url,
            upgrade=upgrade,
            create=create,
            busy_seconds=busy_seconds,
            answer_seconds=answer_seconds,
            pool_size=pool_size,
        )
        return cls(
            opened.engine,
            opened.url,
            clock or system_clock,
            opened.settings.updated(**settings),
            workstation,
            settings_stamp=opened.settings_stamp,
            overrides=settings,
        )

    def close(self) -> None:
        """Write any waiting access events, then release the connections."""
        with suppress(ClinicDeskError):
            self.access.flush()
        self.engine.dispose()

    def __enter__(self) -> Clinic:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- plumbing -------------------------------------------------------------------------

    @property
    def ctx(self) -> ServiceContext:
        """The clock and settings this clinic runs with."""
        return self._db.ctx

    @property
    def settings(self) -> ClinicSettings:
        """The clinic's settings."""
        return self._db.settings

    def now(self) -> datetime:
        """The clinic clock's current time."""
        return self._db.now()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One user action: commit everything or nothing, and say failures in plain words."""
        with self._db.transaction() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only look that never blocks writers."""
        with self._db.reading() as session:
            yield session

    def run(
        self, action: Callable[[Session, ServiceContext], T], *, request_id: str | None = None, name: str = ""
    ) -> T:
        """Run one service function in its own transaction (once per ``request_id`` for ``name``)."""
        return self._db.run(action, request_id=request_id, name=name)

    # -- status ---------------------------------------------------------------------------

    def status(self, patient_id: int) -> PortalStatus:
        """The patient's portal status: colour, headline, reasons and trouble spots."""
        return evaluate(self.portal_facts(patient_id), self.now())

    def portal_facts(self, patient_id: int) -> PortalFacts:
        """The plain facts behind the patient's status (one statement)."""
        return self._db.glance(
            lambda session, ctx: load_portal_facts(
                session, patient_id, ctx.settings.placeholder_domain, ctx.settings.placeholder_addresses
            )
        )

    def troubleshooting(self, patient_id: int) -> TroubleshootingPlan:
        """The wizard's plan for this patient, from one consistent read."""
        return self.patient_snapshot(patient_id).plan

    def count_by_color(self) -> dict[Color, int]:
        """How many patients have each colour (kept in step with every change)."""
        with self.reading() as session:
            return status_counts.count_by_color(session)

    def count_by_reason(self) -> dict[str, int]:
        """How many patients each red reason holds for (kept in step with every change)."""
        with self.reading() as session:
            return status_counts.count_by_reason(session)

    def count_by_trouble(self) -> dict[str, int]:
        """How many patients have each trouble spot now (time-dependent ones counted on demand)."""
        with self.reading() as session:
            return trouble_counts.count_by_trouble(session, self.now(), placeholders_of(self.settings))

    def patients_with_color(self, color: Color, limit: int = 100) -> list[int]:
        """Ids of patients with this colour (computed in SQL)."""
        with self.reading() as session:
            return status_sql.patients_with_color(session, color, limit)

    # -- the portal roster (DESIGN.md section 6) -------------------------------------------

    def roster(
        self,
        filter: RosterFilter = _ALL_CHARTS,
        *,
        sort: RosterSort = "name",
        descending: bool = False,
        after: tuple[Any, ...] | None = None,
        limit: int = 100,
    ) -> RosterPage:
        """One page of the roster; pass the page's ``next_after`` as ``after`` for the next one."""
        check_roster_filter(filter)
        self._classify_first()
        if sort not in ROSTER_SORTS:
            raise ValidationError(f"The roster cannot be sorted by {sort!r}.")
        if not 1 <= limit <= 1000:
            raise ValidationError("A roster page holds 1 to 1000 rows.")
        return self._db.glance(
            lambda session, ctx: roster_sql.roster_page(
                session, filter, ctx.now(), sort=sort, descending=descending, after=after, limit=limit
            )
        )

    def roster_ids(self, filter: RosterFilter) -> list[int]:
        """Every chart id the roster with this filter holds (for "all that match")."""
        check_roster_filter(filter)
        self._classify_first()
        return self._db.glance(lambda session, ctx: roster_sql.roster_ids(session, filter, ctx.now()))

    def roster_counts(self, filter_text: str = "") -> RosterCounts:
        """The roster's counts by colour, red reason and trouble spot (over the text's matches, if any)."""
        self._classify_first()
        if RosterFilter(text=filter_text).searches:  # else the page filters nothing: the kept counts
            return self._db.glance(
                lambda session, ctx: roster_sql.counts_matching(session, filter_text, ctx.now())
            )
        with self.reading() as session:
            by_color = status_counts.count_by_color(session)
            by_reason = status_counts.count_by_reason(session)
            troubles = trouble_counts.count_without_unknown_usernames(session, self.now())
        by_trouble = {code: troubles[code] for code in ROSTER_TROUBLES}
        return RosterCounts(by_color, by_reason, by_trouble, sum(by_color.values()))

    def record_daily_status(self) -> bool:
        """Record today's colour counts of active patients (once a day); True if this call wrote them."""
        return roster_upkeep.record_daily_status(self._db)

    def adoption(self, months: int = 12) -> Adoption:
        """The adoption chart's figures for the last ``months`` months (from the daily record)."""
        if not 1 <= months <= 120:
            raise ValidationError("The adoption chart covers 1 to 120 months.")
        return roster_upkeep.adoption(self._db, months)

    def change_stamp(self, patient_id: int) -> tuple[Any, ...]:
        """A cheap value that changes whenever anything about the patient changes."""
        return self._db.glance(lambda session, ctx: db_change_stamp(session, patient_id, ctx.now()))

    def patient_snapshot(self, patient_id: int) -> PatientSnapshot:
        """Everything the dash and the wizard show about one patient: chart, status, plan, photo,
        the newest emails and the change stamp, read in one statement (one round trip on a server)."""
        return self._db.glance(lambda session, ctx: load_snapshot(session, ctx, patient_id))

    def describe_database(self) -> str:
        """'Local file /path/clinic.db' or 'Server host:5432/clinic' (never a password)."""
        return describe(self.url)

    def refresh_settings(self) -> bool:
        """Take up settings another workstation saved; True when this desk's settings changed.

        Call it when the change feed says the settings may have changed (``Changes.settings``):
        it reads the settings' stamp (one row) and reads the settings again only when the
        stamp moved. Blocking: call it off the GUI thread.
        """
        return self._db.refresh_settings()

    def update_settings(self, *, actor: str, request_id: str | None = None, **changes: Any) -> ClinicSettings:
        """Check, store and audit clinic-wide settings in one transaction (see ``ClinicSetup.update``)."""
        return self.setup.update(actor=actor, request_id=request_id, **changes)

    @property
    def workstation(self) -> str:
        """The computer the audit log names for this desk's actions."""
        return self._db.ctx.workstation

    def audit(
        self,
        patient_id: int | None = None,
        actor: str | None = None,
        action: str | None = None,
        since: datetime | date | None = None,
        until: datetime | date | None = None,
        before_id: int | None = None,
        limit: int = 200,
        *,
        viewer: str | None = None,
    ) -> list[AuditRecord]:
        """Audit entries, newest first.

        Each has ``.id .at .actor .workstation .action .patient_id .before .after .note``.

        Filters are optional; a plain date for ``since``/``until`` means that whole day (local
        time). Page by passing the last entry's id as ``before_id``. ``viewer``, when given,
        must be allowed to read the log: anyone staff for one patient's history, managers
        and administrators for the clinic-wide log.
        """
        wanted = clean_filter(
            patient_id=patient_id,
            actor=actor,
            action=action,
            since=since,
            until=until,
            before_id=before_id,
            limit=limit,
        )
        return self._db.glance(lambda session, _ctx: audit_page_for(session, wanted, viewer))

    def verify_audit(self) -> AuditCheck:
        """Check the audit log's hash chain from its first entry to its newest.

        Returns an ``AuditCheck``: ``entries_checked``, ``ok``, and when not ok the first
        broken link (``broken_at`` entry id, ``problem`` "changed", "missing" or "inserted",
        ``message`` in plain words); ``last_id``/``last_hash`` mark the chain's end.
        """
        with self.reading() as session:
            return audit_chain.verify(session)

    def export_roster_csv(
        self,
        filter: RosterFilter,
        path: str | Path,
        *,
        actor: str,
        sort: RosterSort = "name",
        descending: bool = False,
    ) -> int:
        """Write the roster ``filter`` matches to a CSV file readable by its owner only; returns the rows.

        Columns: name, MRN, date of birth, patient status, portal colour, main reason, last
        invitation, last login (no email, no token). Read page by page; one audit entry
        (``export_roster``). Managers and administrators only (``NotAllowed`` otherwise).
        """
        return roster_export.export_roster_csv(
            self._db,
            lambda after, limit: self.roster(
                filter, sort=sort, descending=descending, after=after, limit=limit
            ),
            filter,
            path,
            actor=actor,
            sort=sort,
            descending=descending,
        )

    def roster_printout(
        self,
        filter: RosterFilter,
        *,
        actor: str,
        sort: RosterSort = "name",
        descending: bool = False,
        limit: int = roster_export.PRINT_LIMIT,
    ) -> RosterPrintout:
        """The roster rows to print (at most ``limit``; ``.complete`` False when more match), recorded
        as one access event (``print_roster``). Managers and administrators only."""
        return roster_export.roster_printout(
            self._db,
            lambda after, size: self.roster(
                filter, sort=sort, descending=descending, after=after, limit=size
            ),
            filter,
            actor=actor,
            sort=sort,
            descending=descending,
            limit=limit,
        )

    def load_demo_charts(
        self,
        charts: bulk_load.Charts,
        *,
        actor: str,
        password: str,
        details: bulk_load.Details | None = None,
        progress: bulk_load.Progress | None = None,
        request_id: str | None = None,
    ) -> int:
        """Insert finished demo charts fast, in one transaction with one audit entry; returns how many.

        ``charts`` (plain ``BulkChart`` values, read in chunks) get new ids and MRNs;
        every one with a username signs in with ``password``. ``progress`` hears
        how many are in so far.
        """
        check_fields(password=password)
        with bulk_load.journal_for_the_load(self.engine):
            loaded = self.run(
                lambda session, ctx: bulk_load.load_charts(
                    session, ctx, charts, actor=actor, password=password, details=details, progress=progress
                ),
                request_id=request_id,
                name="load_demo_charts",
            )
        if loaded:
            bulk_load.after_the_commit(self.engine)
        return loaded
