"""``clinic-desk portal`` as a real process, and its secret-file checks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from clinic_desk.cli import main
from tests.smtp_server import free_port

REPO = Path(__file__).resolve().parents[2]


def wait_for(url: str, process: subprocess.Popen[bytes]) -> httpx.Response:
    deadline = time.monotonic() + 30
    while True:
        assert process.poll() is None, process.communicate()[1].decode()
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            assert time.monotonic() < deadline, "the portal did not answer"
            time.sleep(0.1)


def test_the_command_serves_the_pages_and_the_health_check(sqlite_url: str, tmp_path: Path) -> None:
    secret = tmp_path / "portal.secret"
    secret.write_text("s" * 40 + "\n")
    secret.chmod(0o600)
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "clinic_desk",
        "--db",
        sqlite_url,
        "portal",
        "--port",
        str(port),
        "--secret-file",
        str(secret),
    ]
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment)
    try:
        health = wait_for(f"http://127.0.0.1:{port}/healthz", process)
        assert (health.status_code, health.text) == (200, "ok")
        page = httpx.get(f"http://127.0.0.1:{port}/?lang=es")
        assert page.status_code == 200 and '<form id="sign-in"' in page.text
    finally:
        process.send_signal(signal.SIGTERM)  # as systemd stops it
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err.decode()
    assert f"on http://127.0.0.1:{port}/" in out.decode() and "The portal has stopped." in out.decode()
    assert "lang=es" not in err.decode()  # the request lines carry no query string
    assert "GET /healthz 200" in err.decode()


def test_a_secret_file_others_can_read_or_too_short_is_refused(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "portal.secret"
    secret.write_text("s" * 40)
    secret.chmod(0o644)
    assert main(["--db", sqlite_url, "portal", "--secret-file", str(secret)]) == 1
    assert "can be read by other users" in capsys.readouterr().err
    secret.chmod(0o600)
    secret.write_text("short")
    assert main(["--db", sqlite_url, "portal", "--secret-file", str(secret)]) == 1
    assert "too short" in capsys.readouterr().err


def test_a_bad_port_is_a_usage_mistake(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["portal", "--port", "99999"]) == 2
    assert "choose a port from 1 to 65535" in capsys.readouterr().err
