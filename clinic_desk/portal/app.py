"""``create_app``: the portal's pages, assembled into one Starlette app over an open Clinic."""

from __future__ import annotations

import importlib
import pathlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from clinic_desk.portal import account, activate, error_pages, forgot, health, links, register, sign_in
from clinic_desk.portal.headers import PortalGuard
from clinic_desk.portal.settings_follow import EVERY_SECONDS, FollowSettings

if TYPE_CHECKING:
    from clinic_desk.services.clinic import Clinic

HERE = pathlib.Path(__file__).parent
MIN_SECRET_BYTES = 32


@dataclass(frozen=True)
class PortalConfig:
    """What every page reads from ``request.app.state.portal``."""

    clinic: Clinic
    secret_key: bytes
    templates: Jinja2Templates
    behind_proxy: bool
    secure_cookies: bool
    demo_mailbox: pathlib.Path | None


def _templates() -> Jinja2Templates:
    environment = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,  # a misspelt word key fails a test instead of showing nothing
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Jinja2Templates(env=environment)


def _routes(demo_mailbox: pathlib.Path | None) -> list[BaseRoute]:
    routes: list[BaseRoute] = [
        *sign_in.ROUTES,
        *register.ROUTES,
        *forgot.ROUTES,
        *links.ROUTES,
        *activate.ROUTES,
        *account.ROUTES,
        *health.ROUTES,
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
    ]
    if demo_mailbox is not None:
        # The demo's caught-email pages (portal/demo_mailbox.py): loaded only when asked for.
        demo = importlib.import_module("clinic_desk.portal.demo_mailbox")
        routes.extend(demo.mailbox_routes())
    return routes


def create_app(
    clinic: Clinic,
    secret_key: bytes,
    *,
    behind_proxy: bool = False,
    secure_cookies: bool = False,
    demo_mailbox: pathlib.Path | None = None,
    settings_check_seconds: float = EVERY_SECONDS,
) -> Starlette:
    """The portal as a Starlette app over ``clinic`` (tests make a fresh one each).

    ``secret_key`` signs the CSRF tokens (at least 32 bytes); ``behind_proxy`` trusts the
    last hop of X-Forwarded-For and X-Forwarded-Proto; ``secure_cookies`` marks every cookie
    Secure; ``demo_mailbox`` adds the demo's caught-email pages; settings saved elsewhere are
    taken up at most ``settings_check_seconds`` after the next request.
    """
    if not isinstance(secret_key, bytes) or len(secret_key) < MIN_SECRET_BYTES:
        raise ValueError(f"the portal's secret key must be at least {MIN_SECRET_BYTES} bytes")
    app = Starlette(
        routes=_routes(demo_mailbox),
        middleware=[
            Middleware(PortalGuard, server_error=error_pages.server_error),
            Middleware(FollowSettings, clinic=clinic, every_seconds=settings_check_seconds),
        ],
        exception_handlers=error_pages.HANDLERS,
    )
    app.state.portal = PortalConfig(
        clinic=clinic,
        secret_key=secret_key,
        templates=_templates(),
        behind_proxy=behind_proxy,
        secure_cookies=secure_cookies,
        demo_mailbox=demo_mailbox,
    )
    return app
