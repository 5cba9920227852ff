"""Time outbox delivery to a loopback SMTP server and print emails/second.

    .venv/bin/python scripts/bench_mail.py --emails 1000 --db sqlite --workers 1
    .venv/bin/python scripts/bench_mail.py --emails 1000 --db postgresql --workers 4

Queues real invitations (staff path), starts an aiosmtpd server on 127.0.0.1 that
accepts everything, then runs DeliveryWorker threads (each with its own Clinic, like
separate workstations) until the outbox is empty. Checks that every Message-ID arrived
exactly once. "sqlite" uses a fresh file in a temporary folder; "postgresql" a fresh
database on 127.0.0.1:5432 (user postgres), dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiosmtpd.controller import Controller
from sqlalchemy import select

from clinic_desk import Clinic
from clinic_desk.db.models import OutboxEmail
from clinic_desk.services.delivery import DeliveryWorker
from clinic_desk.services.delivery_report import DeliveryReport
from tests.databases import new_postgres_database

PG_SERVER = os.environ.get("CLINIC_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")


class CountingHandler:
    """Accepts every message and counts Message-IDs."""

    def __init__(self) -> None:
        self.ids: Counter[str] = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content = bytes(envelope.original_content or envelope.content)
        header = content.split(b"\r\n\r\n", 1)[0]
        found = next(
            (
                line.split(b":", 1)[1].strip()
                for line in header.split(b"\r\n")
                if line.lower().startswith(b"message-id:")
            ),
            b"?",
        )
        with self.lock:
            self.ids[found.decode()] += 1
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _letters(number: int) -> str:
    word = ""
    while True:
        number, rest = divmod(number, 26)
        word = chr(ord("a") + rest) + word
        if number == 0:
            return word


def main() -> int:
    """Queue, deliver, verify and report."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--emails", type=int, default=1000)
    parser.add_argument("--db", default="sqlite", help="sqlite or postgresql")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--batch", type=int, default=50, help="emails claimed per run_once")
    args = parser.parse_args()

    made = ExitStack()  # drops the PostgreSQL database made for the run
    if args.db == "sqlite":
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='clinic-mail-bench-')) / 'clinic.db'}"
    elif args.db == "postgresql":
        url = made.enter_context(new_postgres_database(PG_SERVER, "clinic_bench"))
    else:
        parser.error("--db must be sqlite or postgresql")

    handler = CountingHandler()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        clock = lambda: datetime.now(UTC)  # noqa: E731 - the real clock, as in production
        with Clinic.open(url, clock=clock) as clinic:
            clinic.update_settings(
                actor="admin", smtp_host="127.0.0.1", smtp_port=port, smtp_security="none", smtp_username=""
            )
            began = time.perf_counter()
            for number in range(args.emails):
                pid = clinic.staff.add_patient(
                    first_name="Pat",
                    last_name="Lee" + _letters(number),
                    date_of_birth="1980-01-01",
                    email=f"pat.{_letters(number)}@example.com",
                    zip_code="02139",
                    actor="bench",
                )
                clinic.staff.send_invitation(pid, actor="bench")
            queued = time.perf_counter() - began
            with clinic.reading() as session:
                expected = set(session.scalars(select(OutboxEmail.message_id)))

        clinics = [Clinic.open(url, clock=clock) for _ in range(args.workers)]
        totals = [DeliveryReport() for _ in clinics]

        def drain(index: int) -> None:
            worker = DeliveryWorker(clinics[index], worker_id=f"bench-{index}")
            while True:
                report = worker.run_once(limit=args.batch)
                totals[index] += report
                if report.total == 0 and clinics[index].mail.pending_count() == 0:
                    return

        threads = [threading.Thread(target=drain, args=(index,)) for index in range(args.workers)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
        for each in clinics:
            each.close()
    finally:
        controller.stop()
        made.close()

    duplicates = sum(1 for count in handler.ids.values() if count > 1)
    missing = len(expected - set(handler.ids))
    print(f"database: {args.db}, workers: {args.workers}, batch: {args.batch}")
    print(f"queued {args.emails} invitations in {queued:.2f} s ({args.emails / queued:.0f}/s)")
    print(
        f"delivered {sum(t.sent for t in totals)} in {elapsed:.2f} s ({args.emails / elapsed:.0f} emails/s)"
    )
    print(f"per worker: {[t.sent for t in totals]}; duplicates: {duplicates}; missing: {missing}")
    return 0 if duplicates == 0 and missing == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
