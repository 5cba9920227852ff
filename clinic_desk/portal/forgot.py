"""``/forgot``: one answer, the same page and status, whether or not the account exists."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from clinic_desk.portal.client import client_source
from clinic_desk.portal.pages import call, checked_form, clinic_of, render, text, words_for


async def show(request: Request) -> Response:
    return render(request, "forgot.html")


async def forgot(request: Request) -> Response:
    form = await checked_form(request)
    # The services queue a reset only for exactly one matching chart, and say nothing either way.
    await call(
        clinic_of(request).portal.request_reset,
        text(form, "username_or_email"),
        source=client_source(request),
    )
    return render(request, "forgot.html", notice=words_for(request).forgot_done)


ROUTES = [Route("/forgot", show, methods=["GET"]), Route("/forgot", forgot, methods=["POST"])]
