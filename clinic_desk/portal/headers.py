"""Around every request: the security headers, one log line without the query string, no stack traces.

A link's token travels in the query string (``?token=``), so the log line names only the
method, the path, the status and the time; uvicorn's own access log stays off (server.py).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("clinic_desk.portal")

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # a link's token never leaves in a Referer
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
STATIC_PREFIX = "/static/"
PATH_LOGGED = 120


class PortalGuard:
    """ASGI middleware: headers on every response, a log line per request, a plain 500 page."""

    def __init__(self, app: ASGIApp, server_error: Callable[[Request], Awaitable[Response]]) -> None:
        self.app = app
        self.server_error = server_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        path: str = scope.get("path", "")
        sent: dict[str, int] = {}

        async def send_guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                sent["status"] = message["status"]
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                if not path.startswith(STATIC_PREFIX):
                    headers["Cache-Control"] = "no-store"  # pages carry tokens and account data
            await send(message)

        try:
            await self.app(scope, receive, send_guarded)
        except Exception as error:
            # Only the kind of fault: its text could quote a patient's data.
            log.error("%s %s failed: %s", scope.get("method", "?"), _shown(path), type(error).__name__)
            if "status" not in sent:
                response = await self.server_error(Request(scope, receive))
                await response(scope, receive, send_guarded)
        finally:
            log.info(
                "%s %s %s %.1f ms",
                scope.get("method", "?"),
                _shown(path),
                sent.get("status", "-"),
                (time.perf_counter() - began) * 1000,
            )


def _shown(path: str) -> str:
    """The path as one safe log line: short, no control characters (a path can hold %0A)."""
    return "".join(ch if ch.isprintable() else "?" for ch in path[:PATH_LOGGED])
