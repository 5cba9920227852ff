"""A real SMTP server on loopback for tests (aiosmtpd), that records what it receives.

It can be told to refuse recipients or messages with a 4xx/5xx reply, to require a
login, to speak TLS (implicit or STARTTLS), and to stop and start again on the same
port, so tests can take the mail server "down" and bring it back.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class ReceivedEmail:
    """One message the server accepted."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    message: EmailMessage
    login: str | None = None

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    def part(self, subtype: str) -> str:
        """The decoded text of the text/plain or text/html part."""
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None and body.get_content_subtype() == subtype, f"no text/{subtype} part"
        return str(body.get_content())


@dataclass
class RecordingHandler:
    """aiosmtpd handler: records accepted messages; replies with a refusal when told to."""

    received: list[ReceivedEmail] = field(default_factory=list)
    # e.g. (550, "5.1.1 <x@y>: Recipient address rejected: User unknown")
    refuse_recipients: tuple[int, str] | None = None
    refuse_data: tuple[int, str] | None = None
    refuse_sender: tuple[int, str] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    arrived: threading.Condition = field(init=False)

    def __post_init__(self) -> None:
        self.arrived = threading.Condition(self.lock)

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.refuse_sender:
            return f"{self.refuse_sender[0]} {self.refuse_sender[1]}"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.refuse_recipients:
            return f"{self.refuse_recipients[0]} {self.refuse_recipients[1]}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse_data:
            return f"{self.refuse_data[0]} {self.refuse_data[1]}"
        data = bytes(envelope.original_content or envelope.content)
        parsed = BytesParser(policy=policy.default).parsebytes(data)
        auth = getattr(session, "auth_data", None)
        login = auth.decode() if isinstance(auth, bytes) else None
        with self.arrived:
            self.received.append(
                ReceivedEmail(
                    mail_from=envelope.mail_from,
                    rcpt_tos=tuple(envelope.rcpt_tos),
                    data=data,
                    message=parsed,
                    login=login,
                )
            )
            self.arrived.notify_all()
        return "250 Message accepted for delivery"


class SmtpTestServer:
    """A loopback SMTP server a test can start, stop, restart and script.

    ``users`` turns on AUTH (user -> password). ``tls`` is "none", "starttls" or "tls"
    and needs ``certificate`` (cert and key PEM paths).
    """

    def __init__(
        self,
        *,
        users: dict[str, str] | None = None,
        tls: str = "none",
        certificate: tuple[Path, Path] | None = None,
    ) -> None:
        self.host = HOST
        self.port = free_port()
        self.handler = RecordingHandler()
        self.users = users
        self.tls = tls
        self.certificate = certificate
        self.failed_logins = 0
        self._controller: Controller | None = None

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> SmtpTestServer:
        assert self._controller is None, "already running"
        kwargs: dict[str, Any] = {"hostname": self.host, "port": self.port}
        if self.users is not None:
            # aiosmtpd only knows about STARTTLS; over implicit TLS it would refuse AUTH.
            kwargs.update(authenticator=self._authenticate, auth_require_tls=self.tls == "starttls")
        if self.tls != "none":
            assert self.certificate is not None, "TLS needs a certificate"
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(str(self.certificate[0]), str(self.certificate[1]))
            if self.tls == "tls":
                kwargs["ssl_context"] = context
            else:
                kwargs.update(tls_context=context, require_starttls=True)
        controller = Controller(self.handler, **kwargs)
        controller.start()
        self._controller = controller
        return self

    def stop(self) -> None:
        """Take the server down (connections are refused until ``start``)."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpTestServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # -- scripting and reading ----------------------------------------------------------

    @property
    def received(self) -> list[ReceivedEmail]:
        with self.handler.lock:
            return list(self.handler.received)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[ReceivedEmail]:
        """Wait until at least ``count`` messages arrived (no fixed sleeps)."""
        deadline = time.monotonic() + timeout
        with self.handler.arrived:
            while len(self.handler.received) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"only {len(self.handler.received)} of {count} emails arrived"
                self.handler.arrived.wait(left)
            return list(self.handler.received)

    def settings(self, **extra: Any) -> dict[str, Any]:
        """Clinic settings that point at this server."""
        values: dict[str, Any] = {
            "smtp_host": self.host,
            "smtp_port": self.port,
            "smtp_security": self.tls,
            "smtp_username": "",
        }
        values.update(extra)
        return values

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if isinstance(auth_data, LoginPassword) and self.users is not None:
            user, password = auth_data.login.decode(), auth_data.password.decode()
            if self.users.get(user) == password:
                return AuthResult(success=True, auth_data=auth_data.login)
        self.failed_logins += 1
        return AuthResult(success=False, handled=False)


def make_certificate(folder: Path, hostname: str = HOST) -> tuple[Path, Path, Path]:
    """A throw-away CA and a server certificate for ``hostname``: (cert, key, ca_cert) PEM paths."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)

    def name(common: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("Clinic Desk test CA"))
        .issuer_name(name("Clinic Desk test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name(hostname))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(hostname))]), critical=False
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    cert_path, key_path, ca_path = folder / "server.pem", folder / "server.key", folder / "ca.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path, ca_path
