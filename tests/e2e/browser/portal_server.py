"""The portal served: create_app on uvicorn (the portal's own settings) in a thread, any free port."""

from __future__ import annotations

import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn

from clinic_desk import Clinic
from clinic_desk.portal.app import create_app
from clinic_desk.portal.server import server_config
from tests.smtp_server import SmtpTestServer

HOST = "127.0.0.1"
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
    """Serve the portal over ``clinic`` while the block runs; yields its address (http://127.0.0.1:port).

    The listening socket is made first, so the address is known (and the clinic's
    ``portal_url`` can be set to it) before uvicorn starts, with no race for the port.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((HOST, 0))
    address = f"http://{HOST}:{listener.getsockname()[1]}"
    app = create_app(clinic, secrets.token_bytes(32), demo_mailbox=demo_mailbox)
    server = uvicorn.Server(server_config(app, host=HOST, port=listener.getsockname()[1]))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, name="portal", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 15
        while not server.started:  # a few milliseconds
            assert thread.is_alive() and time.monotonic() < deadline, "the portal did not start"
            time.sleep(0.005)
        yield address
    finally:
        server.should_exit = True
        thread.join(15)
        listener.close()
