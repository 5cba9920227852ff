"""Setting up the load run's clinic, counting its server connections, and checking what it left.

All against one uniquely named PostgreSQL database on loopback, read with the superuser's
own plain connection (named ``load-observer``, and left out of every count).
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import psycopg

from clinic_desk import Clinic

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "blue-harbor-42"
ADMIN = "jordan"  # the demo's administrator (seed-demo)
DESK = "dana"


def admin_dsn(host: str, port: int, database: str = "postgres") -> str:
    return f"host={host} port={port} user=postgres dbname={database} application_name=load-observer"


def seed(url: str, patients: int, log: Path) -> None:
    """`clinic-desk seed-demo --patients N`: the demo staff and N charts."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "clinic_desk", "--db", url, "seed-demo", "--patients", str(patients)]
    with log.open("wb") as out:
        subprocess.run(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, check=True)


def newest_id(dsn: str, table: str) -> int:
    with psycopg.connect(dsn, autocommit=True) as connection:
        row = connection.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def _signed_up(clinic: Clinic, name: str, number: int) -> tuple[int, str]:
    """A patient who accepted the portal invitation: (patient id, username)."""
    patient_id = clinic.staff.add_patient(
        first_name=f"Load{name.title()}",
        last_name=f"Patient{number:03d}",
        date_of_birth="1980-05-17",
        email=f"load.{name}.{number}@example.com",
        zip_code="02139",
        actor=DESK,
    )
    clinic.staff.send_invitation(patient_id, actor=DESK)
    link = clinic.mail.outbox(patient_id)[0].link or ""
    username = f"load{name}{number:03d}"
    clinic.portal.accept_invitation(link.rsplit("?token=", 1)[1], username=username, password=PASSWORD)
    return patient_id, username


def _newest_action(clinic: Clinic, patient_id: int) -> str:
    return max(clinic.staff.audit_trail(patient_id), key=lambda record: record.id).action


def _digits(phone: str | None) -> str:
    return re.sub(r"\D", "", phone or "")


def prepare(url: str, *, patients: int, desks: int, smtp_port: int, seed_number: int) -> dict[str, Any]:
    """The clinic's settings and the charts the run works on; returns them for the spec."""
    chooser = random.Random(seed_number)
    with Clinic.open(f"{url}?application_name=load-setup", workstation="load-setup") as clinic:
        clinic.update_settings(
            actor=ADMIN,
            smtp_host="127.0.0.1",
            smtp_port=smtp_port,
            smtp_security="none",
            mail_per_hour=0,
            lockout_threshold=3,
            source_attempt_limit=10_000,
        )
        portal = [_signed_up(clinic, "portal", number) for number in range(20)]
        victims = [_signed_up(clinic, "locked", number) for number in range(desks)]
        invite_ids = [
            clinic.staff.add_patient(
                first_name="LoadInvite",
                last_name=f"Patient{number:03d}",
                date_of_birth="1975-02-03",
                email=f"load.invite.{number}@example.com",
                zip_code="02139",
                actor=DESK,
            )
            for number in range(100)
        ]
        # The charts the desks edit: few enough that two desks sometimes edit one at once.
        hot_ids = chooser.sample(range(30, patients + 1), min(200, max(1, patients - 30)))
        # The audit action each kind of desk action writes, seen once here.
        clinic.staff.update_contact(hot_ids[0], actor=DESK, phone="617-000-0000")
        edit_action = _newest_action(clinic, hot_ids[0])
        clinic.staff.send_invitation(invite_ids[0], actor=DESK)
        invite_action = _newest_action(clinic, invite_ids[0])
    return {
        "portal_users": [username for _id, username in portal],
        "victims": [patient_id for patient_id, _name in victims],
        "victim_users": [username for _id, username in victims],
        "invite_ids": invite_ids,
        "hot_ids": hot_ids,
        "password": PASSWORD,
        "actions": {"edit": edit_action, "invite": invite_action},
    }


class ConnectionSampler:
    """Counts the run database's client connections by application name, five times a second."""

    def __init__(self, dsn: str, database: str) -> None:
        self._dsn = dsn
        self._database = database
        self._stop = threading.Event()
        self.peak_total = 0
        self.peak_by_name: Counter[str] = Counter()
        self.peak_by_process: Counter[str] = Counter()
        self.samples = 0
        self.at_peak: dict[str, int] = {}  # listeners, desks' pools, workers at the busiest moment
        self.peak_at = 0.0
        self.lock_waits: Counter[str] = Counter()
        self.peak_lock_waiters = 0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> ConnectionSampler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        query = (
            "SELECT coalesce(application_name, ''), count(*) FROM pg_stat_activity "
            "WHERE datname = %s AND coalesce(application_name, '') <> 'load-observer' GROUP BY 1"
        )
        waiting = (
            "SELECT coalesce(wait_event, ''), count(*) FROM pg_stat_activity WHERE datname = %s "
            "AND wait_event_type = 'Lock' GROUP BY 1"
        )
        with psycopg.connect(self._dsn, autocommit=True) as connection:
            while not self._stop.wait(0.2):
                counts = dict(connection.execute(query, (self._database,)).fetchall())
                for event, count in connection.execute(waiting, (self._database,)).fetchall():
                    self.lock_waits[event] += 1  # samples in which someone waited on such a lock
                    self.peak_lock_waiters = max(self.peak_lock_waiters, count)
                self.samples += 1
                if sum(counts.values()) > self.peak_total:
                    self.peak_total = sum(counts.values())
                    self.peak_at = time.time()
                    self.at_peak = _kinds(counts)
                per_process: Counter[str] = Counter()
                for name, count in counts.items():
                    self.peak_by_name[name] = max(self.peak_by_name[name], count)
                    per_process[name.removesuffix("-live")] += count
                for name, count in per_process.items():
                    self.peak_by_process[name] = max(self.peak_by_process[name], count)


