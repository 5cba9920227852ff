"""Where every desk sees the daily backup: when it last worked, its last problem, and who is taking it now.

Kept as one row of ``clinic_settings`` (key ``backup_record``; not a setting anyone types,
so not a ``ClinicSettings`` field). A desk *claims* the day's backup in a short write
transaction before copying: on SQLite that transaction takes the file's write lock, so
two desks opened at the same minute cannot both start one.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from clinic_desk.db.models import ClinicSetting

RECORD_KEY = "backup_record"
# A backup counts as "today's" for this long; a little under a day so it does not drift later.
EVERY = timedelta(hours=23)
# A claim older than this belongs to a desk that stopped half-way: another may try again.
# A failed backup is tried again after as long.
CLAIM_EXPIRES = timedelta(hours=1)


@dataclass(frozen=True)
class BackupRecord:
    """The clinic's daily-backup history as every desk sees it (times are aware, UTC)."""

    last_at: datetime | None = None
    last_file: str = ""
    problem: str = ""
    problem_at: datetime | None = None
    started_at: datetime | None = None
    started_by: str = ""

    def due(self, now: datetime) -> bool:
        """True when no backup worked in the last day, no desk is taking one right now, and the
        last failed try (a share offline) was over an hour ago."""
        for recent in (self.started_at, self.problem_at):
            if recent is not None and now - recent < CLAIM_EXPIRES:
                return False
        return self.last_at is None or now - self.last_at >= EVERY


def load_record(session: Session) -> BackupRecord:
    """The stored record (an empty one when there is none or it cannot be read)."""
    row = session.get(ClinicSetting, RECORD_KEY)
    if row is None:
        return BackupRecord()
    try:
        stored: dict[str, Any] = json.loads(row.value)
        when = {key: datetime.fromisoformat(stored[key]) if stored.get(key) else None for key in _TIMES}
        return BackupRecord(
            last_at=when["last_at"],
            last_file=str(stored.get("last_file") or ""),
            problem=str(stored.get("problem") or ""),
            problem_at=when["problem_at"],
            started_at=when["started_at"],
            started_by=str(stored.get("started_by") or ""),
        )
    except (ValueError, TypeError, KeyError):
        return BackupRecord()


_TIMES = ("last_at", "problem_at", "started_at")


def _store(session: Session, record: BackupRecord) -> None:
    values = {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in asdict(record).items()
    }
    row = session.get(ClinicSetting, RECORD_KEY)
    if row is None:
        session.add(ClinicSetting(key=RECORD_KEY, value=json.dumps(values)))
    else:
        row.value = json.dumps(values)


def claim(session: Session, now: datetime, by: str) -> bool:
    """Take today's backup for this desk when it is due (in the caller's write transaction)."""
    record = load_record(session)
    if not record.due(now):
        return False
    _store(session, replace(record, started_at=now, started_by=by[:100]))
    return True


def finish(session: Session, now: datetime, *, made: str = "", problem: str = "") -> BackupRecord:
    """Record how the claimed backup went (``made``: its file name; else ``problem`` in words)."""
    record = replace(load_record(session), started_at=None, started_by="")
    if made:
        record = replace(record, last_at=now, last_file=made, problem="", problem_at=None)
    else:
        record = replace(record, problem=problem, problem_at=now)
    _store(session, record)
    return record
