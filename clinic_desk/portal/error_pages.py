"""Error pages in the portal's layout and language, never with a stack trace."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from clinic_desk import DatabaseBusy, DatabaseUnavailable, OutcomeUnknown, ServerFull
from clinic_desk.portal.pages import render, words_for

log = logging.getLogger("clinic_desk.portal")

# status -> (title key, text key) in words.py
_PAGES = {
    403: ("forbidden_title", "csrf_text"),
    404: ("not_found_title", "not_found_text"),
    405: ("method_title", "method_text"),
    413: ("too_large_title", "too_large_text"),
    429: ("too_many_title", "too_many_text"),
    500: ("error_title", "server_error_text"),
    503: ("unavailable_title", "unavailable_text"),
}


# "Busy, try again": the server had no free connection, or this process's pool stayed busy.
BUSY_RETRY_SECONDS = 5


def error_page(request: Request, status_code: int, *, retry_after: int = 30) -> Response:
    title, text = _PAGES.get(status_code, _PAGES[500])
    words = words_for(request)
    page = render(request, "error.html", status_code=status_code, title=words[title], text=words[text])
    if status_code == 405:
        page.headers["Allow"] = "GET, HEAD, POST"
    if status_code == 503:
        page.headers["Retry-After"] = str(retry_after)
    return page


async def http_error(request: Request, error: Exception) -> Response:
    status_code = error.status_code if isinstance(error, HTTPException) else 500
    return error_page(request, status_code)


async def database_down(request: Request, error: Exception) -> Response:
    """The database did not answer (or lost a commit's reply): try again later, said plainly."""
    log.warning("database fault: %s", type(error).__name__)
    busy = isinstance(error, ServerFull | DatabaseBusy)
    return error_page(request, 503, retry_after=BUSY_RETRY_SECONDS if busy else 30)


async def server_error(request: Request) -> Response:
    return error_page(request, 500)


HANDLERS = {HTTPException: http_error, DatabaseUnavailable: database_down, OutcomeUnknown: database_down}
