"""Secure connections, logins and the settings page's test email, against real loopback servers."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest

from clinic_desk import Clinic, ValidationError
from clinic_desk.services.delivery import DeliveryWorker
from clinic_desk.services.delivery_report import DeliveryReport
from clinic_desk.services.settings import ClinicSettings
from clinic_desk.services.smtp import MailServerProblem, send_test_email
from tests.services.helpers import STAFF, add_invited_patient, add_ready_patient
from tests.smtp_server import SmtpTestServer, free_port, make_certificate

USERS = {"mailer": "smtp-pass-123"}


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A test CA and a server certificate for 127.0.0.1."""
    pytest.importorskip("cryptography")
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def trusting(certificate: tuple[Path, Path, Path]) -> ssl.SSLContext:
    """A client TLS context that trusts the test CA (and checks the host name)."""
    return ssl.create_default_context(cafile=str(certificate[2]))


@pytest.fixture
def plain_server() -> Iterator[SmtpTestServer]:
    """A server without TLS or login."""
    with SmtpTestServer() as server:
        yield server


def settings_for(server: SmtpTestServer, **extra: object) -> ClinicSettings:
    return ClinicSettings().updated(**server.settings(**extra))


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_worker_sends_over_a_verified_secure_connection_with_login(
    clinic: Clinic, certificate: tuple[Path, Path, Path], trusting: ssl.SSLContext, security: str
) -> None:
    with SmtpTestServer(users=USERS, tls=security, certificate=certificate[:2]) as server:
        clinic.update_settings(actor="admin", **server.settings(smtp_username="mailer"))
        clinic.staff.send_invitation(add_ready_patient(clinic), actor=STAFF)
        worker = DeliveryWorker(clinic, lambda: USERS["mailer"], tls_context=trusting)
        assert worker.run_once() == DeliveryReport(sent=1)
        [received] = server.wait_for(1)
        assert received.login == "mailer"


def test_an_untrusted_certificate_is_a_plain_tls_problem(
    clinic: Clinic, certificate: tuple[Path, Path, Path]
) -> None:
    with SmtpTestServer(users=USERS, tls="starttls", certificate=certificate[:2]) as server:
        clinic.update_settings(actor="admin", **server.settings(smtp_username="mailer"))
        pid = add_invited_patient(clinic)
        report = DeliveryWorker(clinic, lambda: USERS["mailer"]).run_once()  # System CAs only.
        assert report.retried == 1 and report.problem is not None
        assert "security certificate could not be trusted" in report.problem
        assert server.received == [] and server.failed_logins == 0  # The password never left.
        assert clinic.mail.outbox(pid)[0].status == "queued"


def test_send_test_email_arrives(plain_server: SmtpTestServer) -> None:
    settings = settings_for(plain_server)
    message_id = send_test_email(settings, None, "front.desk@example.com")
    [received] = plain_server.wait_for(1)
    assert received.message_id == message_id
    assert received.rcpt_tos == ("front.desk@example.com",)
    assert "test email" in str(received.message["Subject"])


def test_send_test_email_through_the_clinic_uses_the_stored_password(clinic: Clinic) -> None:
    from clinic_desk.services import secret_store

    with SmtpTestServer(users=USERS) as server:
        clinic.update_settings(actor="admin", **server.settings(smtp_username="mailer"))
        secret_store.set_smtp_password(clinic.settings, USERS["mailer"])
        clinic.mail.send_test_email("front.desk@example.com")
        assert server.wait_for(1)[0].login == "mailer"


def test_send_test_email_says_the_server_is_down() -> None:
    settings = ClinicSettings(smtp_host="127.0.0.1", smtp_port=free_port(), smtp_security="none")
    with pytest.raises(MailServerProblem, match=r"Nothing answers at 127\.0\.0\.1:") as caught:
        send_test_email(settings, None, "front.desk@example.com")
    assert "down" in str(caught.value)


def test_send_test_email_says_the_login_was_refused() -> None:
    with SmtpTestServer(users=USERS) as server:
        settings = settings_for(server, smtp_username="mailer")
        with pytest.raises(MailServerProblem, match="refused the user name or password") as caught:
            send_test_email(settings, "not-the-password", "front.desk@example.com")
        assert caught.value.code == 535
        assert "not-the-password" not in str(caught.value)


def test_send_test_email_says_the_server_offers_no_starttls(plain_server: SmtpTestServer) -> None:
    settings = settings_for(plain_server).updated(smtp_security="starttls")
    with pytest.raises(MailServerProblem, match=r"does not offer a secure connection \(STARTTLS\)"):
        send_test_email(settings, None, "front.desk@example.com")


def test_send_test_email_says_tls_failed_on_a_plain_port(plain_server: SmtpTestServer) -> None:
    settings = settings_for(plain_server).updated(smtp_security="tls")
    with pytest.raises(MailServerProblem, match=r"secure connection to the mail server .* failed"):
        send_test_email(settings, None, "front.desk@example.com", timeout=5)


def test_send_test_email_says_the_server_refused_the_address(plain_server: SmtpTestServer) -> None:
    plain_server.handler.refuse_recipients = (550, "5.1.1 User unknown")
    with pytest.raises(MailServerProblem, match=r"refused the test email .*550 5\.1\.1 User unknown"):
        send_test_email(settings_for(plain_server), None, "nobody@example.com")


def test_a_password_is_never_sent_unencrypted_to_another_computer() -> None:
    settings = ClinicSettings(smtp_host="mail.example.com", smtp_security="none", smtp_username="mailer")
    with pytest.raises(MailServerProblem, match="will not send the password") as caught:
        send_test_email(settings, "pw", "front.desk@example.com")
    assert caught.value.field == "smtp_security"


def test_send_test_email_checks_its_inputs(plain_server: SmtpTestServer) -> None:
    with pytest.raises(ValidationError):
        send_test_email(settings_for(plain_server), None, "not an address")
    with pytest.raises(MailServerProblem, match="No mail server is set up"):
        send_test_email(ClinicSettings(), None, "front.desk@example.com")
    with pytest.raises(MailServerProblem, match="not a complete email address"):
        send_test_email(settings_for(plain_server, sender_address="portal"), None, "a@example.com")
