"""The uvicorn settings the portal runs with (``clinic-desk portal`` and the tests use the same)."""

from __future__ import annotations

import uvicorn
from starlette.applications import Starlette


def server_config(app: Starlette, *, host: str = "127.0.0.1", port: int = 8080) -> uvicorn.Config:
    """uvicorn's Config for the portal.

    No access log (its lines carry query strings, and so links' tokens: the portal logs its
    own line without them, headers.py); no logging set-up of uvicorn's own (the command's
    applies); proxy headers are read by the portal itself, trusting only the last hop.
    """
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        access_log=False,
        log_config=None,
        proxy_headers=False,
        server_header=False,
        lifespan="off",
        timeout_graceful_shutdown=5,
    )
