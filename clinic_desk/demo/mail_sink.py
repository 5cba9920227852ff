"""A throwaway SMTP server on loopback that takes the showcase's emails and bounces chosen addresses.

The showcase delivers its outbox through ``clinic.mail.deliver_now()`` like a real
clinic does, but to this sink: nothing leaves the computer, and the "delivery
failed" patient's invitation bounces with a real 550 reply.
"""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

_HOST = "127.0.0.1"


class _SinkServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    block_on_close = True

    def __init__(self, refusals: Mapping[str, str]) -> None:
        super().__init__((_HOST, 0), _SmtpSession)
        self.refusals = {address.lower(): reply for address, reply in refusals.items()}


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
                while (body := self.rfile.readline(65_536)) and body.rstrip(b"\r\n") != b".":
                    pass
                self._say("250 OK: kept by the demo mail sink")
            elif verb == "QUIT":
                self._say("221 Bye")
                return
            elif verb in ("MAIL", "RSET", "NOOP"):
                self._say("250 OK")
            else:
                self._say("502 Command not implemented")


@contextmanager
def mail_sink(refusals: Mapping[str, str]) -> Iterator[tuple[str, int]]:
    """Run the sink while the block runs; yields its ``(host, port)``.

    ``refusals`` maps an address to the full reply its RCPT gets, e.g.
    ``"550 5.1.1 <x@example.com>: mailbox unavailable"``; every other email is taken.
    """
    server = _SinkServer(refusals)
    thread = threading.Thread(target=server.serve_forever, name="demo-mail-sink", daemon=True)
    thread.start()
    try:
        yield _HOST, server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
