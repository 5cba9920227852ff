"""Which language a page speaks: ``?lang=`` (then remembered in a cookie), the cookie, the browser."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request

from clinic_desk.portal.words import DEFAULT_LANGUAGE, LANGUAGES

LANGUAGE_COOKIE = "portal_lang"
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600


def chosen_language(request: Request) -> str | None:
    """The language asked for with ``?lang=en|es`` on this request, if any."""
    asked = request.query_params.get("lang", "")
    return asked if asked in LANGUAGES else None


def page_language(request: Request) -> str:
    """``?lang=``, else the remembered choice, else the browser's Accept-Language, else English."""
    asked = chosen_language(request) or request.cookies.get(LANGUAGE_COOKIE, "")
    if asked in LANGUAGES:
        return asked
    return browser_language(request.headers.get("accept-language", ""))


def browser_language(header: str) -> str:
    """The first of our languages by the header's quality values ("es-MX,es;q=0.9,en;q=0.8" -> es)."""
    best, best_quality = DEFAULT_LANGUAGE, 0.0
    for position, part in enumerate(header.split(",")[:20]):  # a header of any length costs little
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-", 1)[0]
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:8])
            except ValueError:
                quality = 0.0
        # Earlier entries win ties, as browsers list them in the user's order.
        quality -= position * 1e-6
        if primary in LANGUAGES and quality > best_quality:
            best, best_quality = primary, quality
    return best


def switch_link(request: Request, language: str, token: str | None = None) -> str:
    """This page's address in ``language`` (other query parameters, such as a link's token, kept).

    ``token``: the emailed link's token a form posted (the address of a POST has none).
    """
    kept = [(key, value) for key, value in request.query_params.multi_items() if key != "lang"]
    if token and "token" not in request.query_params:
        kept.append(("token", token))
    kept.append(("lang", language))
    return f"{request.url.path}?{urlencode(kept)}"
