"""`clinic-desk mail-worker` sends the outbox from its own process and stops cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from clinic_desk import Clinic
from tests.services.helpers import STAFF, add_ready_patient
from tests.smtp_server import SmtpTestServer


def test_mail_worker_sends_queued_invitations_then_stops_on_sigterm(sqlite_url: str) -> None:
    with SmtpTestServer() as server, Clinic.open(sqlite_url) as clinic:
        clinic.update_settings(actor="admin", **server.settings())
        pids = [add_ready_patient(clinic, first=name) for name in ("Ana", "Bo", "Cy")]
        for pid in pids:
            clinic.staff.send_invitation(pid, actor=STAFF)
        worker = subprocess.Popen(
            [sys.executable, "-m", "clinic_desk", "mail-worker", "--db", sqlite_url, "--poll", "0.2"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            received = server.wait_for(3, timeout=30)
        finally:
            worker.send_signal(signal.SIGTERM)
            out, err = worker.communicate(timeout=30)
        assert worker.returncode == 0, err
        assert sorted(mail.message_id for mail in received) == sorted(
            clinic.mail.outbox(pid)[0].message_id for pid in pids
        )
        assert all(clinic.mail.outbox(pid)[0].status == "sent" for pid in pids)
        assert "sent " in out
        # Counts only: no address or name reaches the worker's output.
        assert "@" not in out.replace(clinic.describe_database(), "") and "Ana" not in out
        # The worker recorded today's portal status (the adoption chart), so a second try writes nothing.
        assert not clinic.record_daily_status()
        assert clinic.adoption(1).months[-1].gold == len(pids)


def test_mail_worker_without_an_email_server_says_so(sqlite_url: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "clinic_desk", "mail-worker", "--db", sqlite_url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "no email server is set up" in done.stderr
    assert "Traceback" not in done.stderr
