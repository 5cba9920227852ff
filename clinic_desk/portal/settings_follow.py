"""The portal takes up clinic settings an administrator saves, without a restart.

Before a request is answered, at most once every few seconds per process, the portal asks
the services whether the settings changed (``Clinic.refresh_settings``: one row read when
they did not). The clinic's name, its addresses, the link and session lifetimes follow.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

if TYPE_CHECKING:
    from clinic_desk import Clinic

log = logging.getLogger("clinic_desk.portal")
EVERY_SECONDS = 5.0


class FollowSettings:
    """ASGI middleware: the clinic's settings read again when they changed elsewhere."""

    def __init__(self, app: ASGIApp, clinic: Clinic, every_seconds: float = EVERY_SECONDS) -> None:
        self.app = app
        self.clinic = clinic
        self.every_seconds = every_seconds
        self._next_check = 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and time.monotonic() >= self._next_check:
            self._next_check = time.monotonic() + self.every_seconds
            try:
                if await run_in_threadpool(self.clinic.refresh_settings):
                    log.info("took up new clinic settings")
            except Exception as error:  # the request itself says what is wrong (health: 503)
                log.warning("clinic settings not read (%s)", type(error).__name__)
        await self.app(scope, receive, send)
