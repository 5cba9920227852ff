"""Attacks over HTTP: forged forms, stolen or stale sessions, floods, probing for accounts, leaky headers."""

from __future__ import annotations

import html
import re

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from clinic_desk import Clinic
from clinic_desk.portal.headers import CONTENT_SECURITY_POLICY
from clinic_desk.portal.words import ENGLISH
from tests import databases
from tests.portal.conftest import client_for
from tests.portal.forms import csrf_token, follow, sign_in, signed_up_patient, submit
from tests.services.helpers import GOOD_PASSWORD
from tests.tcp_proxy import TcpProxy

SIGN_IN = {"username": "ana.lopez", "password": GOOD_PASSWORD}


def without_token(page: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]+"', "", page)


def test_a_form_without_its_csrf_token_or_with_a_wrong_one_is_refused(
    portal_clinic: Clinic, browser: TestClient
) -> None:
    signed_up_patient(portal_clinic)
    browser.get("/")
    for forged in ({}, {"csrf_token": "x" * 43}, {"csrf_token": ""}):
        answer = browser.post("/", data={**SIGN_IN, **forged})
        assert answer.status_code == 403
        assert ENGLISH["csrf_text"] in answer.text and "Traceback" not in answer.text
    # A token from another browser (another pre-session cookie) does not fit this one.
    other = client_for(portal_clinic)
    stolen = csrf_token(other.get("/").text)
    assert browser.post("/", data={**SIGN_IN, "csrf_token": stolen}).status_code == 403
    # A token without the cookie it belongs to: a cross-site form post.
    fresh = client_for(portal_clinic)
    assert fresh.post("/", data={**SIGN_IN, "csrf_token": stolen}).status_code == 403
    assert portal_clinic.status(1).color == "gold"  # none of it signed in


def test_the_form_token_changes_at_sign_in(portal_clinic: Clinic, browser: TestClient) -> None:
    signed_up_patient(portal_clinic)
    before = csrf_token(browser.get("/").text)
    follow(browser, browser.post("/", data={**SIGN_IN, "csrf_token": before}))
    after = csrf_token(browser.get("/account").text)
    assert after != before
    stale = {
        "old_password": GOOD_PASSWORD,
        "new_password": "x-harbor-99",
        "new_password_again": "x-harbor-99",
    }
    assert browser.post("/account", data={**stale, "csrf_token": before}).status_code == 403


def test_session_cookie_flags(portal_clinic: Clinic, browser: TestClient) -> None:
    signed_up_patient(portal_clinic)
    cookies = sign_in(browser).headers.get_list("set-cookie")
    session = next(line for line in cookies if line.startswith("portal_session="))
    assert "HttpOnly" in session and "SameSite=lax" in session and "Path=/" in session
    assert "Secure" not in session
    secure = client_for(portal_clinic, secure_cookies=True)
    assert all("Secure" in line for line in sign_in(secure).headers.get_list("set-cookie"))


def test_cookies_are_secure_behind_an_https_proxy(sqlite_clinic: Clinic) -> None:
    proxied = client_for(sqlite_clinic, behind_proxy=True)
    page = proxied.get("/", headers={"x-forwarded-proto": "https"})
    assert "Secure" in page.headers["set-cookie"]
    plain = client_for(sqlite_clinic)  # not behind a proxy: the header is anyone's to send
    assert "Secure" not in plain.get("/", headers={"x-forwarded-proto": "https"}).headers["set-cookie"]


def test_a_made_up_or_ended_session_opens_nothing(portal_clinic: Clinic, browser: TestClient) -> None:
    signed_up_patient(portal_clinic)
    guesser = client_for(portal_clinic)
    guesser.cookies.set("portal_session", "made-up-token")
    assert guesser.get("/account").headers["location"] == "/?notice=session_ended"
    follow(browser, sign_in(browser))
    stolen = browser.cookies.get("portal_session")
    follow(browser, submit(browser, "/account", {}, action="/sign-out"))
    thief = client_for(portal_clinic)
    thief.cookies.set("portal_session", stolen)
    assert thief.get("/account").status_code == 303  # signed out on the server, not only in the browser


def test_security_headers_on_every_response(sqlite_browser: TestClient) -> None:
    responses = [
        sqlite_browser.get("/"),
        sqlite_browser.get("/reset-password?token=abc"),
        sqlite_browser.get("/account"),
        sqlite_browser.get("/nowhere"),
        sqlite_browser.put("/"),
        sqlite_browser.post("/forgot"),
        sqlite_browser.get("/healthz"),
        sqlite_browser.get("/static/portal.css"),
    ]
    for response in responses:
        headers = response.headers
        assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert "script-src" not in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"
    for response in responses[:-1]:
        assert response.headers["cache-control"] == "no-store", response.url
    assert [response.status_code for response in responses] == [200, 200, 303, 404, 405, 403, 200, 200]


