"""The three emailed links: ``/accept-invitation``, ``/reset-password``, ``/confirm-registration``.

GET only shows a form holding the link's token; the link is used by the POST alone, because
mail scanners and link previews fetch links and must not use up a one-time link.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from clinic_desk.portal.forms import form_action
from clinic_desk.portal.pages import checked_form, clinic_of, redirect, render, text
from clinic_desk.portal.sessions import TOKEN_LIMIT


@dataclass(frozen=True)
class Link:
    """One kind of emailed link: its page, its form's fields and where a success goes."""

    path: str
    kind: str  # the words' prefix in words.py and the template's switch
    fields: tuple[str, ...]
    done: str

    @property
    def form_id(self) -> str:
        return self.path.lstrip("/")

    def page(self, token: str | None) -> dict[str, Any]:
        return {"kind": self.kind, "token": token, "form_id": self.form_id, "action": self.path}


Endpoint = Callable[[Request], Awaitable[Response]]
INVITATION = Link("/accept-invitation", "invitation", ("token", "username", "password"), "account_ready")
RESET = Link("/reset-password", "reset", ("token", "password"), "password_saved")
CONFIRMATION = Link("/confirm-registration", "confirm", ("token",), "confirm_done")


def _token(value: str) -> str | None:
    return value if 0 < len(value) <= TOKEN_LIMIT else None


def _shower(link: Link) -> Endpoint:
    async def show(request: Request) -> Response:
        return render(request, "link.html", **link.page(_token(request.query_params.get("token", ""))))

    return show


def _user(link: Link) -> Endpoint:
    async def use(request: Request) -> Response:
        form = await checked_form(request)
        portal = clinic_of(request).portal
        action = portal.confirm_registration if link is CONFIRMATION else portal.accept_invitation
        extra = {"username": None} if link is RESET else {}
        _, problem = await form_action(
            request,
            "link.html",
            link.fields,
            action,
            form=form,
            page=link.page(_token(text(form, "token"))),
            **extra,
        )
        return problem or redirect(request, f"/?notice={link.done}")

    return use


ROUTES = [
    route
    for link in (INVITATION, RESET, CONFIRMATION)
    for route in (
        Route(link.path, _shower(link), methods=["GET"]),
        Route(link.path, _user(link), methods=["POST"]),
    )
]
