"""A token never leaves in a Referer; the demo mailbox shows a caught email whose link opens the portal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clinic_desk import Clinic
from clinic_desk.demo.mail_catcher import catch_mail
from tests.e2e.browser.patient_steps import (
    PASSWORD,
    add_ready_patient,
    delivered_link,
    fill_and_send,
    token_of,
)
from tests.e2e.browser.portal_server import STAFF, Portal, serve_portal


def test_no_request_after_a_token_page_carries_the_token(page: Any, portal: Portal) -> None:
    pid = add_ready_patient(portal, "Aisha", "Johnson", "1994-12-11", "aisha@example.com")
    portal.clinic.staff.send_invitation(pid, actor=STAFF)
    link = delivered_link(portal, "aisha@example.com", "/accept-invitation")
    token = token_of(link)
    page.goto(link)  # the page, then its stylesheet: the first chance for a Referer
    page.locator("a[href]").first.click()  # a link on the page (the language switch keeps the token)
    page.go_back()
    fill_and_send(page, "accept-invitation", username="aisha.j", password=PASSWORD)  # POST, redirect
    page.goto(portal.at("/"))
    after = portal.requests[[r.url for r in portal.requests].index(link) + 1 :]
    assert any("/static/" in r.url for r in after) and any(r.method == "POST" for r in after)
    for request in after:
        referer = request.header_value("referer") or ""
        assert token not in referer, f"{request.method} {request.url} sent the token in its Referer"


def test_the_demo_loop_mailbox_link_password_sign_in_blue(
    chromium: Any, sqlite_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "mailbox"
    with (
        Clinic.open(sqlite_url) as clinic,
        catch_mail(folder) as (host, port),
        serve_portal(clinic, demo_mailbox=folder) as url,
    ):
        clinic.update_settings(
            actor=STAFF, portal_url=url, smtp_host=host, smtp_port=port, smtp_security="none"
        )
        pid = clinic.staff.add_patient(
            first_name="Emily",
            last_name="Chen",
            date_of_birth="1988-04-17",
            email="emily.chen@example.com",
            zip_code="02139",
            actor=STAFF,
        )
        clinic.staff.set_portal_access(pid, enabled=True, actor=STAFF)
        clinic.staff.send_invitation(pid, actor=STAFF)
        assert clinic.mail.deliver_now().sent == 1
        context = chromium.new_context(locale="en-US")
        try:
            page = context.new_page()
            page.goto(url + "/demo-mailbox")
            assert "for the demo clinic only" in page.inner_text("body")
            assert "emily.chen@example.com" in page.inner_text("table")
            page.locator("table a").first.click()
            page.wait_for_url("**/demo-mailbox/*.eml")
            page.locator("pre a[href*='/accept-invitation?token=']").click()
            page.wait_for_url("**/accept-invitation?token=*")
            # The rest of the demo's loop: a password, a sign-in, and the desk's icon turns blue.
            assert clinic.status(pid).color == "gold"
            fill_and_send(page, "accept-invitation", username="emily.chen", password=PASSWORD)
            fill_and_send(page, "sign-in", username="emily.chen", password=PASSWORD)
            assert "Emily" in page.locator("h1").first.inner_text()
            assert clinic.status(pid).color == "blue"
        finally:
            context.close()
