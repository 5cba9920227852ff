"""What every page does: its words and language, its form token, its cookies, its checked form."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from clinic_desk.portal import csrf
from clinic_desk.portal.client import client_source, secure_cookies
from clinic_desk.portal.language import (
    LANGUAGE_COOKIE,
    LANGUAGE_COOKIE_SECONDS,
    chosen_language,
    page_language,
    switch_link,
)
from clinic_desk.portal.sessions import SESSION_COOKIE
from clinic_desk.portal.words import Words

if TYPE_CHECKING:
    from clinic_desk.services.clinic import Clinic

T = TypeVar("T")
FIELD_LIMIT = 4096  # no form field of ours is longer; more is not a patient typing
BODY_LIMIT = 64 * 1024  # a whole form, with room to spare


def clinic_of(request: Request) -> Clinic:
    clinic: Clinic = request.app.state.portal.clinic
    return clinic


async def call(action: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a (blocking) facade call off the event loop."""
    return await run_in_threadpool(action, *args, **kwargs)


def words_for(request: Request) -> Words:
    return Words(page_language(request))


def render(request: Request, template: str, *, status_code: int = 200, **context: Any) -> Response:
    """A page in the layout, in the browser's language, with a form token and the cookies due."""
    words = words_for(request)
    switch_to = "es" if words.language == "en" else "en"
    context.setdefault("errors", {})
    context.setdefault("values", {})
    context.setdefault("notice", None)
    page = request.app.state.portal.templates.TemplateResponse(
        request,
        template,
        {
            "w": words,
            "lang": words.language,
            "clinic_name": clinic_of(request).settings.clinic_name,
            "csrf_token": csrf.token_for(request),
            "switch_href": switch_link(request, switch_to, context.get("token")),
            "switch_lang": switch_to,
            **context,
        },
        status_code=status_code,
    )
    return finish(request, page)


def redirect(request: Request, to: str) -> Response:
    """See Other: after a POST, the browser GETs the next page (a reload never posts twice)."""
    return finish(request, RedirectResponse(to, status_code=303))


def finish(request: Request, response: Response) -> Response:
    """Set the cookies this request decided on (pre-session, session, language)."""
    secure = secure_cookies(request)
    made = getattr(request.state, "new_pre_session", None)
    if made is not None:
        response.set_cookie(csrf.PRE_SESSION_COOKIE, made, httponly=True, samesite="lax", secure=secure)
    session = getattr(request.state, "set_session", None)
    if session:
        response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="lax", secure=secure)
    elif session == "":
        response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax", secure=secure)
    language = chosen_language(request)
    if language is not None and request.cookies.get(LANGUAGE_COOKIE) != language:
        response.set_cookie(
            LANGUAGE_COOKIE,
            language,
            max_age=LANGUAGE_COOKIE_SECONDS,
            httponly=True,
            samesite="lax",
            secure=secure,
        )
    return response


async def checked_form(request: Request) -> FormData:
    """The POSTed form, once the client is under its rate limit and the CSRF token is right.

    Raises:
        HTTPException: 429 over the rate limit (counted in the database, shared by all portal
            processes), 413 for a body no form of ours makes, 403 for a missing or wrong CSRF token.
    """
    clinic = clinic_of(request)
    if not await call(clinic.portal.take_request, client_source(request), "form"):
        raise HTTPException(status_code=429)
    if not _small_enough(request.headers.get("content-length", "")):
        raise HTTPException(status_code=413)
    form = await request.form(max_files=0, max_fields=40)
    if not csrf.is_genuine(request, form.get("csrf_token")):
        raise HTTPException(status_code=403)
    return form


def _small_enough(length: str) -> bool:
    """True for a declared body size a form can have (a body without one is read in chunks, as usual)."""
    if not length:
        return True
    return length.isdigit() and int(length) <= BODY_LIMIT


def text(form: FormData, name: str) -> str:
    """A text field of the form ("" when missing, a file, or far too long to be typed)."""
    value = form.get(name)
    return value if isinstance(value, str) and len(value) <= FIELD_LIMIT else ""


def typed(form: FormData, *names: str) -> dict[str, str]:
    """The fields to show again after a problem (never a password or a code)."""
    return {name: text(form, name) for name in names}
