"""The demo mailbox: the emails the demo's mail catcher kept, readable in the browser beside the portal.

``create_app(..., demo_mailbox=DIR)`` mounts these routes for the demo clinic only:
``/demo-mailbox`` lists the ``.eml`` files in DIR, newest first (to, subject, time), and
``/demo-mailbox/{name}`` shows one message's text with its web links clickable, so a
newcomer can follow an invitation's link to the portal. Names are checked against the
folder's own listing (no path ever comes from the request), everything shown is
HTML-escaped, and the pages carry no script. The emails hold working links, so the pages
answer only a browser on this computer (a loopback client, not through a proxy): a demo
portal started with ``--host 0.0.0.0`` by mistake does not hand them to the network.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

#: The newest messages the list shows (a demo folder never needs more).
LIST_LIMIT = 200
#: A message file larger than this is listed but not shown (the catcher refuses bigger ones anyway).
SHOW_LIMIT = 10_000_000
_NAME = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,120}\.eml")
_LINK = re.compile(r"https?://[^\s<>\"']+")
_TRAILING = ".,;:!?)]}"  # punctuation after a link in a sentence is not part of it

_pages = Environment(
    loader=PackageLoader("clinic_desk.portal", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
)


@dataclass(frozen=True)
class CaughtEmail:
    """One caught message as the mailbox shows it."""

    name: str
    to: str
    subject: str
    sent_at: datetime
    text: str = ""


def mailbox_routes(folder: Path | None = None) -> list[Route]:
    """The demo mailbox's two pages over the emails kept in ``folder`` (it may not exist yet).

    Without ``folder``, the app's ``state.portal.demo_mailbox`` (``create_app``'s) is used.
    """

    def where(request: Request) -> Path:
        return folder if folder is not None else Path(request.app.state.portal.demo_mailbox)

    def listing(request: Request) -> Response:  # plain def: Starlette reads the files off the event loop
        if not from_this_computer(request):
            return _page("demo_mailbox_missing.html", status_code=404)
        emails = [_read(path, body=False) for path in _newest(where(request))]
        return _page("demo_mailbox_list.html", emails=emails)

    def one(request: Request) -> Response:
        if not from_this_computer(request):
            return _page("demo_mailbox_missing.html", status_code=404)
        path = _known_file(where(request), request.path_params["name"])
        if path is None:
            return _page("demo_mailbox_missing.html", status_code=404)
        return _page("demo_mailbox_message.html", email=_read(path, body=True))

    return [
        Route("/demo-mailbox", listing, methods=["GET"], name="demo_mailbox"),
        Route("/demo-mailbox/{name}", one, methods=["GET"], name="demo_mailbox_email"),
    ]


def from_this_computer(request: Request) -> bool:
    """True for a loopback client that no proxy forwarded (the demo's own browser)."""
    if "x-forwarded-for" in request.headers or "forwarded" in request.headers:
        return False
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def linked(text: str) -> Markup:
    """``text`` HTML-escaped, with each http(s) address made a link (opened without a Referer)."""
    parts: list[str] = []
    at = 0
    for match in _LINK.finditer(text):
        address = match.group().rstrip(_TRAILING)
        parts.append(escape(text[at : match.start()]))
        parts.append(Markup('<a href="{0}" rel="noreferrer">{0}</a>').format(address))
        at = match.start() + len(address)
    parts.append(escape(text[at:]))
    return Markup("").join(parts)


def _page(template: str, *, status_code: int = 200, **values: object) -> HTMLResponse:
    html = _pages.get_template(template).render(linked=linked, **values)
    return HTMLResponse(html, status_code=status_code)


def _files(folder: Path) -> list[Path]:
    try:
        return [path for path in folder.iterdir() if _NAME.fullmatch(path.name) and path.is_file()]
    except OSError:  # no folder yet: no emails yet
        return []


def _newest(folder: Path) -> list[Path]:
    def when(path: Path) -> tuple[float, str]:
        try:
            return path.stat().st_mtime, path.name
        except OSError:
            return 0.0, path.name

    return sorted(_files(folder), key=when, reverse=True)[:LIST_LIMIT]


def _known_file(folder: Path, name: str) -> Path | None:
    """The file called ``name`` when the folder holds it; None for anything else (``../x``, say)."""
    if not _NAME.fullmatch(name):
        return None
    return next((path for path in _files(folder) if path.name == name), None)


def _read(path: Path, *, body: bool) -> CaughtEmail:
    try:
        size = path.stat().st_size
        data = path.read_bytes() if size <= SHOW_LIMIT else b""
    except OSError:
        data = b""
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    return CaughtEmail(
        name=path.name,
        to=_header(message, "To"),
        subject=_header(message, "Subject") or "(no subject)",
        sent_at=_sent_at(message, path),
        text=_text(message) if body else "",
    )


def _header(message: EmailMessage, name: str) -> str:
    try:
        return str(message.get(name, "")).strip()
    except Exception:  # a malformed header in a hand-made file: show nothing rather than fail
        return ""


def _sent_at(message: EmailMessage, path: Path) -> datetime:
    try:
        return parsedate_to_datetime(str(message["Date"])).astimezone()
    except (TypeError, ValueError, IndexError):
        try:
            return datetime.fromtimestamp(path.stat().st_mtime).astimezone()
        except OSError:
            return datetime.fromtimestamp(0, UTC)


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    if part is None:
        return "(This email has no plain-text part.)"
    try:
        return str(part.get_content())
    except (LookupError, ValueError):
        return "(This email's text cannot be read.)"