def _kinds(counts: dict[str, int]) -> dict[str, int]:
    kinds: Counter[str] = Counter()
    for name, count in counts.items():
        if name.endswith("-live"):
            kinds["listening"] += count
        elif name.startswith("load-desk-"):
            kinds["desk pools"] += count
        elif name.startswith(("load-portal-", "load-mail-")):
            kinds["portal and mail workers"] += count
        else:
            kinds[name or "(unnamed)"] += count
    return dict(kinds)


def check_updates(dsn: str, desks: list[dict[str, Any]]) -> dict[str, Any]:
    """No lost update: each chart's phone is the one its newest version wrote; no version written twice."""
    newest: dict[int, dict[str, Any]] = {}
    versions: Counter[tuple[int, int]] = Counter()
    for desk in desks:
        for edit in desk["edits"]:
            key = (edit["patient_id"], edit["version"])
            versions[key] += 1
            if edit["patient_id"] not in newest or edit["version"] > newest[edit["patient_id"]]["version"]:
                newest[edit["patient_id"]] = edit
    twice = sum(1 for count in versions.values() if count > 1)
    lost = 0
    if newest:
        with psycopg.connect(dsn, autocommit=True) as connection:
            rows = connection.execute(
                "SELECT id, phone FROM patients WHERE id = ANY(%s)", (list(newest),)
            ).fetchall()
        lost = sum(1 for patient_id, phone in rows if _digits(phone) != _digits(newest[patient_id]["phone"]))
    return {"edits": sum(versions.values()), "charts": len(newest), "lost": lost, "version_twice": twice}


def wait_for_outbox(dsn: str, since_id: int, seconds: float) -> int:
    """Wait until no email after ``since_id`` is queued; returns how many still are."""
    deadline = time.monotonic() + seconds
    while True:
        with psycopg.connect(dsn, autocommit=True) as connection:
            row = connection.execute(
                "SELECT count(*) FROM outbox_emails WHERE id > %s AND status = 'queued'", (since_id,)
            ).fetchone()
        waiting = int(row[0]) if row else 0
        if waiting == 0 or time.monotonic() > deadline:
            return waiting
        time.sleep(1)


def check_emails(
    dsn: str, since_id: int, received_ids: list[str], desks: list[dict[str, Any]]
) -> dict[str, Any]:
    """Every email queued since ``since_id`` reached the mail server once (cancelled ones never)."""
    with psycopg.connect(dsn, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT id, message_id, status FROM outbox_emails WHERE id > %s", (since_id,)
        ).fetchall()
    arrived = Counter(received_ids)
    by_status = Counter(status for _id, _message, status in rows)
    lost = sum(1 for _id, message, status in rows if status != "cancelled" and arrived[message] == 0)
    twice = sum(1 for _id, message, _status in rows if arrived[message] > 1)
    cancelled_sent = sum(1 for _id, message, status in rows if status == "cancelled" and arrived[message])
    known = {message for _id, message, _status in rows}
    stray = sum(count for message, count in arrived.items() if message not in known)
    ids = {row[0] for row in rows}
    missing_rows = sum(1 for desk in desks for email_id in desk["emails"] if email_id not in ids)
    return {
        "queued": len(rows),
        "by_status": dict(by_status),
        "received": len(received_ids),
        "lost": lost + missing_rows,
        "twice": twice + stray,
        "cancelled_but_sent": cancelled_sent,
    }


def check_audit(
    dsn: str, since_id: int, desks: list[dict[str, Any]], portal_logins: int, actions: dict[str, str]
) -> dict[str, Any]:
    """One audit entry per action: per desk and kind, and the portal's sign-ins."""
    with psycopg.connect(dsn, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT coalesce(workstation, ''), action, count(*) FROM audit_log WHERE id > %s GROUP BY 1, 2",
            (since_id,),
        ).fetchall()
    entries: dict[str, Counter[str]] = defaultdict(Counter)
    for workstation, action, count in rows:
        entries[workstation][action] += count
    expected = {"open": "chart_opened", "unlock": "unlock_account", **actions}
    mismatches: list[str] = []
    for desk in desks:
        for kind, action in expected.items():
            done = desk["done"].get(kind, 0)
            found = entries[desk["desk"]][action]
            if done != found:
                mismatches.append(f"{desk['desk']} {kind}: {done} done, {found} audited")
    logins = sum(counts["portal_login"] for name, counts in entries.items() if name.startswith("load-portal"))
    if logins != portal_logins:
        mismatches.append(f"portal sign-ins: {portal_logins} done, {logins} audited")
    return {"entries": sum(sum(c.values()) for c in entries.values()), "mismatches": mismatches}
