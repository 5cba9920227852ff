"""The portal the browser visits: a fresh create_app on a real uvicorn (tests/portal/live_server.py)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clinic_desk import Clinic
from clinic_desk.portal.app import create_app
from tests.portal.live_server import served
from tests.smtp_server import SmtpTestServer

STAFF = "frontdesk"  # a clinic without staff accounts takes any name


@dataclass
class Portal:
    """A running portal over a clinic, the SMTP server its emails go to, and what the browser asked."""

    clinic: Clinic
    url: str
    smtp: SmtpTestServer
    requests: list[Any] = field(default_factory=list)

    def at(self, path: str) -> str:
        return self.url + path


@contextmanager
def serve_portal(clinic: Clinic, *, demo_mailbox: Path | None = None) -> Iterator[str]:
    """Serve a fresh portal over ``clinic`` while the block runs; yields its address (http://127.0.0.1:port)."""
    with served(create_app(clinic, secrets.token_bytes(32), demo_mailbox=demo_mailbox)) as url:
        yield url
