"""The demo clinic's showcase: two dozen charts in every portal state, made through the facade.

The charts are made through the public facade (``clinic.staff``, ``clinic.portal``
and ``clinic.mail``), so every colour, reason and trouble spot they show is one a
real clinic reaches the same way. :func:`seed_showcase` returns their ids under
these stable keys (expected reason and trouble-spot codes in brackets):

Blue and gold
    ``blue``                registered online, confirmed, logged in [has_logged_in]
    ``gold_invited``        access on, invitation sent, not accepted yet [never_logged_in]
    ``gold_not_invited``    access on, nothing sent [never_logged_in; no_invitation_sent]

Red (alone and combined)
    ``red_deceased``        had logged in, then marked deceased [patient_deceased, access_not_enabled]
    ``red_inactive``        made inactive [patient_inactive, access_not_enabled]
    ``red_disabled``        turned off by staff with a note [access_disabled_by_staff]
    ``red_unconfirmed``     online registration never confirmed, email maria.gonzalez@gmial.com
                            [registration_unconfirmed; email_possible_typo]
    ``red_missing_email``   no email [missing_email, access_not_enabled]
    ``red_missing_zip``     no ZIP code [missing_zip, access_not_enabled]
    ``red_missing_both``    neither [missing_email, missing_zip, access_not_enabled]
    ``red_not_enabled``     ZIP code added later, switch never turned on [access_not_enabled]
    ``red_inactive_missing_email``  [patient_inactive, missing_email, access_not_enabled]
    ``red_disabled_missing_zip``    [access_disabled_by_staff, missing_zip]
    ``red_deceased_missing_both``   [patient_deceased, missing_email, missing_zip, access_not_enabled]

Trouble spots
    ``placeholder``         placeholder email, username set by hand
                            [never_logged_in; no_invitation_sent, placeholder_email]
    ``locked``              5 wrong passwords in a row [has_logged_in; account_locked, recent_failed_logins]
    ``failed_logins``       claimed the account online, 2 wrong passwords since [recent_failed_logins]
    ``old_email_username``  username is the email they had before [username_is_old_email]
    ``shared_email``        a child in a family of 3 sharing one address
                            [never_logged_in; no_invitation_sent, shared_email]
    ``shared_email_parent`` the mother, whose username the family uses [has_logged_in; shared_email]
    ``shared_email_sibling`` the other child [never_logged_in; no_invitation_sent, shared_email]
    ``expired_invite``      José Núñez, invitation sent 10 days ago and never used [invitation_expired]
    ``delivery_failed``     newest email bounced "550 5.1.1 ... mailbox unavailable" [email_delivery_failed]
    ``typo``                email daniel.kim@yaho.com [never_logged_in; email_possible_typo]

Every showcase patient who has a username uses the password :data:`DEMO_PASSWORD`
(the "placeholder" patient's is temporary and must be changed at first login).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any, Final
from urllib.parse import parse_qs, urlsplit

from clinic_desk.demo.mail_sink import mail_sink
from clinic_desk.demo.people import DEMO_PASSWORD, FRONT_DESK, MANAGER, STREETS, TOWN_BY_CITY
from clinic_desk.domain import codes
from clinic_desk.services.clinic import Clinic

# Wrong passwords typed by the patients with login trouble.
_WRONG_PASSWORD: Final = "riverside-demo-2025"
# How long the showcase lock lasts: the demo should still show it tomorrow.
_DEMO_LOCKOUT_MINUTES: Final = 30 * 24 * 60


def _token_of(link: str | None) -> str:
    """The raw token at the end of an emailed link (what the patient's click sends)."""
    values = parse_qs(urlsplit(link or "").query).get("token")
    if not values:
        raise RuntimeError(f"no token in emailed link {link!r}")
    return values[0]


def _newest_link(clinic: Clinic, patient_id: int, kind: str) -> str:
    for message in clinic.mail.outbox(patient_id):
        if message.kind == kind:
            return _token_of(message.link)
    raise RuntimeError(f"no {kind} email for patient {patient_id}")


@contextmanager
def _reopened(clinic: Clinic, clock: Callable[[], datetime], **settings: Any) -> Iterator[Clinic]:
    """The same clinic database opened again on another clock, with some settings changed for it."""
    with Clinic.open(
        clinic.url, clock=clock, upgrade=False, **{**asdict(clinic.settings), **settings}
    ) as other:
        yield other


# Who the showcase patients are: "-" is none; without a ZIP code the town's first one is used.
# Columns (two spaces apart): key  first (preferred)  last  born  sex  email  town [ZIP]
_SHOWCASE_PEOPLE: Final = """
blue                        Emily           Chen      1988-04-17  F  emily.chen@gmail.com       Cambridge
gold_invited                Robert (Bob)    Miller    1961-09-02  M  rob.miller@comcast.net     Boston
gold_not_invited            Aisha           Johnson   1994-12-11  F  aisha.johnson@icloud.com   Quincy
red_deceased                Harold          Jenkins   1931-06-25  M  hjenkins@aol.com           Newton
red_inactive                Gloria          Ramirez   1975-03-08  F  gloria.ramirez@yahoo.com   Somerville
red_disabled                Tyler           Brooks    2009-10-30  M  tyler.brooks@icloud.com    Brockton
red_unconfirmed             María           González  1990-07-14  F  maria.gonzalez@gmial.com   Boston 02130
red_missing_email           Dorothy         Hughes    1944-01-19  F  -                          Quincy
red_missing_zip             Kevin           O'Brien   1983-05-05  M  kevin.obrien@verizon.net   Boston -
red_missing_both            Minh            Nguyen    1969-11-23  M  -                          Boston -
red_not_enabled             Samantha (Sam)  Reyes     1999-02-28  F  sam.reyes@gmail.com        Boston -
red_inactive_missing_email  Frank           Delgado   1958-08-14  M  -                          Worcester
red_disabled_missing_zip    Renée           Dubois    1972-12-01  F  renee.dubois@me.com        Cambridge
red_deceased_missing_both   Eleanor         Whitaker  1926-04-03  F  -                          Boston -
placeholder                 Walter          Kowalski  1940-02-09  M  wkowalski@noemail.invalid  Quincy
locked                      Jennifer (Jen)  Walsh     1979-07-21  F  jen.walsh@gmail.com        Newton
failed_logins               Marcus          Thompson  1986-01-30  M  mthompson@hotmail.com      Somerville
old_email_username          Linda           Carter    1957-10-12  F  linda.carter@aol.com       Boston
shared_email_parent         Priya           Patel     1982-03-15  F  thepatels@yahoo.com        Cambridge
shared_email                Arjun           Patel     2013-08-09  M  thepatels@yahoo.com        Cambridge
shared_email_sibling        Anika           Patel     2016-11-27  F  thepatels@yahoo.com        Cambridge
expired_invite              José            Núñez     1977-05-19  M  jose.nunez@hotmail.com     Boston 02130
delivery_failed             Brittany        Sullivan  1992-06-06  F  bsullivan@comcast.net      Brockton
typo                        Daniel (Danny)  Kim       1985-09-27  M  daniel.kim@yaho.com        Boston
"""
_NAME_AND_PREFERRED = re.compile(r"(?P<first>[^(]+?)\s*(?:\((?P<preferred>[^)]+)\))?")


def _showcase_charts() -> dict[str, dict[str, Any]]:
    """add_patient arguments for each showcase key (a family shares address and home phone)."""
    charts: dict[str, dict[str, Any]] = {}
    homes: dict[str, tuple[str, str]] = {}
    for index, line in enumerate(_SHOWCASE_PEOPLE.strip().splitlines()):
        key, name, last, born, sex, email, place = re.split(r"\s{2,}", line.strip())
        match = _NAME_AND_PREFERRED.fullmatch(name)
        assert match is not None, line
        city, _, zip_code = place.rpartition(" ") if place[-1] in "-0123456789" else (place, "", "")
        town = TOWN_BY_CITY[city]
        street = STREETS[(index * 7) % len(STREETS)]
        home = homes.setdefault(
            email if email != "-" else key,
            (f"{(index * 37) % 480 + 3} {street}", f"({town.area_codes[0]}) 555-{101 + index:04d}"),
        )
        charts[key] = {
            "first_name": match["first"],
            "preferred_name": match["preferred"],
            "last_name": last,
            "date_of_birth": born,
            "sex": sex,
            "email": None if email == "-" else email,
            "zip_code": None if zip_code == "-" else zip_code or town.zips[0],
            "phone": home[1],
            "address_line1": home[0],
            "city": town.city,
            "state": town.state,
        }
    return charts


def _invited_and_logged_in(clinic: Clinic, patient_id: int, username: str, logins: int = 1) -> None:
    """Staff invite the patient, who sets a username and password and logs in."""
    clinic.staff.send_invitation(patient_id, actor=FRONT_DESK)
    token = _newest_link(clinic, patient_id, codes.INVITATION)
    clinic.portal.accept_invitation(token, username=username, password=DEMO_PASSWORD)
    for _ in range(logins):
        if not clinic.portal.login(username, DEMO_PASSWORD):
            raise RuntimeError(f"demo login failed for {username}")


def _registered_online(clinic: Clinic, chart: dict[str, Any], username: str) -> int:
    """The patient fills in the portal's registration form."""
    return clinic.portal.self_register(
        **{name: chart[name] for name in ("first_name", "last_name", "date_of_birth", "email", "zip_code")},
        username=username,
        password=DEMO_PASSWORD,
    )


def seed_showcase(clinic: Clinic) -> dict[str, int]:
    """Make the showcase charts through the facade; returns showcase key -> patient id.

    Meant for an empty clinic: at the end every queued email is delivered to a sink
    on this computer (see :func:`_deliver_outbox`).
    """
    staff, portal = clinic.staff, clinic.portal
    charts = _showcase_charts()
    ids: dict[str, int] = {}

    def add(key: str, on: Clinic = clinic) -> int:
        ids[key] = on.staff.add_patient(actor=FRONT_DESK, **charts[key])
        return ids[key]

    # Registered online, clicked the confirmation link, gave phone and address at the first visit.
    pid = ids["blue"] = _registered_online(clinic, charts["blue"], "emily.chen")
    portal.confirm_registration(_newest_link(clinic, pid, codes.CONFIRMATION))
    for _ in range(3):
        portal.login("emily.chen", DEMO_PASSWORD)
    contact = {name: charts["blue"][name] for name in ("phone", "address_line1", "city", "state")}
    staff.update_contact(pid, actor=FRONT_DESK, **contact)

    # Access came on with the chart; one was invited, the other not.
    staff.send_invitation(add("gold_invited"), actor=FRONT_DESK)
    add("gold_not_invited")

    # Used the portal, then was marked deceased.
    pid = add("red_deceased")
    _invited_and_logged_in(clinic, pid, "hjenkins", logins=2)
    staff.set_patient_status(
        pid, codes.DECEASED, actor=MANAGER, note="Death certificate received from family."
    )
    staff.set_patient_status(add("red_inactive"), codes.INACTIVE, actor=MANAGER, note="Moved to Arizona.")
    pid = add("red_disabled")
    _invited_and_logged_in(clinic, pid, "tbrooks")
    staff.set_portal_access(
        pid,
        enabled=False,
        actor=MANAGER,
        reason=codes.OFF_PREVENTING_HARM,
        note="Parent asked to turn the portal off while custody is reviewed.",
    )

    # The confirmation email went to a typo'd domain, so the click never comes.
    ids["red_unconfirmed"] = _registered_online(clinic, charts["red_unconfirmed"], "mgonzalez")

    add("red_missing_email")
    add("red_missing_zip")
    add("red_missing_both")
    # The ZIP code came later, but nobody turned the switch on.
    staff.update_contact(add("red_not_enabled"), zip_code="02130", actor=FRONT_DESK)

    # Several reasons at once.
    staff.set_patient_status(
        add("red_inactive_missing_email"),
        codes.INACTIVE,
        actor=MANAGER,
        note="Transferred care to another practice.",
    )
    pid = add("red_disabled_missing_zip")
    staff.set_portal_access(
        pid,
        enabled=False,
        actor=FRONT_DESK,
        reason=codes.OFF_PATIENT_REQUEST,
        note="Patient asked for paper statements only.",
    )
    staff.update_contact(
        pid, zip_code=None, actor=FRONT_DESK, note="ZIP code on file was wrong; asking the patient."
    )
    staff.set_patient_status(add("red_deceased_missing_both"), codes.DECEASED, actor=MANAGER)

    # No email at all: staff set a username and temporary password at the desk.
    staff.set_credentials(
        add("placeholder"),
        username="wkowalski",
        password=DEMO_PASSWORD,
        actor=FRONT_DESK,
        note="Patient has no email; temporary password given at the desk.",
    )

    # Five wrong passwords in a row (browser autofill of an old one). The lock lasts longer
    # than the clinic's 15 minutes so the demo still shows it tomorrow.
    pid = add("locked")
    _invited_and_logged_in(clinic, pid, "jwalsh", logins=4)
    with _reopened(clinic, clinic.now, lockout_minutes=_DEMO_LOCKOUT_MINUTES) as strict:
        for _ in range(strict.settings.lockout_threshold):
            strict.portal.login("jwalsh", _WRONG_PASSWORD)

    # Created their own account ("I am a registered patient"), then mistyped twice.
    chart = charts["failed_logins"]
    add("failed_logins")
    portal.claim_account(
        email=chart["email"],
        last_name=chart["last_name"],
        date_of_birth=chart["date_of_birth"],
        zip_code=chart["zip_code"],
        username="mthompson",
        password=DEMO_PASSWORD,
    )
    portal.login("mthompson", DEMO_PASSWORD)
    for _ in range(2):
        portal.login("mthompson", _WRONG_PASSWORD)

    # Signed up with her old email as the username; the chart now has her new one.
    pid = add("old_email_username")
    _invited_and_logged_in(clinic, pid, "linda.carter@aol.com", logins=5)
    staff.update_contact(
        pid, email="linda.carter@outlook.com", actor=FRONT_DESK, note="New email given at check-in."
    )

    # A family of three with one address and one username (the mother's).
    _invited_and_logged_in(clinic, add("shared_email_parent"), "priya.patel", logins=6)
    add("shared_email")
    add("shared_email_sibling")

    # Invited well over a week ago (on a clock set back in time), never used. A link's life
    # starts when its email is sent, so the emails so far go now and this one back then.
    _deliver_outbox(clinic, clinic.now)
    back_then = timedelta(days=clinic.settings.invitation_days + 3)
    with _reopened(clinic, lambda: clinic.now() - back_then) as earlier:
        earlier.staff.send_invitation(add("expired_invite", on=earlier), actor=FRONT_DESK)
        _deliver_outbox(earlier, earlier.now)

    # The invitation bounced; the typo'd one went to a domain nobody reads.
    staff.send_invitation(add("delivery_failed"), actor=FRONT_DESK)
    staff.send_invitation(add("typo"), actor=FRONT_DESK)

    # The bounce, and the last emails sent.
    _deliver_outbox(clinic, clinic.now, bounced=charts["delivery_failed"]["email"])
    return ids


def _deliver_outbox(clinic: Clinic, clock: Callable[[], datetime], bounced: str | None = None) -> None:
    """Deliver the queued emails at ``clock``'s time to a sink on this computer, which bounces ``bounced``.

    The outbox then reads like a real clinic's (sent, and one "mailbox unavailable"),
    and a mail worker pointed at this demo later has nothing to send to the
    realistic-looking addresses above.
    """
    bounces = (
        {bounced: f"550 5.1.1 <{bounced}>: Recipient address rejected: mailbox unavailable"}
        if bounced
        else {}
    )
    with (
        mail_sink(bounces) as (host, port),
        _reopened(
            clinic, clock, smtp_host=host, smtp_port=port, smtp_security="none", smtp_username=""
        ) as sending,
    ):
        report = sending.mail.deliver_now()
    if report.problem or report.failed != len(bounces) or report.retried:
        raise RuntimeError(f"the demo outbox was not delivered as planned: {report}")
