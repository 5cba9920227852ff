"""Who is asking: the client's address (for the database's rate limits) and whether it came over HTTPS."""

from __future__ import annotations

from starlette.requests import Request

SOURCE_LIMIT = 64  # the services keep at most this much of a source


def client_source(request: Request) -> str | None:
    """The client's address; behind a proxy, the last hop of X-Forwarded-For (the one our proxy added).

    Earlier hops are whatever the client claimed, so they are never trusted.
    """
    if request.app.state.portal.behind_proxy:
        forwarded = request.headers.getlist("x-forwarded-for")
        hops = [hop.strip() for hop in ",".join(forwarded).split(",") if hop.strip()]
        if hops:
            return hops[-1][:SOURCE_LIMIT]
    return request.client.host if request.client else None


def over_https(request: Request) -> bool:
    """True when the browser reached us over HTTPS (directly, or per our proxy's X-Forwarded-Proto)."""
    if request.url.scheme == "https":
        return True
    if request.app.state.portal.behind_proxy:
        proto = request.headers.get("x-forwarded-proto", "").split(",")[-1].strip().lower()
        return proto == "https"
    return False


def secure_cookies(request: Request) -> bool:
    """Cookies get the Secure flag when the app was told so or the request came over HTTPS."""
    return bool(request.app.state.portal.secure_cookies) or over_https(request)
