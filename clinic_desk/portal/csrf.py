"""CSRF protection: every form carries an HMAC of a random pre-session cookie, checked on POST.

The cookie is made on the first page a browser gets and replaced at sign-in and sign-out,
so a token copied before either no longer works. Another site can make a browser POST here,
but it can neither read the cookie nor compute the HMAC without the portal's secret key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from starlette.requests import Request

PRE_SESSION_COOKIE = "portal_pre"
_WELL_FORMED = re.compile(r"[A-Za-z0-9_-]{43}")  # 32 random bytes, base64url without padding


def _new_pre_session() -> str:
    return secrets.token_urlsafe(32)


def pre_session(request: Request) -> str:
    """This browser's pre-session id; a new one (set on the response) when it has none or a bad one."""
    made: str | None = getattr(request.state, "new_pre_session", None)
    if made is not None:
        return made
    held = request.cookies.get(PRE_SESSION_COOKIE, "")
    if _WELL_FORMED.fullmatch(held):
        return held
    return rotate(request)


def rotate(request: Request) -> str:
    """A fresh pre-session id for this browser (sign-in, sign-out): old form tokens stop working."""
    made = _new_pre_session()
    request.state.new_pre_session = made
    return made


def form_token(secret_key: bytes, pre_session_id: str) -> str:
    """The hidden ``csrf_token`` for forms shown to the holder of ``pre_session_id``."""
    mac = hmac.new(secret_key, b"portal-csrf|" + pre_session_id.encode("ascii"), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).decode("ascii").rstrip("=")


def token_for(request: Request) -> str:
    """The form token for this request's browser."""
    return form_token(request.app.state.portal.secret_key, pre_session(request))


def is_genuine(request: Request, sent: object) -> bool:
    """True when ``sent`` is the token for the pre-session cookie this POST came with."""
    held = request.cookies.get(PRE_SESSION_COOKIE, "")
    if not isinstance(sent, str) or not _WELL_FORMED.fullmatch(held):
        return False
    expected = form_token(request.app.state.portal.secret_key, held)
    return hmac.compare_digest(expected.encode("ascii"), sent.encode("utf-8", "replace"))
