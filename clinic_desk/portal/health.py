"""``/healthz`` for a load balancer: "ok" once the database answered one cheap read, else 503."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from clinic_desk.portal.pages import call, clinic_of

log = logging.getLogger("clinic_desk.portal")


async def healthz(request: Request) -> Response:
    clinic = clinic_of(request)
    try:
        await call(clinic.schema.current_revision)  # one small SELECT
    except Exception as error:  # any fault at all means "not ready": the balancer asks another process
        log.warning("health check: the database did not answer (%s)", type(error).__name__)
        return PlainTextResponse("database unavailable", status_code=503)
    return PlainTextResponse("ok")


ROUTES = [Route("/healthz", healthz, methods=["GET"])]
