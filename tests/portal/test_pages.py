"""Each page does its one job over HTTP, through the facade, with the markup other tests rely on."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from clinic_desk import Clinic
from clinic_desk.portal.words import ENGLISH
from tests.conftest import FakeClock
from tests.portal.forms import follow, sign_in, signed_up_patient, submit
from tests.services.helpers import (
    GOOD_PASSWORD,
    STAFF,
    add_invited_patient,
    add_ready_patient,
    newest_token,
    register_online,
)

FORMS = {
    "/": ("sign-in", ["username", "password"]),
    "/register": (
        "register",
        ["first_name", "last_name", "date_of_birth", "email", "zip_code", "username", "password"],
    ),
    "/claim": ("claim", ["email", "last_name", "date_of_birth", "zip_code", "username", "password"]),
    "/forgot": ("forgot", ["username_or_email"]),
    "/accept-invitation?token=t": ("accept-invitation", ["token", "username", "password"]),
    "/reset-password?token=t": ("reset-password", ["token", "password"]),
    "/confirm-registration?token=t": ("confirm-registration", ["token"]),
    "/activate": ("activate", ["code", "date_of_birth", "username", "password"]),
}
AUTOCOMPLETE = {
    "username": "username",
    "password": ("current-password", "new-password"),
    "date_of_birth": "bday",
    "email": "email",
    "zip_code": "postal-code",
    "code": "one-time-code",
    "username_or_email": "username",
    "first_name": "given-name",
    "last_name": "family-name",
}
ANY_OF = {name: (value if isinstance(value, tuple) else (value,)) for name, value in AUTOCOMPLETE.items()}


def test_every_form_has_its_id_fields_labels_and_a_submit_button(sqlite_browser: TestClient) -> None:
    for path, (form_id, fields) in FORMS.items():
        page = sqlite_browser.get(path).text
        assert f'<form id="{form_id}" method="post"' in page, path
        assert '<button type="submit">' in page, path
        assert 'name="csrf_token"' in page
        names = re.findall(r'<input id="([a-z_]+)" name="\1"', page)
        hidden = re.findall(r'<input type="hidden" name="([a-z_]+)"', page)
        assert sorted(names + [name for name in hidden if name != "csrf_token"]) == sorted(fields), path
        for name in names:
            assert f'<label for="{name}">' in page, (path, name)
            found = re.search(rf'<input id="{name}"[^>]* autocomplete="([a-z-]+)"', page)
            assert found and found.group(1) in ANY_OF[name], (path, name)
        assert "<script" not in page and " style=" not in page and "onclick" not in page
        assert 'name="viewport"' in page and '<html lang="en">' in page


def test_errors_are_tied_to_their_field_and_announced(sqlite_browser: TestClient) -> None:
    answer = submit(
        sqlite_browser,
        "/register",
        {
            "first_name": "Ana",
            "last_name": "Diaz",
            "date_of_birth": "1990-01-02",
            "email": "ana@example.com",
            "zip_code": "02139",
            "username": "ana.diaz",
            "password": "short",
        },
    )
    assert answer.status_code == 400
    page = answer.text
    assert '<p class="error" id="password-error" role="alert">Password is too short' in page
    assert re.search(
        r'<input id="password"[^>]*aria-describedby="password-hint password-error"'
        r'[^>]*aria-invalid="true"',
        page,
    )
    assert 'value="ana@example.com"' in page  # what was typed stays, except the password
    assert 'value="short"' not in page


def test_registration_then_the_confirmation_link_then_sign_in(
    portal_clinic: Clinic, browser: TestClient
) -> None:
    done = submit(
        browser,
        "/register",
        {
            "first_name": "Maria",
            "last_name": "Garcia",
            "date_of_birth": "1990-01-15",
            "email": "maria.garcia@example.com",
            "zip_code": "60614",
            "username": "mariag",
            "password": GOOD_PASSWORD,
        },
    )
    page = follow(browser, done)
    assert 'class="notice" role="status"' in page.text and ENGLISH["register_done"] in page.text
    patient_id = portal_clinic.staff.find_patients("Garcia")[0].patient_id
    assert portal_clinic.status(patient_id).color == "red"
    token = newest_token(portal_clinic, patient_id)
    # Opening the link (a mail scanner does) changes nothing: only the button does.
    shown = browser.get(f"/confirm-registration?token={token}")
    assert f'name="token" value="{token}"' in shown.text
    assert portal_clinic.status(patient_id).color == "red"
    confirmed = follow(browser, submit(browser, f"/confirm-registration?token={token}", {"token": token}))
    assert ENGLISH["confirm_done"] in confirmed.text
    assert portal_clinic.status(patient_id).color == "gold"
    account = follow(browser, sign_in(browser, "mariag"))
    assert "<h1>Hello, Maria</h1>" in account.text
    assert portal_clinic.status(patient_id).color == "blue"


def test_invitation_link_then_sign_in_turns_the_icon_blue(portal_clinic: Clinic, browser: TestClient) -> None:
    patient_id = add_invited_patient(portal_clinic)
    token = newest_token(portal_clinic, patient_id)
    data = {"token": token, "username": "ana.lopez", "password": GOOD_PASSWORD}
    ready = follow(browser, submit(browser, f"/accept-invitation?token={token}", data))
    assert ENGLISH["account_ready"] in ready.text
    assert portal_clinic.status(patient_id).color == "gold"
    used_again = submit(browser, f"/accept-invitation?token={token}", data)
    assert ENGLISH["link_used"] in used_again.text
    account = follow(browser, sign_in(browser))
    assert "<h1>Hello, Ana</h1>" in account.text
    assert portal_clinic.status(patient_id).color == "blue"


def test_forgotten_password_reset_link_and_the_old_link_refused(
    portal_clinic: Clinic, browser: TestClient
) -> None:
    patient_id = signed_up_patient(portal_clinic)
    answer = submit(browser, "/forgot", {"username_or_email": "ana.lopez@example.com"})
    assert answer.status_code == 200 and ENGLISH["forgot_done"] in answer.text
    token = newest_token(portal_clinic, patient_id)
    data = {"token": token, "password": "new-harbor-77"}
    saved = follow(browser, submit(browser, f"/reset-password?token={token}", data))
    assert ENGLISH["password_saved"] in saved.text
    assert ENGLISH["link_used"] in submit(browser, f"/reset-password?token={token}", data).text
    assert follow(browser, sign_in(browser, password="new-harbor-77")).status_code == 200
    assert "Hello, Ana" in browser.get("/account").text


def test_claim_with_a_wrong_date_of_birth_is_refused_then_the_right_one_works(
    portal_clinic: Clinic, browser: TestClient
) -> None:
    patient_id = add_ready_patient(portal_clinic)
    data = {
        "email": "ana.lopez@example.com",
        "last_name": "Lopez",
        "date_of_birth": "1984-06-03",
        "zip_code": "02139",
        "username": "ana.lopez",
        "password": GOOD_PASSWORD,
    }
    refused = submit(browser, "/claim", data)
    assert refused.status_code == 400 and ENGLISH["refused"] in refused.text
    assert 'id="claim-error" role="alert"' in refused.text
    report = portal_clinic.portal.check_match(
        email=data["email"], last_name="Lopez", date_of_birth=data["date_of_birth"], zip_code="02139"
    )
    assert "date_of_birth" in repr(report)
    ready = follow(browser, submit(browser, "/claim", {**data, "date_of_birth": "1984-06-02"}))
    assert ENGLISH["account_ready"] in ready.text
    assert portal_clinic.portal.login("ana.lopez", GOOD_PASSWORD)
    assert patient_id


def test_activation_code_then_sign_in_turns_the_icon_blue(portal_clinic: Clinic, browser: TestClient) -> None:
    patient_id = add_ready_patient(portal_clinic, email=None)
    portal_clinic.staff.update_contact(patient_id, email="mrn1@noemail.invalid", actor=STAFF)
    portal_clinic.staff.set_portal_access(patient_id, enabled=True, actor=STAFF)
    code = portal_clinic.staff.issue_activation_code(patient_id, actor=STAFF).code
    typed = f"{code[:4].lower()}-{code[4:].lower()}"
    data = {"code": typed, "date_of_birth": "1984-06-02", "username": "ana.lopez", "password": GOOD_PASSWORD}
    ready = follow(browser, submit(browser, "/activate", data))
    assert ENGLISH["account_ready"] in ready.text
    assert follow(browser, sign_in(browser)).status_code == 200
    assert portal_clinic.status(patient_id).color == "blue"


def test_a_temporary_password_is_changed_first_then_sign_out_ends_the_session(
    portal_clinic: Clinic, browser: TestClient
) -> None:
    patient_id = add_ready_patient(portal_clinic)
    portal_clinic.staff.set_credentials(
        patient_id, username="ana.lopez", password="temp-pass-123", actor=STAFF
    )
    account = follow(browser, sign_in(browser, password="temp-pass-123"))
    assert ENGLISH["must_change_password"] in account.text
    differ = submit(
        browser,
        "/account",
        {
            "old_password": "temp-pass-123",
            "new_password": GOOD_PASSWORD,
            "new_password_again": GOOD_PASSWORD + "x",
        },
    )
    assert differ.status_code == 400 and 'id="new_password_again-error" role="alert"' in differ.text
    weak = submit(
        browser,
        "/account",
        {"old_password": "temp-pass-123", "new_password": "short", "new_password_again": "short"},
    )
    assert 'id="new_password-error" role="alert"' in weak.text
    changed = follow(
        browser,
        submit(
            browser,
            "/account",
            {
                "old_password": "temp-pass-123",
                "new_password": GOOD_PASSWORD,
                "new_password_again": GOOD_PASSWORD,
            },
        ),
    )
    assert ENGLISH["password_changed"] in changed.text
    assert ENGLISH["must_change_password"] not in changed.text
    token = browser.cookies.get("portal_session")
    signed_out = follow(browser, submit(browser, "/account", {}, action="/sign-out"))
    assert ENGLISH["signed_out"] in signed_out.text
    assert portal_clinic.portal.session(token) is None
    assert browser.get("/account").headers["location"] == "/"


def test_an_idle_session_ends_and_says_so(
    portal_clinic: Clinic, browser: TestClient, clock: FakeClock
) -> None:
    signed_up_patient(portal_clinic)
    follow(browser, sign_in(browser))
    clock.advance(minutes=16)
    ended = browser.get("/account")
    assert ended.headers["location"] == "/?notice=session_ended"
    assert ENGLISH["session_ended"] in browser.get(ended.headers["location"]).text


def test_a_signed_in_patient_opening_sign_in_goes_to_the_account(
    sqlite_clinic: Clinic, sqlite_browser: TestClient
) -> None:
    signed_up_patient(sqlite_clinic)
    follow(sqlite_browser, sign_in(sqlite_browser))
    assert sqlite_browser.get("/").headers["location"] == "/account"


def test_an_online_registration_is_confirmed_on_the_portal(
    sqlite_clinic: Clinic, sqlite_browser: TestClient
) -> None:
    patient_id = register_online(sqlite_clinic)
    token = newest_token(sqlite_clinic, patient_id)
    follow(sqlite_browser, submit(sqlite_browser, f"/confirm-registration?token={token}", {"token": token}))
    assert (
        ENGLISH["link_used"]
        in submit(sqlite_browser, f"/confirm-registration?token={token}", {"token": token}).text
    )


def test_every_page_names_the_clinic_whose_portal_it_is(
    sqlite_clinic: Clinic, sqlite_browser: TestClient
) -> None:
    """A patient arriving from a letter's QR code sees whose portal this is, in the header and title."""
    name = sqlite_clinic.settings.clinic_name
    for path in ("/", "/register", "/claim", "/forgot", "/activate", "/no-such-page"):
        page = sqlite_browser.get(path)
        header = page.text.split("<header", 1)[1].split("</header>", 1)[0]
        title = page.text.split("<title>", 1)[1].split("</title>", 1)[0]
        assert name in header and name in title, path


def test_a_field_error_does_not_repeat_the_field_label(sqlite_browser: TestClient) -> None:
    form = sqlite_browser.get("/register")
    token = form.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    answer = sqlite_browser.post(
        "/register",
        data={
            "csrf_token": token, "first_name": "Ana", "last_name": "Diaz", "date_of_birth": "1980-02-03",
            "email": "ana.diaz@", "zip_code": "02139", "username": "ana.diaz",
            "password": "Harbor-Lights-2026",
        },
    )  # fmt: skip
    error = answer.text.split('id="email-error"', 1)[1].split("</", 1)[0]
    assert "ana.diaz@" in error and "Email:" not in error