def test_error_pages_are_in_the_layout_without_a_trace(
    sqlite_clinic: Clinic, caplog: pytest.LogCaptureFixture
) -> None:
    client = client_for(sqlite_clinic)

    async def broken(_request: object) -> None:
        raise RuntimeError("Ana Lopez ana.lopez@example.com")

    client.app.router.routes.append(Route("/broken", broken))  # type: ignore[attr-defined]
    answer = client.get("/broken?token=secret-token")
    assert answer.status_code == 500
    assert ENGLISH["server_error_text"] in answer.text and '<html lang="en">' in answer.text
    assert "Traceback" not in answer.text and "Ana" not in answer.text
    assert "Ana" not in caplog.text and "secret-token" not in caplog.text
    assert "RuntimeError" in caplog.text
    assert ENGLISH["not_found_text"] in client.get("/nowhere").text
    assert ENGLISH["method_text"] in client.delete("/account").text


def test_too_many_posts_from_one_address_get_429(sqlite_clinic: Clinic) -> None:
    proxied = client_for(sqlite_clinic, behind_proxy=True)
    flood = {"x-forwarded-for": "10.0.0.1, 198.51.100.7"}
    answers = [proxied.post("/forgot", headers=flood).status_code for _ in range(61)]
    assert answers[:60] == [403] * 60 and answers[60] == 429  # no token: refused, but counted first
    page = proxied.post("/forgot", headers=flood)
    assert page.status_code == 429 and ENGLISH["too_many_text"] in page.text
    # Only the proxy's own hop counts: a made-up first hop changes nothing...
    spoofed = {"x-forwarded-for": "203.0.113.99, 198.51.100.7"}
    assert proxied.post("/forgot", headers=spoofed).status_code == 429
    # ...and another client of the same proxy is not held up.
    other = {"x-forwarded-for": "10.0.0.1, 198.51.100.8"}
    assert proxied.post("/forgot", headers=other).status_code == 403


def test_a_huge_form_is_refused_before_it_is_read(sqlite_browser: TestClient) -> None:
    sqlite_browser.get("/")
    answer = sqlite_browser.post(
        "/forgot",
        content=b"username_or_email=" + b"a" * 100_000,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 413 and ENGLISH["too_large_text"] in answer.text


def test_unknown_and_existing_accounts_get_the_same_page(portal_clinic: Clinic, browser: TestClient) -> None:
    signed_up_patient(portal_clinic)
    answers = [
        submit(browser, "/", {"username": name, "password": "wrong-password-9"})
        for name in ("ana.lopez", "nobody.here")
    ]
    assert [answer.status_code for answer in answers] == [400, 400]
    assert without_token(answers[0].text).replace("ana.lopez", "?") == without_token(answers[1].text).replace(
        "nobody.here", "?"
    )
    forgot = [
        submit(browser, "/forgot", {"username_or_email": typed})
        for typed in ("ana.lopez@example.com", "nobody@example.com", "ana.lopez", "")
    ]
    assert {answer.status_code for answer in forgot} == {200}
    assert len({without_token(answer.text) for answer in forgot}) == 1
    assert len(portal_clinic.mail.outbox(1)) == 3  # invitation + two resets, nothing else said


def test_health_check_reads_the_database(sqlite_clinic: Clinic, sqlite_url: str) -> None:
    client = client_for(sqlite_clinic)
    ok = client.get("/healthz")
    assert (ok.status_code, ok.text) == (200, "ok")
    path = sqlite_url.removeprefix("sqlite:///")
    with open(path, "r+b") as damaged:  # the file is no database any more: not healthy
        damaged.write(b"this is not a database" * 200)
    sqlite_clinic.engine.dispose()
    down = client.get("/healthz")
    assert down.status_code == 503


@pytest.mark.postgres
def test_health_check_says_503_while_the_database_server_is_gone(postgres_session_url: str) -> None:
    databases.empty_postgres(postgres_session_url)
    with (
        TcpProxy(databases.PG_HOST, databases.PG_PORT) as proxy,
        Clinic.open(proxy.url_for(postgres_session_url), answer_seconds=2) as clinic,
    ):
        client = client_for(clinic)
        assert client.get("/healthz").status_code == 200
        proxy.cut()
        down = client.get("/healthz")
        assert (down.status_code, down.text) == (503, "database unavailable")
        client.cookies.set("portal_session", "any")
        page = client.get("/account")
        assert page.status_code == 503 and ENGLISH["unavailable_text"] in html.unescape(page.text)
        proxy.restore()
        assert client.get("/healthz").status_code == 200
