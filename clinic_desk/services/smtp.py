"""Talking to the clinic's mail server: connect (STARTTLS, TLS or plain), build and send emails.

Problems come back in plain words. Nothing here logs: callers log only email ids and
SMTP status codes, never addresses, contents or passwords.
"""

from __future__ import annotations

import ipaddress
import smtplib
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from clinic_desk.domain.email_idn import ascii_email
from clinic_desk.domain.errors import ClinicDeskError, ValidationError
from clinic_desk.domain.settings_rules import SECURITY_CHOICES as SECURITY_CHOICES
from clinic_desk.domain.validation import clean_email
from clinic_desk.services.settings import ClinicSettings

# Bounds every socket operation, so a stuck server cannot hold a claim forever.
DEFAULT_TIMEOUT = 20.0


class MailServerProblem(ClinicDeskError):
    """The mail server cannot be used right now: unreachable, TLS failed, login refused, not set up.

    ``code`` is the server's SMTP reply code when it gave one.
    """

    def __init__(self, message: str, *, code: int | None = None, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.code = code


class SendRefused(Exception):
    """The server refused one email (the connection stays usable).

    ``stage`` is where: "sender" (MAIL FROM), "recipient" (RCPT TO) or "data".
    """

    def __init__(self, code: int, reply: str, stage: str = "data") -> None:
        super().__init__(code, reply)
        self.code = code
        self.reply = reply
        self.stage = stage

    @property
    def permanent(self) -> bool:
        """5xx replies about this email are final; 4xx (greylisting, mailbox full...) are retried.

        A refused sender is the clinic's setup, not the patient's address: always retried,
        so fixing the settings delivers every waiting email.
        """
        return self.code >= 500 and self.stage != "sender"

    @property
    def reason(self) -> str:
        """The server's reply as stored in the outbox, e.g. '550 5.1.1 mailbox unavailable'."""
        return f"{self.code} {self.reply}".strip()

    def __str__(self) -> str:
        return self.reason


@dataclass(frozen=True)
class OutgoingEmail:
    """What one outbox row needs to become an email."""

    to: str
    subject: str
    text: str
    html: str | None
    message_id: str


def build_message(email: OutgoingEmail, settings: ClinicSettings, date: datetime) -> EmailMessage:
    """A multipart/alternative message (text, then HTML) with the stored Message-ID."""
    message = EmailMessage()
    sender = _sender(settings)
    message["From"] = sender
    # A domain stored before it was kept in ASCII form still goes out in that form (no SMTPUTF8 needed).
    message["To"] = ascii_email(email.to)
    message["Reply-To"] = sender
    message["Subject"] = email.subject
    message["Date"] = format_datetime(date)
    message["Message-ID"] = email.message_id
    # Asks auto-responders (out-of-office) not to answer a machine-sent email.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(email.text)
    if email.html:
        message.add_alternative(email.html, subtype="html")
    return message


@contextmanager
def connect(
    settings: ClinicSettings,
    password: str | None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    tls_context: ssl.SSLContext | None = None,
) -> Iterator[smtplib.SMTP]:
    """An open, logged-in SMTP connection per the settings; closed (QUIT) afterwards.

    Raises:
        MailServerProblem: not set up, unreachable, TLS failed or login refused.
    """
    connection = open_connection(settings, password, timeout=timeout, tls_context=tls_context)
    try:
        yield connection
    finally:
        close_quietly(connection)


def open_connection(
    settings: ClinicSettings,
    password: str | None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    tls_context: ssl.SSLContext | None = None,
) -> smtplib.SMTP:
    """Open and log in; the caller closes with ``close_quietly``. See ``connect``."""
    host = settings.smtp_host.strip()
    port = settings.smtp_port
    security = settings.smtp_security
    username = settings.smtp_username.strip()
    where = f"{host}:{port}"
    if not host:
        raise MailServerProblem(
            "No mail server is set up. Enter the clinic's SMTP server in Settings.", field="smtp_host"
        )
    if security not in SECURITY_CHOICES:
        raise MailServerProblem(
            f"The mail security setting '{security}' is not known; choose STARTTLS, TLS or none.",
            field="smtp_security",
        )
    if username and not password:
        raise MailServerProblem(
            "The mail server password is not set on this computer. Enter it in Settings.", field="password"
        )
    if username and security == "none" and not _is_loopback(host):
        # A password over an unencrypted connection can be read by anyone on the network.
        raise MailServerProblem(
            f"The mail server {where} is set to no encryption, so Clinic Desk will not send "
            "the password to it. Choose STARTTLS (usually port 587) or TLS (usually port 465).",
            field="smtp_security",
        )
    context = tls_context or ssl.create_default_context()
    try:
        connection = (
            smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
            if security == "tls"
            else smtplib.SMTP(host, port, timeout=timeout)
        )
    except (OSError, smtplib.SMTPException) as error:
        raise MailServerProblem(_connect_problem(error, where, security), code=_code_of(error)) from error
    try:
        connection.ehlo()
        if security == "starttls":
            if not connection.has_extn("starttls"):
                raise MailServerProblem(
                    f"The mail server {where} does not offer a secure connection (STARTTLS). "
                    "Check the port, or choose TLS or none in Settings.",
                    field="smtp_security",
                )
            connection.starttls(context=context)
            connection.ehlo()
        if username:
            connection.login(username, password or "")
    except MailServerProblem:
        close_quietly(connection)
        raise
    except (OSError, smtplib.SMTPException) as error:
        close_quietly(connection)
        raise MailServerProblem(_connect_problem(error, where, security), code=_code_of(error)) from error
    return connection


def close_quietly(connection: smtplib.SMTP) -> None:
    """Say QUIT when the server still listens; close the socket in any case."""
    try:
        connection.quit()
    except (OSError, smtplib.SMTPException):
        connection.close()


def send_one(connection: smtplib.SMTP, message: EmailMessage, sender: str, to: str) -> None:
    """Send one message to one address.

    Raises:
        SendRefused: the server refused this email (4xx or 5xx); the connection stays usable.
        MailServerProblem: the connection broke; open a new one.
    """
    try:
        connection.send_message(message, from_addr=sender, to_addrs=[ascii_email(to)])
    except smtplib.SMTPRecipientsRefused as error:
        code, reply = next(iter(error.recipients.values()), (550, b"recipient refused"))
        raise SendRefused(int(code), _text(reply), "recipient") from error
    except smtplib.SMTPSenderRefused as error:
        raise SendRefused(int(error.smtp_code), _text(error.smtp_error), "sender") from error
    except smtplib.SMTPNotSupportedError as error:
        # An address with non-ASCII characters, and the server does not take them (SMTPUTF8).
        raise SendRefused(
            553, "the mail server does not accept international email addresses", "recipient"
        ) from error
    except smtplib.SMTPServerDisconnected as error:
        raise MailServerProblem("The mail server closed the connection while sending.") from error
    except smtplib.SMTPResponseException as error:
        # Data refused (content, size...), or any other reply the server gave this message.
        raise SendRefused(int(error.smtp_code), _text(error.smtp_error)) from error
    except (OSError, smtplib.SMTPException) as error:
        raise MailServerProblem(
            f"The connection to the mail server broke while sending ({type(error).__name__})."
        ) from error


def send_test_email(
    settings: ClinicSettings,
    password: str | None,
    to: str,
    *,
    now: datetime | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    tls_context: ssl.SSLContext | None = None,
) -> str:
    """Send a short test email with these settings; returns its Message-ID.

    Raises:
        ValidationError: the recipient address or the clinic's sender address is not valid.
        MailServerProblem: in plain words: login refused, server unreachable, TLS problem,
            or the server refused the email.
    """
    address = clean_email(to)
    if not address:
        raise ValidationError("Enter the email address the test email should go to.", field="to")
    moment = now or datetime.now(UTC)
    domain = settings.sender_address.rsplit("@", 1)[-1] or "clinic-desk.invalid"
    email = OutgoingEmail(
        to=address,
        subject=f"{settings.clinic_name}: Clinic Desk test email",
        text=(
            "This is a test email from Clinic Desk.\n\n"
            "If you can read it, the clinic's mail settings work: patients will receive "
            "their portal invitations and password-reset emails.\n"
        ),
        html=None,
        message_id=make_msgid(domain=domain),
    )
    message = build_message(email, settings, moment)
    with connect(settings, password, timeout=timeout, tls_context=tls_context) as connection:
        try:
            send_one(connection, message, settings.sender_address, address)
        except SendRefused as refusal:
            raise MailServerProblem(
                f"The mail server refused the test email to {address}: {refusal.reason}.", code=refusal.code
            ) from refusal
    return email.message_id


def _sender(settings: ClinicSettings) -> Address:
    address = settings.sender_address.strip()
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        raise MailServerProblem(
            f"The clinic's sender address '{address}' is not a complete email address. Fix it in Settings.",
            field="sender_address",
        )
    return Address(display_name=settings.sender_name.strip(), username=local, domain=domain)


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return " ".join(text.split())


def _code_of(error: BaseException) -> int | None:
    return int(error.smtp_code) if isinstance(error, smtplib.SMTPResponseException) else None


def _connect_problem(error: BaseException, where: str, security: str) -> str:
    """Plain words for a failure to connect, secure or log in."""
    host = where.rsplit(":", 1)[0]
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return (
            f"The mail server {where} refused the user name or password "
            f"({error.smtp_code} {_text(error.smtp_error)}). Check them in Settings."
        )
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return (
            f"The mail server {where} does not accept a login on this connection. "
            "Check the security setting, or leave the user name empty if it needs none."
        )
    if isinstance(error, ssl.SSLCertVerificationError):
        return (
            f"The mail server {where}'s security certificate could not be trusted "
            f"({error.verify_message}). Check the server name; if it is right, ask your IT support."
        )
    if isinstance(error, ssl.SSLError):
        hint = (
            "TLS usually uses port 465 and STARTTLS port 587"
            if security in ("tls", "starttls")
            else "check the security setting"
        )
        return f"The secure connection to the mail server {where} failed ({error.reason or error}); {hint}."
    if isinstance(error, smtplib.SMTPConnectError):
        return (
            f"The mail server {where} refused the connection ({error.smtp_code} {_text(error.smtp_error)})."
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return (
            f"The mail server {where} answered with an error ({error.smtp_code} {_text(error.smtp_error)})."
        )
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return (
            f"The mail server {where} closed the connection. Check the port and the security "
            "setting (TLS usually uses port 465, STARTTLS port 587)."
        )
    if isinstance(error, socket.gaierror):
        return f"The mail server name '{host}' could not be found. Check the spelling in Settings."
    if isinstance(error, ConnectionRefusedError):
        return f"Nothing answers at {where}: the mail server is down, or the port is wrong."
    if isinstance(error, TimeoutError):
        return f"The mail server {where} did not answer in time. Check the address, port and network."
    return f"The mail server {where} cannot be reached ({type(error).__name__})."
