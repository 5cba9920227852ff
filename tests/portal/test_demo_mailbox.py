"""The demo mailbox pages over HTTP: newest first, escaped, links clickable, no way out of the folder."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from clinic_desk.demo.mail_catcher import save_message
from clinic_desk.portal.demo_mailbox import mailbox_routes

LINK = "http://127.0.0.1:8080/accept-invitation?token=Abc-123_x"


def _eml(to: str, subject: str, text: str, date: str = "Fri, 27 Nov 2026 09:30:00 +0000") -> bytes:
    return (
        f"From: portal@riverside-clinic.example\nTo: {to}\nSubject: {subject}\nDate: {date}\n"
        f"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n{text}\n"
    ).encode()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    box = tmp_path / "mailbox"
    box.mkdir()
    return box


HERE = ("127.0.0.1", 50000)  # the demo's own browser, on this computer


@pytest.fixture
def browser(folder: Path) -> TestClient:
    return TestClient(Starlette(routes=mailbox_routes(folder)), client=HERE)


def test_the_list_shows_the_newest_first_and_is_marked_demo(folder: Path, browser: TestClient) -> None:
    older = save_message(folder, _eml("ana@example.com", "Older", "one"))
    os.utime(older, (time.time() - 60, time.time() - 60))
    save_message(folder, _eml("bo@example.com", "Newer", "two"))
    page = browser.get("/demo-mailbox")
    assert page.status_code == 200
    assert "Demo mailbox — for the demo clinic only" in page.text
    assert page.text.index("Newer") < page.text.index("Older")
    assert "bo@example.com" in page.text and "2026-11-27" in page.text
    assert "<script" not in page.text


def test_an_email_shows_its_text_with_the_link_clickable(folder: Path, browser: TestClient) -> None:
    name = save_message(folder, _eml("ana@example.com", "Your invitation", f"Open {LINK}.\nThanks")).name
    page = browser.get(f"/demo-mailbox/{name}")
    assert page.status_code == 200
    assert f'<a href="{LINK}" rel="noreferrer">{LINK}</a>.' in page.text  # the full stop stays outside
    list_page = browser.get("/demo-mailbox")
    assert f'href="/demo-mailbox/{name}"' in list_page.text


def test_everything_shown_is_escaped(folder: Path, browser: TestClient) -> None:
    evil = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    text = f'{evil}\nhttp://example.com/"onmouseover=alert(3)\njavascript:alert(4)'
    name = save_message(folder, _eml(f"x{evil}@example.com", f"Hi {evil}", text)).name
    for page in (browser.get("/demo-mailbox"), browser.get(f"/demo-mailbox/{name}")):
        assert "<script>" not in page.text and "<img" not in page.text
        assert "&lt;script&gt;" in page.text
    shown = browser.get(f"/demo-mailbox/{name}").text
    assert 'href="http://example.com/"' in shown  # the quote ends the link; it never opens an attribute
    assert 'href="javascript' not in shown


ODD_NAMES = ("../secret.eml", "..%2Fsecret.eml", "%2e%2e%2fsecret.eml", ".hidden.eml", "nothere.eml")


@pytest.mark.parametrize("name", [*ODD_NAMES, "a.txt", "..", "x" * 300])
def test_no_name_reaches_outside_the_folder(folder: Path, browser: TestClient, name: str) -> None:
    (folder.parent / "secret.eml").write_bytes(_eml("boss@example.com", "SECRET", "the secret"))
    (folder / ".hidden.eml").write_bytes(_eml("boss@example.com", "SECRET", "the secret"))
    (folder / "a.txt").write_text("SECRET")
    page = browser.get(f"/demo-mailbox/{name}")
    assert page.status_code == 404
    assert "SECRET" not in page.text and "the secret" not in page.text


def test_a_missing_folder_is_an_empty_mailbox(tmp_path: Path) -> None:
    browser = TestClient(Starlette(routes=mailbox_routes(tmp_path / "not-yet")), client=HERE)
    page = browser.get("/demo-mailbox")
    assert page.status_code == 200
    assert "No emails yet" in page.text


def test_a_damaged_file_still_lists(folder: Path, browser: TestClient) -> None:
    (folder / "20260101-000000-0001.eml").write_bytes(b"\xff\xfe not an email \x00\n\n\xff")
    assert browser.get("/demo-mailbox").status_code == 200
    assert browser.get("/demo-mailbox/20260101-000000-0001.eml").status_code == 200


def test_only_get_is_answered(folder: Path, browser: TestClient) -> None:
    assert browser.post("/demo-mailbox").status_code == 405


def test_without_a_folder_the_apps_own_is_used(folder: Path) -> None:
    app = Starlette(routes=mailbox_routes())
    app.state.portal = type("Config", (), {"demo_mailbox": folder})()
    save_message(folder, _eml("ana@example.com", "From the app's folder", "hi"))
    assert "From the app&#39;s folder" in TestClient(app, client=HERE).get("/demo-mailbox").text


def test_the_portal_mounts_the_mailbox_only_for_the_demo(folder: Path, sqlite_url: str) -> None:
    import secrets

    from clinic_desk import Clinic
    from clinic_desk.portal.app import create_app

    save_message(folder, _eml("ana@example.com", "Caught", f"Open {LINK}"))
    with Clinic.open(sqlite_url) as clinic:
        plain = TestClient(create_app(clinic, secrets.token_bytes(32)))
        assert plain.get("/demo-mailbox").status_code == 404
        demo = TestClient(create_app(clinic, secrets.token_bytes(32), demo_mailbox=folder), client=HERE)
        page = demo.get("/demo-mailbox")
        assert page.status_code == 200 and "Caught" in page.text
        # The portal's own headers cover these pages too: no framing, no Referer, no script.
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert "script-src" not in page.headers["content-security-policy"]
        assert page.headers["referrer-policy"] == "no-referrer"
        assert demo.get("/static/demo_mailbox.css").status_code == 200


@pytest.mark.parametrize(
    ("client", "headers"),
    [
        (("192.168.1.20", 50000), {}),  # another computer: a portal started on 0.0.0.0 by mistake
        (("testclient", 50000), {}),  # not an address at all
        (HERE, {"X-Forwarded-For": "203.0.113.9"}),  # through a proxy on this computer
        (HERE, {"Forwarded": "for=203.0.113.9"}),
    ],
)
def test_only_a_browser_on_this_computer_sees_the_emails(
    folder: Path, client: tuple[str, int], headers: dict[str, str]
) -> None:
    name = save_message(folder, _eml("ana@example.com", "Your invitation", f"Open {LINK}")).name
    outsider = TestClient(Starlette(routes=mailbox_routes(folder)), client=client, headers=headers)
    for path in ("/demo-mailbox", f"/demo-mailbox/{name}"):
        page = outsider.get(path)
        assert page.status_code == 404
        assert "Your invitation" not in page.text and "token" not in page.text
