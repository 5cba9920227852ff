"""Browser tests of the patient portal: Playwright driving Debian's Chromium against a real portal.

One browser for all of them (starting Chromium is the slow part), a new context (fresh
cookies, JavaScript off: the pages are plain HTML forms) per test. Each test gets its own
clinic database (a SQLite file, then the run's PostgreSQL database emptied), its own portal
server on a free port, and the loopback SMTP test server as the clinic's mail server.
Without /usr/bin/chromium the tests skip, saying so; with CI=true they fail instead, like
the database fixtures.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clinic_desk import Clinic
from tests import databases
from tests.e2e.browser.portal_server import STAFF, Portal, serve_portal
from tests.portal.conftest import portal_db_url  # SQLite, then PostgreSQL, as the page tests

__all__ = ["portal_db_url"]
from tests.smtp_server import SmtpTestServer

CHROMIUM = Path(os.environ.get("CLINIC_TEST_CHROMIUM", "/usr/bin/chromium"))


def require_chromium(path: Path = CHROMIUM, *, in_ci: bool = databases.IN_CI) -> None:
    """Skip with a clear message when Chromium is missing; in CI, fail instead."""
    if path.is_file() and os.access(path, os.X_OK):
        return
    message = f"Chromium is not installed at {path} (scripts/bootstrap.sh installs it)"
    if in_ci:
        pytest.fail(message + " (CI=true: the browser tests never skip)")
    pytest.skip(message)


@pytest.fixture(scope="package")
def chromium() -> Iterator[Any]:
    """One headless Chromium for all the browser tests (closed after them, not at the end of the run)."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def portal(portal_db_url: str, smtp_server: SmtpTestServer) -> Iterator[Portal]:
    """The portal served over a fresh clinic whose emails go to the loopback SMTP server."""
    with Clinic.open(portal_db_url) as clinic, serve_portal(clinic) as url:
        clinic.update_settings(actor=STAFF, portal_url=url, **smtp_server.settings())
        yield Portal(clinic, url, smtp_server)


@pytest.fixture
def page(chromium: Any, portal: Portal) -> Iterator[Any]:
    """A fresh browser tab (its own cookies) that records every request it makes."""
    # No JavaScript: every page must work as plain HTML forms (the portal has no script at all).
    context = chromium.new_context(
        locale="en-US", viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.on("request", lambda request: portal.requests.append(request))
    yield tab
    context.close()
