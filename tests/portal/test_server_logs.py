"""The real server's log: one line per request, and never a token, an email address or a name."""

from __future__ import annotations

import logging
import re

import httpx
import pytest

from clinic_desk import Clinic
from clinic_desk.portal.app import create_app
from tests.portal.conftest import SECRET
from tests.portal.forms import csrf_token
from tests.portal.live_server import served
from tests.services.helpers import GOOD_PASSWORD, add_invited_patient, newest_token


def test_an_invitation_followed_on_the_real_server_leaves_no_token_email_or_name_in_the_log(
    sqlite_clinic: Clinic, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    patient_id = add_invited_patient(sqlite_clinic, first="Rosalind", last="Quintanilla")
    token = newest_token(sqlite_clinic, patient_id)
    with served(create_app(sqlite_clinic, SECRET)) as base, httpx.Client(base_url=base) as browser:
        page = browser.get(f"/accept-invitation?token={token}")
        assert page.status_code == 200 and page.headers["referrer-policy"] == "no-referrer"
        data = {
            "csrf_token": csrf_token(page.text),
            "token": token,
            "username": "rosalind.q",
            "password": GOOD_PASSWORD,
        }
        assert browser.post("/accept-invitation", data=data).status_code == 303
        page = browser.get("/")
        signed_in = browser.post(
            "/",
            data={"csrf_token": csrf_token(page.text), "username": "rosalind.q", "password": GOOD_PASSWORD},
        )
        assert signed_in.headers["location"] == "/account"
        account = browser.get("/account")
        assert "Rosalind" in account.text
        session = browser.cookies["portal_session"]
        assert browser.get(f"/reset-password?token={token}&lang=es").status_code == 200
    # The test's own HTTP client logs its requests (httpx, httpcore): that is the browser's side.
    server_side = [record for record in caplog.records if not record.name.startswith(("httpx", "httpcore"))]
    logged = "\n".join(f"{record.name} {record.getMessage()}" for record in server_side)
    assert re.search(r"GET /accept-invitation 200 \d+\.\d ms", logged)
    assert re.search(r"POST / 303 ", logged)
    for secret in (token, session, "rosalind", "Rosalind", "Quintanilla", "@example.com", "?", GOOD_PASSWORD):
        assert secret not in logged, secret
    assert not [record for record in server_side if record.name == "uvicorn.access"]
