"""The signed-in page (``/account``): the patient's first name, change password, and sign out."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from clinic_desk import PortalSession
from clinic_desk.portal import csrf
from clinic_desk.portal.forms import form_action
from clinic_desk.portal.pages import call, checked_form, clinic_of, redirect, render, text, words_for
from clinic_desk.portal.sessions import current_session, end_session, session_token

PASSWORD_FIELDS = ("old_password", "new_password")


def _page(session: PortalSession) -> dict[str, Any]:
    return {
        "first_name": session.first_name,
        "username": session.username,
        "must_change": session.must_change_password,
    }


def _signed_out(request: Request) -> Response:
    """Back to sign-in; a browser whose session ended (idle, locked) is told so."""
    if session_token(request) is None:
        return redirect(request, "/")
    end_session(request)
    return redirect(request, "/?notice=session_ended")


async def show(request: Request) -> Response:
    session = await current_session(request)
    if session is None:
        return _signed_out(request)
    changed = request.query_params.get("changed") == "1"
    notice = words_for(request).password_changed if changed else None
    return render(request, "account.html", notice=notice, **_page(session))


async def change_password(request: Request) -> Response:
    form = await checked_form(request)
    session = await current_session(request)
    if session is None:
        return _signed_out(request)
    if text(form, "new_password") != text(form, "new_password_again"):
        errors = {"new_password_again": words_for(request).passwords_differ}
        return render(request, "account.html", status_code=400, errors=errors, **_page(session))
    _, problem = await form_action(
        request,
        "account.html",
        PASSWORD_FIELDS,
        clinic_of(request).portal.change_password,
        form=form,
        page=_page(session),
        renamed={"password": "new_password"},
        username=session.username,
        keep_token=session_token(request),  # the patient's other sessions end, this one stays
    )
    return problem or redirect(request, "/account?changed=1")


async def sign_out(request: Request) -> Response:
    await checked_form(request)
    token = session_token(request)
    if token is not None:
        await call(clinic_of(request).portal.sign_out, token)
    end_session(request)
    csrf.rotate(request)
    return redirect(request, "/?notice=signed_out")


ROUTES = [
    Route("/account", show, methods=["GET"]),
    Route("/account", change_password, methods=["POST"]),
    Route("/sign-out", sign_out, methods=["POST"]),
]
