"""The portal takes up settings an administrator saves at a desk, without a restart."""

from __future__ import annotations

from clinic_desk import Clinic
from tests.conftest import FakeClock
from tests.portal.conftest import client_for


def test_a_new_clinic_name_shows_on_the_next_page(portal_db_url: str, clock: FakeClock) -> None:
    with (
        Clinic.open(portal_db_url, clock=clock) as portal_side,
        Clinic.open(portal_db_url, clock=clock) as desk,
    ):
        browser = client_for(portal_side, settings_check_seconds=0)
        assert "Harbor Street Clinic" not in browser.get("/").text
        desk.update_settings(actor="office.admin", clinic_name="Harbor Street Clinic")
        assert "Harbor Street Clinic" in browser.get("/").text


def test_the_portal_asks_at_most_every_few_seconds(sqlite_url: str, clock: FakeClock) -> None:
    with Clinic.open(sqlite_url, clock=clock) as portal_side, Clinic.open(sqlite_url, clock=clock) as desk:
        browser = client_for(portal_side, settings_check_seconds=3600)
        browser.get("/")  # the first request asks
        desk.update_settings(actor="office.admin", clinic_name="Harbor Street Clinic")
        assert "Harbor Street Clinic" not in browser.get("/").text  # not again within the hour
