"""Both languages say everything: the same keys, and no English left on a Spanish page."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from clinic_desk import Clinic
from clinic_desk.portal.language import browser_language
from clinic_desk.portal.words import ENGLISH, SPANISH
from tests.portal.forms import follow, page_text, sign_in, signed_up_patient, submit
from tests.services.helpers import GOOD_PASSWORD, STAFF

# Whole English words no Spanish sentence of ours contains.
ENGLISH_MARKERS = re.compile(
    r"\b(the|your|and|please|password|username|sign|email|with|this|not|you|we|link|try|again|code)\b",
    re.IGNORECASE,
)
PAGES = [
    "/",
    "/register",
    "/register?done=1",
    "/claim",
    "/forgot",
    "/activate",
    "/accept-invitation?token=abc",
    "/reset-password?token=abc",
    "/confirm-registration?token=abc",
    "/confirm-registration",
    "/?notice=account_ready",
    "/?notice=session_ended",
    "/no-such-page",
]


def test_both_languages_have_the_same_words() -> None:
    assert ENGLISH.keys() == SPANISH.keys()
    assert all(text.strip() for text in (*ENGLISH.values(), *SPANISH.values()))
    same = [key for key in ENGLISH if ENGLISH[key] == SPANISH[key]]
    assert same == [], f"not translated: {same}"


def assert_spanish(html: str) -> None:
    assert '<html lang="es">' in html
    text = page_text(html)
    for key, english in ENGLISH.items():
        if key != "switch_language":
            assert english not in text, f"English words ({key}) on a Spanish page"
    leftover = [word for word in ENGLISH_MARKERS.findall(text.replace("English", ""))]
    assert leftover == [], f"English on a Spanish page: {leftover}\n{text}"


@pytest.mark.parametrize("path", PAGES)
def test_no_english_on_a_spanish_page(sqlite_browser: TestClient, path: str) -> None:
    page = sqlite_browser.get(path, headers={"accept-language": "es-MX,es;q=0.9"})
    assert page.status_code in (200, 404)
    assert_spanish(page.text)


def test_the_patients_own_mistakes_and_the_refusals_are_said_in_spanish(
    sqlite_clinic: Clinic, sqlite_browser: TestClient
) -> None:
    sqlite_browser.get("/?lang=es")
    mistakes = [
        (
            "/register",
            {
                "first_name": "",
                "last_name": "Diaz",
                "date_of_birth": "1990-01-02",
                "email": "ana@example",
                "zip_code": "1",
                "username": "ab",
                "password": "short",
            },
        ),
        (
            "/register",
            {
                "first_name": "Ana",
                "last_name": "Diaz",
                "date_of_birth": "1990-01-02",
                "email": "ana@example",
                "zip_code": "02139",
                "username": "ana.diaz",
                "password": "blue-harbor-42",
            },
        ),
        (
            "/register",
            {
                "first_name": "Ana",
                "last_name": "Diaz",
                "date_of_birth": "1990-01-02",
                "email": "ana@example.com",
                "zip_code": "1",
                "username": "ana.diaz",
                "password": "blue-harbor-42",
            },
        ),
        (
            "/register",
            {
                "first_name": "Ana",
                "last_name": "Diaz",
                "date_of_birth": "1990-01-02",
                "email": "ana@example.com",
                "zip_code": "02139",
                "username": "a b",
                "password": "blue-harbor-42",
            },
        ),
        (
            "/register",
            {
                "first_name": "Ana",
                "last_name": "Diaz",
                "date_of_birth": "1990-01-02",
                "email": "ana@example.com",
                "zip_code": "02139",
                "username": "ana.diaz",
                "password": "ana.diaz-123",
            },
        ),
        (
            "/claim",
            {
                "email": "nobody@example.com",
                "last_name": "Diaz",
                "date_of_birth": "1990-01-02",
                "zip_code": "02139",
                "username": "ana.diaz",
                "password": "blue-harbor-42",
            },
        ),
        (
            "/accept-invitation?token=abc",
            {"token": "abc", "username": "ana.diaz", "password": "blue-harbor-42"},
        ),
        (
            "/activate",
            {
                "code": "ABCD-EFGH",
                "date_of_birth": "1990-01-02",
                "username": "ana.diaz",
                "password": "blue-harbor-42",
            },
        ),
    ]
    for path, data in mistakes:
        answer = submit(sqlite_browser, path, data)
        assert answer.status_code == 400, (path, answer.text)
        assert 'role="alert"' in answer.text
        assert_spanish(answer.text)
    signed_up_patient(sqlite_clinic)
    refused = sign_in(sqlite_browser, password="wrong-password-1")
    assert_spanish(refused.text)
    assert SPANISH["refused"] in refused.text


def test_the_browser_language_picks_and_a_choice_is_remembered(sqlite_browser: TestClient) -> None:
    assert '<html lang="es">' in sqlite_browser.get("/", headers={"accept-language": "es"}).text
    assert '<html lang="en">' in sqlite_browser.get("/", headers={"accept-language": "fr, en;q=0.5"}).text
    chosen = sqlite_browser.get("/?lang=es", headers={"accept-language": "en"})
    assert "portal_lang=es" in chosen.headers["set-cookie"]
    assert '<html lang="es">' in sqlite_browser.get("/register", headers={"accept-language": "en"}).text
    back = sqlite_browser.get("/register?lang=en")
    assert '<html lang="en">' in back.text
    assert 'href="/register?lang=es"' in back.text  # every page links to the other language


def test_the_language_link_keeps_a_links_token(sqlite_browser: TestClient) -> None:
    page = sqlite_browser.get("/reset-password?token=abc123")
    assert 'href="/reset-password?token=abc123&amp;lang=es"' in page.text
    refused = submit(sqlite_browser, "/reset-password?token=abc123", {"token": "abc123", "password": "x"})
    assert 'href="/reset-password?token=abc123&amp;lang=es"' in refused.text


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", "en"),
        ("es", "es"),
        ("es-MX", "es"),
        ("en-US,es;q=0.8", "en"),
        ("de,es;q=0.5,en;q=0.4", "es"),
        ("es;q=0.2,en;q=0.9", "en"),
        ("x" * 10_000, "en"),
        ("es;q=abc", "en"),
        ("*", "en"),
    ],
)
def test_browser_language(header: str, expected: str) -> None:
    assert browser_language(header) == expected


def test_the_signed_in_pages_and_the_refusal_pages_are_spanish_too(
    sqlite_clinic: Clinic, sqlite_browser: TestClient
) -> None:
    patient_id = signed_up_patient(sqlite_clinic)
    sqlite_browser.get("/?lang=es")
    assert sqlite_browser.post("/forgot").status_code == 403
    assert_spanish(sqlite_browser.post("/forgot").text)
    assert_spanish(sqlite_browser.put("/").text)
    follow(sqlite_browser, sign_in(sqlite_browser))
    assert_spanish(sqlite_browser.get("/account").text)
    assert_spanish(sqlite_browser.get("/account?changed=1").text)
    differ = {"old_password": GOOD_PASSWORD, "new_password": "a-new-pass-1", "new_password_again": "other"}
    assert_spanish(submit(sqlite_browser, "/account", differ).text)
    wrong = {
        "old_password": "not-it-at-all",
        "new_password": "a-new-pass-1",
        "new_password_again": "a-new-pass-1",
    }
    assert_spanish(submit(sqlite_browser, "/account", wrong).text)
    follow(sqlite_browser, submit(sqlite_browser, "/account", {}, action="/sign-out"))
    sqlite_clinic.staff.set_credentials(
        patient_id, username="ana.lopez", password="temp-pass-123", actor=STAFF
    )
    follow(sqlite_browser, sign_in(sqlite_browser, password="temp-pass-123"))
    must_change = sqlite_browser.get("/account").text
    assert SPANISH["must_change_password"] in must_change
    assert_spanish(must_change)
