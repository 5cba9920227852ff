"""Screenshots of every patient-portal page, at desktop (1280 px) and phone (390 px) width, for README.

    PYTHONPATH=. .venv/bin/python scripts/portal_screenshots.py [--out docs/screenshots/portal]

Builds a small demo clinic in a temporary SQLite file, serves the portal over it (with the
demo mailbox) and drives Debian's Chromium with Playwright through each page: the sign-in
page (also with its error, and in Spanish), registration (also with mistakes), claim,
forgotten password (also its answer), the three emailed links (real tokens, from emails
caught by the demo's mail catcher), activation code, the signed-in account page, and the
demo mailbox (list and one email). Saves ``<page>-desktop.png`` and ``<page>-phone.png``
(full page). The tokens in the pictures died with the temporary clinic.
"""

from __future__ import annotations

import argparse
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from clinic_desk import Clinic
from clinic_desk.demo import DEMO_PASSWORD, seed_demo
from clinic_desk.demo.mail_catcher import catch_mail
from tests.e2e.browser.portal_server import STAFF, serve_portal

CHROMIUM = "/usr/bin/chromium"
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
_LINK = re.compile(r"https?://\S+\?token=[^\s<>\"']+")

#: Page name -> how to get there from a fresh tab (``go(path)`` opens a portal address).
Visit = Callable[[Any, Callable[[str], None]], None]


def _newest_link(folder: Path, path: str) -> str:
    """The newest caught email's link to ``path``."""
    for eml in sorted(folder.glob("*.eml"), reverse=True):
        for link in _LINK.findall(eml.read_text(errors="replace")):
            if f"/{path.lstrip('/')}?" in link:
                return str(link)
    raise SystemExit(f"no caught email has a {path} link")


def _sign_in_with_error(page: Any, go: Callable[[str], None]) -> None:
    go("/")
    page.fill("form#sign-in [name=username]", "emily.chen")
    page.fill("form#sign-in [name=password]", "not-the-password")
    with page.expect_navigation():
        page.click("form#sign-in [type=submit]")


def _register_mistakes(page: Any, go: Callable[[str], None]) -> None:
    go("/register")
    page.fill("form#register [name=first_name]", "Ana")
    page.fill("form#register [name=email]", "ana.diaz@")
    page.fill("form#register [name=username]", "ad")
    page.fill("form#register [name=password]", "short")
    with page.expect_navigation():
        page.click("form#register [type=submit]")


def _forgot_sent(page: Any, go: Callable[[str], None]) -> None:
    go("/forgot")
    page.fill("form#forgot [name=username_or_email]", "nobody@example.com")
    with page.expect_navigation():
        page.click("form#forgot [type=submit]")


def _account(page: Any, go: Callable[[str], None]) -> None:
    go("/")
    page.fill("form#sign-in [name=username]", "emily.chen")
    page.fill("form#sign-in [name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("form#sign-in [type=submit]")


def _visits(links: dict[str, str], mailbox_email: str) -> dict[str, Visit]:
    def plain(path: str) -> Visit:
        return lambda _page, go: go(path)

    return {
        "sign-in": plain("/?lang=en"),
        "sign-in-error": _sign_in_with_error,
        "sign-in-es": plain("/?lang=es"),
        "register": plain("/register?lang=en"),
        "register-mistakes": _register_mistakes,
        "claim": plain("/claim"),
        "forgot": plain("/forgot"),
        "forgot-sent": _forgot_sent,
        "accept-invitation": plain(links["accept-invitation"]),
        "reset-password": plain(links["reset-password"]),
        "confirm-registration": plain(links["confirm-registration"]),
        "activate": plain("/activate"),
        "account": _account,
        "demo-mailbox": plain("/demo-mailbox"),
        "demo-mailbox-email": plain(f"/demo-mailbox/{mailbox_email}"),
    }


def _emails(clinic: Clinic, ids: dict[str, int], folder: Path) -> dict[str, str]:
    """Send the three kinds of emailed link to the catcher; the path + query of each."""
    clinic.staff.send_invitation(ids["gold_not_invited"], actor=STAFF)
    clinic.portal.request_reset("emily.chen")
    clinic.staff.resend_confirmation(ids["red_unconfirmed"], actor=STAFF)
    report = clinic.mail.deliver_now()
    if report.sent < 3:
        raise SystemExit(f"the demo's emails were not all caught: {report}")
    links = {}
    for path in ("accept-invitation", "reset-password", "confirm-registration"):
        link = _newest_link(folder, path)
        links[path] = link[link.index("/", len("http://")) :]
    return links


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots/portal"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "mailbox"
        with (
            Clinic.open(f"sqlite:///{work}/demo.db", create=True) as clinic,
            catch_mail(folder) as (host, port),
            serve_portal(clinic, demo_mailbox=folder) as url,
        ):
            ids = seed_demo(clinic, patients=40)
            clinic.update_settings(
                actor=STAFF, portal_url=url, smtp_host=host, smtp_port=port, smtp_security="none"
            )
            links = _emails(clinic, ids, folder)
            newest = sorted(folder.glob("*.eml"))[-1].name
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                for name, visit in _visits(links, newest).items():
                    for size, (width, height) in WIDTHS.items():
                        context = browser.new_context(
                            locale="en-US", viewport={"width": width, "height": height}, device_scale_factor=1
                        )
                        page = context.new_page()
                        visit(page, lambda path, page=page: page.goto(url + path))
                        target = args.out / f"{name}-{size}.png"
                        page.screenshot(path=str(target), full_page=True)
                        context.close()
                        print(f"Saved {target}")
                browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
