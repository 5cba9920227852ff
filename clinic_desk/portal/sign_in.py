"""The sign-in page (``/``): a username and password give a web session; then the account page."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from clinic_desk import NotAllowed
from clinic_desk.portal import csrf
from clinic_desk.portal.client import client_source
from clinic_desk.portal.pages import call, checked_form, clinic_of, redirect, render, text, typed, words_for
from clinic_desk.portal.sessions import current_session, start_session

# What other pages may ask the sign-in page to say after they send the patient here (?notice=).
NOTICES = ("account_ready", "password_saved", "signed_out", "session_ended", "confirm_done")


def notice_from(request: Request) -> str | None:
    """The words of a known ``?notice=`` (anything else says nothing)."""
    key = request.query_params.get("notice", "")
    return words_for(request)[key] if key in NOTICES else None


async def show(request: Request) -> Response:
    if await current_session(request) is not None:
        return redirect(request, "/account")
    return render(request, "sign_in.html", notice=notice_from(request))


async def sign_in(request: Request) -> Response:
    form = await checked_form(request)
    username = text(form, "username")
    clinic = clinic_of(request)
    try:
        session = await call(
            clinic.portal.sign_in, username, text(form, "password"), source=client_source(request)
        )
    except NotAllowed:
        # Unknown, disabled, locked and wrong: one answer, one status.
        words = words_for(request)
        return render(
            request,
            "sign_in.html",
            status_code=400,
            errors={"form": words.refused},
            values=typed(form, "username"),
        )
    csrf.rotate(request)  # a form token from before the sign-in stops working
    start_session(request, session.token)
    return redirect(request, "/account")


ROUTES = [Route("/", show, methods=["GET"]), Route("/", sign_in, methods=["POST"])]
