"""Simulated front desks for scripts/load.py: each its own Clinic, change listener and ledger.

One OS process runs several desks on threads (``run_desks``); every desk does a front desk's
mix of actions with a pause between them, listens for the others' changes the way the window
does (``clinic.live.changes()``), and writes what it did and heard to a JSON file.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from clinic_desk import Clinic, ClinicDeskError, ConflictError, DatabaseUnavailable

ACTOR = "dana"  # the demo's front desk (seed-demo)
# The mix of a front desk's day: kind -> weight.
MIX = {"open": 35, "search": 25, "edit": 22, "invite": 10, "unlock": 8}
SEARCHES = ("Smi", "Joh", "Wil", "Gar", "Lee", "Pat", "Kim", "Bro", "Dav", "Mar")
FLUSH_EVERY_SECONDS = 10.0  # chart access events, as the window writes them


def desk_url(url: str, index: int) -> str:
    """The database URL with this desk's name, so the server's list of clients tells desks apart."""
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}application_name=load-desk-{index:02d}"


class Desk:
    """One simulated front desk."""

    def __init__(self, index: int, spec: dict[str, Any]) -> None:
        self.index = index
        self.name = f"load-desk-{index:02d}"
        self.spec = spec
        self.random = random.Random(spec["seed"] * 1000 + index)
        self.clinic: Clinic | None = None
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.done: dict[str, int] = defaultdict(int)
        self.errors: dict[str, int] = defaultdict(int)
        self.conflicts = 0
        self.edits: list[dict[str, Any]] = []
        self.emails: list[int] = []
        self.heard: list[tuple[int, float]] = []
        self.open_failures = 0
        self.busy_retries = 0

    # -- the desk's life ---------------------------------------------------------------------------
    def open(self) -> None:
        delay = 0.5
        while True:  # a full server at start-up: back off and try again, as the window does
            try:
                self.clinic = Clinic.open(desk_url(self.spec["url"], self.index), workstation=self.name)
                return
            except DatabaseUnavailable:
                self.open_failures += 1
                if time.time() > self.spec["end_at"]:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 10.0)

    def listen(self, stop: threading.Event) -> None:
        assert self.clinic is not None
        feed = self.clinic.live.changes()
        try:
            while not stop.is_set():
                changes = feed.wait(0.5)
                now = time.time()
                self.heard.extend((patient_id, now) for patient_id in changes.patient_ids)
        finally:
            feed.close()

    def work(self) -> None:
        assert self.clinic is not None
        kinds = list(MIX)
        weights = [MIX[kind] for kind in kinds]
        next_flush = time.time() + FLUSH_EVERY_SECONDS
        while True:
            pause = self.random.expovariate(1.0 / self.spec["think_seconds"])
            if time.time() + pause >= self.spec["end_at"]:
                break
            time.sleep(pause)
            kind = self.random.choices(kinds, weights)[0]
            self.act(kind)
            if time.time() >= next_flush:
                self.act("flush")
                next_flush = time.time() + FLUSH_EVERY_SECONDS
        self.act("flush")

    def act(self, kind: str) -> None:
        started = time.perf_counter()
        delay = 0.25
        for attempt in range(6):
            try:
                getattr(self, f"_{kind}")()
                break
            except ConflictError:
                self.conflicts += 1
                break
            except DatabaseUnavailable as error:
                # A full server or a busy pool: said plainly, retried with back-off (as the window does).
                self.busy_retries += 1
                if attempt == 5:
                    self.errors[f"{kind}: {type(error).__name__}"] += 1
                    return
                time.sleep(delay)
                delay *= 2
            except ClinicDeskError as error:
                self.errors[f"{kind}: {type(error).__name__}: {str(error)[:80]}"] += 1
                return
            except Exception as error:  # anything else is a defect the report must show
                self.errors[f"{kind}: {type(error).__name__}: {str(error)[:80]}"] += 1
                return
        self.latencies[kind].append((time.perf_counter() - started) * 1000)

    # -- the actions -------------------------------------------------------------------------------
    def _open(self) -> None:
        assert self.clinic is not None
        patient_id = self.random.randint(1, self.spec["patients"])
        self.clinic.staff.chart(patient_id)
        self.clinic.status(patient_id)
        self.clinic.access.note(patient_id, actor=ACTOR)
        self.done["open"] += 1

    def _flush(self) -> None:
        assert self.clinic is not None
        self.done["flush_written"] += self.clinic.access.flush()

    def _search(self) -> None:
        assert self.clinic is not None
        self.clinic.staff.find_patients(self.random.choice(SEARCHES), limit=50)
        self.done["search"] += 1

    def _edit(self) -> None:
        assert self.clinic is not None
        patient_id = self.random.choice(self.spec["hot_ids"])
        chart = self.clinic.staff.chart(patient_id)
        sequence = len(self.edits) + self.conflicts
        phone = f"617-{self.index:03d}-{sequence % 10_000:04d}"
        before = time.time()
        version = self.clinic.staff.update_contact(
            patient_id, actor=ACTOR, phone=phone, expected_version=chart.version
        )
        self.edits.append(
            {"patient_id": patient_id, "phone": phone, "version": version, "at": before, "done": time.time()}
        )
        self.done["edit"] += 1

    def _invite(self) -> None:
        assert self.clinic is not None
        patient_id = self.random.choice(self.spec["invite_ids"])
        self.emails.append(self.clinic.staff.send_invitation(patient_id, actor=ACTOR))
        self.done["invite"] += 1

    def _unlock(self) -> None:
        assert self.clinic is not None
        # This desk's own locked-out patient (the portal clients keep mistyping its password).
        patient_id = self.spec["victims"][self.index % len(self.spec["victims"])]
        if self.index >= len(self.spec["victims"]):
            self.done["unlock_none"] += 1
            return
        facts = self.clinic.portal_facts(patient_id)
        if facts.locked_until is None and facts.failed_logins == 0:
            self.done["unlock_none"] += 1  # nothing to clear: no audit entry is due
            return
        self.clinic.staff.unlock_account(patient_id, actor=ACTOR)
        self.done["unlock"] += 1

    def result(self) -> dict[str, Any]:
        return {
            "desk": self.name,
            "latencies": self.latencies,
            "done": self.done,
            "errors": self.errors,
            "conflicts": self.conflicts,
            "edits": self.edits,
            "emails": self.emails,
            "heard": self.heard,
            "open_failures": self.open_failures,
            "busy_retries": self.busy_retries,
        }


def run_desks(indexes: list[int], spec: dict[str, Any], out: str) -> None:
    """Run these desks until ``spec['end_at']`` and write their results to ``out`` (a process's body)."""
    desks = [Desk(index, spec) for index in indexes]
    stop = threading.Event()
    threads: list[threading.Thread] = []
    for desk in desks:
        # People come in over the morning: desks opening all in the same second would each
        # hold their just-used pooled connection at once (see README, a clinic group).
        desk.open()
        time.sleep(spec.get("open_gap_seconds", 0.4))
    listeners = [threading.Thread(target=desk.listen, args=(stop,), daemon=True) for desk in desks]
    for thread in listeners:
        thread.start()
    time.sleep(max(0.0, spec["start_at"] - time.time()))
    for desk in desks:
        thread = threading.Thread(target=desk.work, daemon=True)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    time.sleep(spec.get("settle_seconds", 3.0))  # the last changes reach every listener
    stop.set()
    for thread in listeners:
        thread.join(5)
    for desk in desks:
        assert desk.clinic is not None
        desk.clinic.close()
    Path(out).write_text(json.dumps([desk.result() for desk in desks]), encoding="utf-8")
