"""``/activate``: the code from the clinic's letter and the date of birth open a new account."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from clinic_desk.portal.forms import form_action
from clinic_desk.portal.pages import clinic_of, redirect, render

FIELDS = ("code", "date_of_birth", "username", "password")


async def show(request: Request) -> Response:
    return render(request, "activate.html")


async def activate(request: Request) -> Response:
    _, problem = await form_action(request, "activate.html", FIELDS, clinic_of(request).portal.activate)
    return problem or redirect(request, "/?notice=account_ready")


ROUTES = [Route("/activate", show, methods=["GET"]), Route("/activate", activate, methods=["POST"])]
