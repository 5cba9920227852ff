"""The demo's mail catcher: real SMTP on loopback, each message kept whole as an .eml file."""

from __future__ import annotations

import contextlib
import io
import smtplib
import socket
import threading
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from types import SimpleNamespace

import pytest

from clinic_desk.cli import main
from clinic_desk.cli_demo_mail import run_demo_mail
from clinic_desk.demo.mail_catcher import catch_mail
from clinic_desk.demo.mail_sink import mail_sink


def _email(to: str, subject: str, text: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "portal@riverside-clinic.example"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    message.add_alternative(f"<p>{text}</p>", subtype="html")
    return message


def _send(address: tuple[str, int], *messages: EmailMessage) -> None:
    with smtplib.SMTP(*address, timeout=10) as smtp:
        for message in messages:
            smtp.send_message(message)


def test_each_email_is_kept_whole_in_its_own_file(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "mailbox"  # made by the catcher
    text = "Hello Ana,\n.a line starting with a dot\n..and two\nOpen http://127.0.0.1:8080/x?token=t\n"
    with catch_mail(folder) as address:
        _send(address, _email("ana@example.com", "First", text), _email("bo@example.com", "Second", "Hi"))
    files = sorted(folder.glob("*.eml"))
    assert len(files) == 2
    assert [path.name for path in folder.iterdir() if not path.name.endswith(".eml")] == []
    first = BytesParser(policy=policy.default).parsebytes(files[0].read_bytes())
    assert isinstance(first, EmailMessage)
    assert (first["To"], first["Subject"]) == ("ana@example.com", "First")
    body = first.get_body(preferencelist=("plain",))
    assert body is not None and body.get_content() == text  # the dots came back unstuffed


def test_the_showcase_sink_still_bounces_what_it_is_told_to() -> None:
    with (
        mail_sink({"gone@example.com": "550 5.1.1 mailbox unavailable"}) as address,
        smtplib.SMTP(*address, timeout=10) as smtp,
        pytest.raises(smtplib.SMTPRecipientsRefused),
    ):
        smtp.sendmail("a@example.com", ["gone@example.com"], "Subject: x\r\n\r\nhi\r\n")


def test_demo_mail_command_serves_until_stopped(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    stop = threading.Event()
    args = SimpleNamespace(folder=str(tmp_path / "box"), port=port)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        runner = threading.Thread(target=run_demo_mail, args=(args, stop))
        runner.start()
        try:
            for _ in range(200):  # until it listens (a few ms)
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.05):
                    break
                threading.Event().wait(0.01)
            _send(("127.0.0.1", port), _email("ana@example.com", "Caught", "Hi"))
        finally:
            stop.set()
            runner.join(10)
    assert len(list((tmp_path / "box").glob("*.eml"))) == 1
    assert f"127.0.0.1:{port}" in out.getvalue()


def test_a_busy_port_is_said_in_one_line(tmp_path: Path) -> None:
    err = io.StringIO()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with contextlib.redirect_stderr(err):
            code = main(["demo-mail", "--folder", str(tmp_path), "--port", str(port)])
    assert code == 1
    assert f"port {port} on 127.0.0.1 is already in use" in err.getvalue()
    assert len(err.getvalue().strip().splitlines()) == 1


def test_a_port_out_of_range_is_a_usage_mistake(tmp_path: Path) -> None:
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["demo-mail", "--folder", str(tmp_path), "--port", "70000"]) == 2
    assert "choose a port from 1 to 65535" in err.getvalue()
