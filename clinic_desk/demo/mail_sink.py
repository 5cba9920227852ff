"""A throwaway SMTP server on loopback that takes the showcase's emails and bounces chosen addresses.

The showcase delivers its outbox through ``clinic.mail.deliver_now()`` like a real
clinic does, but to this sink: nothing leaves the computer, and the "delivery
failed" patient's invitation bounces with a real 550 reply. Given ``keep``, the sink
hands each accepted message to it (``clinic-desk demo-mail`` saves them as files).
"""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial

_HOST = "127.0.0.1"
_SHUTDOWN_POLL_SECONDS = 0.02
#: The largest message the sink takes; a bigger one is refused (552) and not kept.
MAX_MESSAGE_BYTES = 10_000_000

#: Called with each accepted message (the DATA bytes, dots unstuffed) on the session's thread.
Keeper = Callable[[bytes], None]


class _SinkServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    block_on_close = True
    allow_reuse_address = True  # the demo's fixed port comes back at once after a restart

    def __init__(self, refusals: Mapping[str, str], keep: Keeper | None = None, port: int = 0) -> None:
        super().__init__((_HOST, port), _SmtpSession)
        self.refusals = {address.lower(): reply for address, reply in refusals.items()}
        self.keep = keep


class _SmtpSession(socketserver.StreamRequestHandler):
    """Just enough SMTP for ``smtplib``: EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    server: _SinkServer
    timeout = 30

    def _say(self, *lines: str) -> None:
        self.wfile.write("".join(f"{line}\r\n" for line in lines).encode("utf-8"))

    def handle(self) -> None:
        self._say("220 demo-mail-sink ESMTP")
        while line := self.rfile.readline(65_536):
            command = line.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._say("250-demo-mail-sink", "250-8BITMIME", "250-SMTPUTF8", "250 HELP")
            elif verb == "RCPT":
                address = command.partition(":")[2].strip().split(" ")[0].strip("<>").lower()
                self._say(self.server.refusals.get(address, "250 OK"))
            elif verb == "DATA":
                self._say("354 End data with <CR><LF>.<CR><LF>")
                self._say(self._take_data())
            elif verb == "QUIT":
                self._say("221 Bye")
                return
            elif verb in ("MAIL", "RSET", "NOOP"):
                self._say("250 OK")
            else:
                self._say("502 Command not implemented")

    def _take_data(self) -> str:
        """Read the message up to the lone dot; hand it to the keeper; the reply to send."""
        lines: list[bytes] = []
        size = 0
        while (line := self.rfile.readline(65_536)) and line.rstrip(b"\r\n") != b".":
            size += len(line)
            if self.server.keep is not None and size <= MAX_MESSAGE_BYTES:
                lines.append(line[1:] if line.startswith(b"..") else line)  # RFC 5321 dot-stuffing
        if size > MAX_MESSAGE_BYTES:
            return "552 Message too big for the demo mail sink"
        if self.server.keep is not None:
            self.server.keep(b"".join(lines))
        return "250 OK: kept by the demo mail sink"


@contextmanager
def mail_sink(
    refusals: Mapping[str, str], *, keep: Keeper | None = None, port: int = 0
) -> Iterator[tuple[str, int]]:
    """Run the sink on 127.0.0.1 while the block runs; yields its ``(host, port)``.

    ``refusals`` maps an address to the full reply its RCPT gets, e.g.
    ``"550 5.1.1 <x@example.com>: mailbox unavailable"``; every other email is taken,
    and handed to ``keep`` when given. ``port`` 0 takes a free one.

    Raises:
        OSError: the port is taken.
    """
    server = _SinkServer(refusals, keep, port)
    # How often the loop looks for shutdown: the default half second was a third of the
    # showcase's time outside Argon2 (the sink is started three times).
    serve = partial(server.serve_forever, poll_interval=_SHUTDOWN_POLL_SECONDS)
    thread = threading.Thread(target=serve, name="demo-mail-sink", daemon=True)
    thread.start()
    try:
        yield _HOST, server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
