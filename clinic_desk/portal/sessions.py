"""The signed-in patient's web session: a cookie holding the token ``clinic.portal.sign_in`` gave.

The services keep the session (its idle timeout, its end at sign-out or a password
change); this module only carries the token between the browser and them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from clinic_desk import PortalSession
from clinic_desk.portal.client import client_source

if TYPE_CHECKING:
    from clinic_desk.services.clinic import Clinic

SESSION_COOKIE = "portal_session"
TOKEN_LIMIT = 256  # longer than any token the services make: not worth asking about
_NO_SESSION = object()


def session_token(request: Request) -> str | None:
    """The session token the browser sent, if it looks like one."""
    token = request.cookies.get(SESSION_COOKIE, "")
    return token if token and len(token) <= TOKEN_LIMIT and token.isprintable() else None


async def current_session(request: Request) -> PortalSession | None:
    """The services' PortalSession for this browser, or None (asked once per request)."""
    known = getattr(request.state, "portal_session", _NO_SESSION)
    if known is None or isinstance(known, PortalSession):
        return known
    token = session_token(request)
    found: PortalSession | None = None
    if token is not None:
        clinic: Clinic = request.app.state.portal.clinic
        found = await run_in_threadpool(clinic.portal.session, token, source=client_source(request))
    request.state.portal_session = found
    return found


def start_session(request: Request, token: str) -> None:
    """Give the browser this session token (set on the response by ``pages.finish``)."""
    request.state.set_session = token


def end_session(request: Request) -> None:
    """Make the browser forget its session cookie."""
    request.state.set_session = ""
