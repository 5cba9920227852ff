"""What a patient does in the browser, and what the clinic's emails hold, for the portal's stories."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.e2e.browser.portal_server import STAFF, Portal

PASSWORD = "Correct-Horse-42"
_LINK = re.compile(r"https?://\S+\?token=[^\s<>\"']+")


def fill_and_send(page: Any, form: str, **values: str) -> None:
    """Type ``values`` into the form with id ``form`` (field names = the facade's keywords), press submit."""
    for name, value in values.items():
        page.fill(f"form#{form} [name={name}]", value)
    with page.expect_navigation():
        page.click(f"form#{form} [type=submit]")


def error_text(page: Any) -> str:
    """The words of the page's error(s) (class error, role alert); "" when there is none."""
    return " ".join(page.locator(".error[role=alert]").all_inner_texts())


def sign_in(page: Any, portal: Portal, username: str, password: str) -> None:
    """Sign in at ``/``; the signed-in page names the patient in its heading."""
    page.goto(portal.at("/"))
    fill_and_send(page, "sign-in", username=username, password=password)


def heading(page: Any) -> str:
    return str(page.locator("h1").first.inner_text())


def delivered_link(portal: Portal, to: str, path: str) -> str:
    """Send the outbox over SMTP; the link to ``path`` in the newest email that reached ``to``."""
    portal.clinic.mail.deliver_now()
    for email in reversed(portal.smtp.received):
        if to in email.rcpt_tos:
            for link in _LINK.findall(email.part("plain")):
                if urlsplit(link).path == path:
                    assert link.startswith(portal.url), "the email's link points at this portal"
                    return str(link)
    raise AssertionError(f"no email to {to} with a {path} link arrived")


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]


def add_ready_patient(portal: Portal, first: str, last: str, born: str, email: str) -> int:
    """A chart with email and ZIP code and portal access on (gold once set up, blue after a sign-in)."""
    clinic = portal.clinic
    pid = clinic.staff.add_patient(
        first_name=first, last_name=last, date_of_birth=born, email=email, zip_code="02139", actor=STAFF
    )
    clinic.staff.set_portal_access(pid, enabled=True, actor=STAFF)
    return int(pid)


def color(portal: Portal, pid: int) -> str:
    return str(portal.clinic.status(pid).color)
