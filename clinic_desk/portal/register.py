"""New accounts made by the patient: ``/register`` (a new patient) and ``/claim`` (a chart the clinic has)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from clinic_desk.portal.forms import form_action
from clinic_desk.portal.pages import clinic_of, redirect, render, words_for

REGISTER_FIELDS = ("first_name", "last_name", "date_of_birth", "email", "zip_code", "username", "password")
CLAIM_FIELDS = ("email", "last_name", "date_of_birth", "zip_code", "username", "password")


async def register(request: Request) -> Response:
    _, problem = await form_action(
        request, "register.html", REGISTER_FIELDS, clinic_of(request).portal.self_register
    )
    return problem or redirect(request, "/register?done=1")


async def show_claim(request: Request) -> Response:
    return render(request, "claim.html")


async def claim(request: Request) -> Response:
    _, problem = await form_action(
        request, "claim.html", CLAIM_FIELDS, clinic_of(request).portal.claim_account
    )
    return problem or redirect(request, "/?notice=account_ready")


async def register_page(request: Request) -> Response:
    """The form, or (``?done=1``, after a registration) what happens next."""
    if request.query_params.get("done") == "1":
        return render(request, "register.html", notice=words_for(request).register_done)
    return render(request, "register.html")


ROUTES = [
    Route("/register", register_page, methods=["GET"]),
    Route("/register", register, methods=["POST"]),
    Route("/claim", show_claim, methods=["GET"]),
    Route("/claim", claim, methods=["POST"]),
]
