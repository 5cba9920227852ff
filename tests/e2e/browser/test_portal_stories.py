"""Issue 17's five stories, end to end: a patient in Chromium, the clinic's emails over SMTP, the icon.

Each story ends on the colour the desk's icon shows (``clinic.status(pid).color``), on SQLite
and on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from tests.e2e.browser.patient_steps import (
    PASSWORD,
    add_ready_patient,
    color,
    delivered_link,
    error_text,
    fill_and_send,
    heading,
    sign_in,
    token_of,
)
from tests.e2e.browser.portal_server import STAFF, Portal


def test_registration_with_a_mistyped_email_then_staff_fix_it(page: Any, portal: Portal) -> None:
    page.goto(portal.at("/register"))
    fill_and_send(
        page,
        "register",
        first_name="Ana",
        last_name="Diaz",
        date_of_birth="1990-07-14",
        email="ana.diaz@gmial.com",
        zip_code="02130",
        username="ana.diaz",
        password=PASSWORD,
    )
    assert error_text(page) == ""
    assert page.locator(".notice[role=status]").count() == 1
    [found] = portal.clinic.staff.find_patients("Diaz")
    pid = found.patient_id
    status = portal.clinic.status(pid)
    assert status.color == "red"
    assert "registration_unconfirmed" in [reason.code for reason in status.reasons]
    mistyped_link = delivered_link(portal, "ana.diaz@gmial.com", "/confirm-registration")

    # The patient calls; staff correct the address and turn access on (the old link dies).
    portal.clinic.staff.update_contact(pid, email="ana.diaz@gmail.com", actor=STAFF)
    portal.clinic.staff.set_portal_access(pid, enabled=True, actor=STAFF)
    sign_in(page, portal, "ana.diaz", PASSWORD)  # the password chosen at registration
    assert "Ana" in heading(page)
    assert color(portal, pid) == "blue"

    page.goto(mistyped_link)
    fill_and_send(page, "confirm-registration")
    assert error_text(page), "the link to the mistyped address works no more"


def test_invitation_link_password_then_sign_in(page: Any, portal: Portal) -> None:
    pid = add_ready_patient(portal, "Robert", "Miller", "1961-09-02", "rob.miller@example.com")
    portal.clinic.staff.send_invitation(pid, actor=STAFF)
    link = delivered_link(portal, "rob.miller@example.com", "/accept-invitation")
    assert color(portal, pid) == "gold"
    page.goto(link)
    fill_and_send(page, "accept-invitation", username="rob.miller", password=PASSWORD)
    assert error_text(page) == ""
    sign_in(page, portal, "rob.miller", PASSWORD)
    assert "Robert" in heading(page)
    assert color(portal, pid) == "blue"


def test_forgotten_password_reset_link_then_the_old_link_is_refused(page: Any, portal: Portal) -> None:
    pid = add_ready_patient(portal, "Linda", "Carter", "1957-10-12", "linda.carter@example.com")
    portal.clinic.staff.send_invitation(pid, actor=STAFF)
    invitation = delivered_link(portal, "linda.carter@example.com", "/accept-invitation")
    portal.clinic.portal.accept_invitation(token_of(invitation), username="lcarter", password=PASSWORD)

    page.goto(portal.at("/forgot"))
    fill_and_send(page, "forgot", username_or_email="lcarter")
    assert page.locator(".notice[role=status]").count() == 1
    reset = delivered_link(portal, "linda.carter@example.com", "/reset-password")
    page.goto(reset)
    fill_and_send(page, "reset-password", password="Brand-New-Secret-7")
    assert error_text(page) == ""
    sign_in(page, portal, "lcarter", "Brand-New-Secret-7")
    assert "Linda" in heading(page)
    assert color(portal, pid) == "blue"

    page.goto(reset)  # the same link again
    fill_and_send(page, "reset-password", password="Another-Secret-8")
    assert error_text(page)
    assert not portal.clinic.portal.login("lcarter", "Another-Secret-8")


def test_claim_with_a_wrong_date_of_birth_is_refused_and_the_match_check_says_why(
    page: Any, portal: Portal
) -> None:
    pid = add_ready_patient(portal, "Marcus", "Thompson", "1986-01-30", "mthompson@example.com")
    page.goto(portal.at("/claim"))
    typed = {
        "email": "mthompson@example.com",
        "last_name": "Thompson",
        "date_of_birth": "1986-03-01",
        "zip_code": "02139",
    }
    fill_and_send(page, "claim", **typed, username="mthompson", password=PASSWORD)
    assert error_text(page), "refused"
    assert page.locator(".notice[role=status]").count() == 0
    report = portal.clinic.portal.check_match(**typed, patient_id=pid)
    assert not report.ok
    assert "date of birth" in report.verdict.lower()
    comparison = report.comparison_for(pid)
    assert comparison is not None
    assert [check.field for check in comparison.mismatches] == ["date_of_birth"]
    assert color(portal, pid) == "gold"


def test_activation_letter_code_then_account_then_sign_in(page: Any, portal: Portal) -> None:
    pid = add_ready_patient(portal, "Walter", "Kowalski", "1940-02-09", "wkowalski@noemail.invalid")
    letter = portal.clinic.staff.issue_activation_code(pid, actor=STAFF)
    assert letter.activate_url == portal.at("/activate")
    page.goto(letter.activate_url)
    code = f"{letter.code[:4].lower()}-{letter.code[4:].lower()}"  # as a patient may type it
    fill_and_send(
        page, "activate", code=code, date_of_birth="1940-02-09", username="walter.k", password=PASSWORD
    )
    assert error_text(page) == ""
    sign_in(page, portal, "walter.k", PASSWORD)
    assert "Walter" in heading(page)
    assert color(portal, pid) == "blue"
