"""`clinic-desk mail-worker` on a server without a keyring: the password from a file or a systemd credential.

A real aiosmtpd server on loopback requires AUTH; the worker runs in its own process
with the keyring turned off (PYTHON_KEYRING_BACKEND=fail), as on a headless server.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from clinic_desk import Clinic
from clinic_desk.cli import main
from clinic_desk.cli_mail import NO_PASSWORD
from clinic_desk.cli_output import echo
from clinic_desk.cli_secrets import SecretFileProblem, read_credential, read_password_file
from tests.services.helpers import STAFF, add_ready_patient
from tests.smtp_server import SmtpTestServer

PASSWORD = "smtp-pass-123 with spaces"
USERS = {"mailer": PASSWORD}
NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", "PYTHONUNBUFFERED": "1"}


def _private_file(path: Path, content: str, mode: int = 0o600) -> Path:
    path.write_text(content, encoding="utf-8")
    path.chmod(mode)
    return path


def _worker(url: str, *extra: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "clinic_desk", "mail-worker", "--db", url, "--poll", "0.2", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **NO_KEYRING, **(env or {})},
    )


@pytest.fixture
def server() -> SmtpTestServer:
    with SmtpTestServer(users=USERS) as running:
        yield running


@pytest.fixture
def invited(sqlite_url: str, server: SmtpTestServer) -> str:
    """A clinic whose mail server wants a login, with one invitation waiting."""
    with Clinic.open(sqlite_url) as clinic:
        clinic.update_settings(actor="admin", **server.settings(smtp_username="mailer"))
        clinic.staff.send_invitation(add_ready_patient(clinic), actor=STAFF)
    return sqlite_url


def _sends_then_stops(worker: subprocess.Popen[str], server: SmtpTestServer) -> str:
    try:
        [received] = server.wait_for(1, timeout=30)
    finally:
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=30)
    assert worker.returncode == 0, err
    assert received.login == "mailer"
    assert PASSWORD not in out + err
    return out


def test_the_password_from_a_private_file(invited: str, server: SmtpTestServer, tmp_path: Path) -> None:
    secret = _private_file(tmp_path / "smtp-password", PASSWORD + "\n")
    out = _sends_then_stops(_worker(invited, "--smtp-password-file", str(secret)), server)
    assert "sent 1" in out


def test_the_password_from_a_systemd_credential(invited: str, server: SmtpTestServer, tmp_path: Path) -> None:
    credentials = tmp_path / "credentials"
    credentials.mkdir(mode=0o700)
    _private_file(credentials / "smtp-password", PASSWORD)
    worker = _worker(
        invited,
        "--smtp-password-credential",
        "smtp-password",
        env={"CREDENTIALS_DIRECTORY": str(credentials)},
    )
    _sends_then_stops(worker, server)


def test_without_any_password_it_stops_at_once_and_says_how_to_give_one(
    invited: str, server: SmtpTestServer
) -> None:
    started = time.monotonic()
    worker = _worker(invited)
    _out, err = worker.communicate(timeout=60)
    assert worker.returncode == 1
    assert time.monotonic() - started < 30  # no loop: it stops by itself
    assert "Traceback" not in err
    [line] = err.splitlines()
    assert line.startswith("clinic-desk: the email server needs a password and this computer has none")
    assert "--smtp-password-file PATH" in line and "--smtp-password-credential NAME" in line
    assert server.received == [] and server.failed_logins == 0


def test_a_password_file_others_can_read_is_refused(
    invited: str, server: SmtpTestServer, tmp_path: Path
) -> None:
    secret = _private_file(tmp_path / "smtp-password", PASSWORD, mode=0o644)
    worker = _worker(invited, "--smtp-password-file", str(secret))
    out, err = worker.communicate(timeout=60)
    assert worker.returncode == 1
    assert err.strip() == (
        f"clinic-desk: The password file {echo(str(secret))} can be read by other users; "
        "make it private first (chmod 600) and change the password if others may have seen it."
    )
    assert PASSWORD not in out + err
    assert server.received == [] and server.failed_logins == 0


def test_a_worker_that_needs_no_login_ignores_the_keyring(sqlite_url: str, tmp_path: Path) -> None:
    with SmtpTestServer() as open_server, Clinic.open(sqlite_url) as clinic:
        clinic.update_settings(actor="admin", **open_server.settings())
        clinic.staff.send_invitation(add_ready_patient(clinic), actor=STAFF)
        worker = _worker(sqlite_url)
        try:
            [received] = open_server.wait_for(1, timeout=30)
        finally:
            worker.send_signal(signal.SIGTERM)
            _out, err = worker.communicate(timeout=30)
        assert worker.returncode == 0, err
        assert received.login is None


# --- the file checks, in-process ---------------------------------------------------------


def test_a_group_readable_file_is_refused(tmp_path: Path) -> None:
    secret = _private_file(tmp_path / "p", PASSWORD, mode=0o640)
    with pytest.raises(SecretFileProblem, match="can be read by other users"):
        read_password_file(str(secret))


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="only root can give a file away")
def test_a_file_of_another_user_is_refused(tmp_path: Path) -> None:
    secret = _private_file(tmp_path / "p", PASSWORD)
    os.chown(secret, 65534, 65534)
    with pytest.raises(SecretFileProblem, match="belongs to another user") as caught:
        read_password_file(str(secret))
    assert PASSWORD not in str(caught.value)


def test_missing_empty_folder_and_link_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SecretFileProblem, match="does not exist"):
        read_password_file(str(tmp_path / "missing"))
    with pytest.raises(SecretFileProblem, match="is empty"):
        read_password_file(str(_private_file(tmp_path / "empty", "\n")))
    folder = tmp_path / "folder"
    folder.mkdir(mode=0o700)
    with pytest.raises(SecretFileProblem, match="not a plain file"):
        read_password_file(str(folder))
    target = _private_file(tmp_path / "target", PASSWORD)
    (tmp_path / "link").symlink_to(target)
    with pytest.raises(SecretFileProblem, match="cannot be read"):
        read_password_file(str(tmp_path / "link"))


def test_the_first_line_is_the_password(tmp_path: Path) -> None:
    assert read_password_file(str(_private_file(tmp_path / "p", f"{PASSWORD}\r\nnotes\n"))) == PASSWORD


def test_a_credential_needs_systemd_and_a_plain_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CREDENTIALS_DIRECTORY", raising=False)
    with pytest.raises(SecretFileProblem, match="CREDENTIALS_DIRECTORY is not set"):
        read_credential("smtp-password")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path))
    for name in ("", "..", "../etc/passwd", "a/b"):
        with pytest.raises(SecretFileProblem, match="is not a credential name"):
            read_credential(name)
    _private_file(tmp_path / "smtp-password", PASSWORD)
    assert read_credential("smtp-password") == PASSWORD


def test_a_password_forgotten_while_running_stops_the_worker_with_the_same_advice(
    sqlite_url: str, server: SmtpTestServer
) -> None:
    with Clinic.open(sqlite_url) as clinic:
        clinic.update_settings(actor="admin", **server.settings(smtp_username="mailer"))
        clinic.setup.set_smtp_password(PASSWORD)  # the test's in-memory keyring
        patient_id = add_ready_patient(clinic)
    out, err = io.StringIO(), io.StringIO()
    done = threading.Event()

    def colleague() -> None:
        deadline = time.monotonic() + 30
        while "Sending the outbox" not in out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.05)
        with Clinic.open(sqlite_url) as desk:
            desk.setup.forget_smtp_password()
            desk.staff.send_invitation(patient_id, actor=STAFF)
        if not done.wait(30):  # a worker that loops on is stopped, and the test fails below
            os.kill(os.getpid(), signal.SIGINT)

    helper = threading.Thread(target=colleague)
    helper.start()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["mail-worker", "--db", sqlite_url, "--poll", "0.2"])
    finally:
        done.set()
        helper.join()
    assert code == 1, err.getvalue()
    assert err.getvalue().splitlines()[-1] == f"clinic-desk: {NO_PASSWORD}"
    assert server.received == [] and server.failed_logins == 0


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="only root can give a file away")
def test_a_credential_of_another_user_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path))
    os.chown(_private_file(tmp_path / "smtp-password", PASSWORD), 65534, 65534)
    with pytest.raises(SecretFileProblem, match="belongs to another user"):
        read_credential("smtp-password")
