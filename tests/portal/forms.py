"""Filling in the portal's forms the way a browser does: GET the page, send its token back."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx
from starlette.testclient import TestClient

from clinic_desk import Clinic
from tests.services.helpers import GOOD_PASSWORD, STAFF, add_invited_patient, newest_token


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the page has no CSRF token"
    return found.group(1)


def submit(
    client: TestClient, page_url: str, data: dict[str, str], action: str | None = None
) -> httpx.Response:
    """Open ``page_url``, then post ``data`` with that page's CSRF token to ``action`` (default: the page)."""
    page = client.get(page_url)
    assert page.status_code == 200, page.text
    target = action or page_url.split("?", 1)[0]
    return client.post(target, data={"csrf_token": csrf_token(page.text), **data})


def follow(client: TestClient, response: httpx.Response) -> httpx.Response:
    """The page a 303 leads to."""
    assert response.status_code == 303, (response.status_code, response.text[:2000])
    return client.get(response.headers["location"])


def signed_up_patient(clinic: Clinic, username: str = "ana.lopez") -> int:
    """A chart whose patient accepted the invitation (gold until the first sign-in)."""
    patient_id = add_invited_patient(clinic)
    clinic.portal.accept_invitation(
        newest_token(clinic, patient_id), username=username, password=GOOD_PASSWORD
    )
    return patient_id


def sign_in(client: TestClient, username: str = "ana.lopez", password: str = GOOD_PASSWORD) -> httpx.Response:
    return submit(client, "/", {"username": username, "password": password})


class PageText(HTMLParser):
    """The words a reader meets on a page: text and the attributes read aloud (not values, not code)."""

    READ_ALOUD = ("aria-label", "title", "alt", "placeholder")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        self.parts.extend(value for name, value in attrs if name in self.READ_ALOUD and value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def page_text(html: str) -> str:
    reader = PageText()
    reader.feed(html)
    return "\n".join(reader.parts)


__all__ = ["GOOD_PASSWORD", "STAFF"]
