"""The audit log's hash chain: each entry's hash covers its content and the previous entry's hash.

The canonical form is fixed (version 1): changing it would make every stored hash look
tampered with. It is independent of how a database hands values back: the time is UTC
to the whole second (MariaDB keeps no fractions), before/after are the stored JSON text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

# The "previous hash" of the very first entry.
GENESIS = "0" * 64
CHAIN_VERSION = 1

Break = Literal["changed", "missing", "inserted"]


def audit_moment(at: datetime) -> datetime:
    """The entry's time as it is stored and hashed: UTC, whole seconds."""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class ChainLink:
    """One audit entry's hashed content, as stored."""

    id: int
    at: datetime
    actor: str
    action: str
    patient_id: int | None
    before: str | None
    after: str | None
    note: str | None
    prev_hash: str
    entry_hash: str = ""
    workstation: str | None = None

    def canonical(self) -> bytes:
        """The bytes the entry's hash is computed over."""
        content: dict[str, object] = {
            "v": CHAIN_VERSION,
            "id": self.id,
            "at": audit_moment(self.at).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "actor": self.actor,
            "action": self.action,
            "patient_id": self.patient_id,
            "before": self.before,
            "after": self.after,
            "note": self.note,
            "prev": self.prev_hash,
        }
        # Only when there is one: entries written before workstations were recorded keep their hash.
        if self.workstation is not None:
            content["workstation"] = self.workstation
        return json.dumps(content, sort_keys=True, ensure_ascii=True, separators=(",", ":")).encode()

    def computed_hash(self) -> str:
        """SHA-256 of the canonical content, in hex."""
        return hashlib.sha256(self.canonical()).hexdigest()


@dataclass(frozen=True)
class AuditCheck:
    """What ``clinic.verify_audit()`` found.

    ``ok`` is True when every entry is intact and linked to the one before. Otherwise
    ``broken_at`` is the id of the first entry where the chain breaks and ``problem`` says
    how: ``changed`` (the entry was edited after it was written), ``missing`` (entries
    before it were deleted) or ``inserted`` (it was added outside Clinic Desk).
    ``last_id`` and ``last_hash`` are the chain's end: note them, and a later check that
    finds an older end shows entries removed from the end.
    """

    entries_checked: int
    ok: bool
    broken_at: int | None = None
    problem: Break | None = None
    message: str = ""
    last_id: int | None = None
    last_hash: str | None = None


def _said(checked: int, broken_at: int, problem: Break, detail: str) -> AuditCheck:
    words = (
        f"The audit log was tampered with: {detail} Keep the database as it is (make a copy) and "
        "tell the clinic's privacy officer."
    )
    return AuditCheck(checked, False, broken_at, problem, words)


def _unlinked(
    checked: int,
    current: ChainLink,
    following: ChainLink | None,
    expected_prev: str,
    previous_id: int,
    intact: bool,
) -> AuditCheck:
    """Say why ``current`` does not follow the entry before it."""
    if following is not None and following.prev_hash == expected_prev:
        return _said(checked, current.id, "inserted", f"entry {current.id} was added by hand.")
    if current.id != previous_id + 1:
        where = (
            f"before entry {current.id}" if previous_id == 0 else f"between {previous_id} and {current.id}"
        )
        return _said(checked, current.id, "missing", f"entries {where} were deleted.")
    if following is None:
        return _said(checked, current.id, "inserted", f"entry {current.id} was added by hand.")
    if intact and previous_id:
        # A consistent entry after a replaced one: the one before it is what changed.
        return _said(
            checked, previous_id, "changed", f"entry {previous_id} was replaced after it was written."
        )
    return _said(checked, current.id, "changed", f"entry {current.id} was changed after it was written.")


def check_chain(links: Iterable[ChainLink], *, clinic_has_data: bool = False) -> AuditCheck:
    """Walk the entries in id order and report the first broken link (the rule's one home).

    ``clinic_has_data``: the clinic has charts, so an empty log means entries were removed.
    """
    expected_prev, previous_id = GENESIS, 0
    checked = 0
    stream: Iterator[ChainLink] = iter(links)
    current = next(stream, None)
    while current is not None:
        following = next(stream, None)
        checked += 1
        intact = current.entry_hash == current.computed_hash()
        if current.prev_hash != expected_prev:
            return _unlinked(checked, current, following, expected_prev, previous_id, intact)
        if not intact:
            return _said(
                checked, current.id, "changed", f"entry {current.id} was changed after it was written."
            )
        expected_prev, previous_id = current.entry_hash, current.id
        current = following
    if checked == 0 and clinic_has_data:
        return AuditCheck(
            0,
            False,
            None,
            "missing",
            "The audit log is empty although the clinic has patients: its entries were deleted.",
        )
    last_hash = expected_prev if checked else None
    words = f"The audit log is intact: {checked} entries checked." if checked else "The audit log is empty."
    return AuditCheck(checked, True, None, None, words, previous_id or None, last_hash)
