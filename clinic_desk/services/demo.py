"""Build a demo clinic: showcase charts in every portal state, then realistic bulk charts.

The showcase charts are made through the public facade (``clinic.staff`` and
``clinic.portal``), so every colour, reason and trouble spot they show is one a
real clinic reaches the same way. :func:`seed_demo` returns their ids under
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
The remaining charts are bulk-inserted with SQLAlchemy Core: a realistic mix of
colours and a few trouble spots, one audit entry for the whole load.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate
from typing import TYPE_CHECKING, Any, Final, cast
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import Connection, Table, func, insert, select, text, update

from clinic_desk.db.models import OutboxEmail, Patient, PortalAccount
from clinic_desk.domain import codes
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.validation import fold, phone_digits
from clinic_desk.services import audit
from clinic_desk.services.secrets_ import hash_password

if TYPE_CHECKING:
    from clinic_desk.services.clinic import Clinic

DEMO_PASSWORD: Final = "Riverside-Demo-2026"
# Wrong passwords typed by the patients with login trouble.
_WRONG_PASSWORD: Final = "riverside-demo-2025"
# Staff who "did" the showcase work (the audit trail reads like a real clinic's).
FRONT_DESK: Final = "Dana Whitfield (front desk)"
MANAGER: Final = "Marcus Lee (practice manager)"
BULK_ACTOR: Final = "demo data load"
# Rows per executemany: big enough to amortise round trips, small enough for memory.
CHUNK_ROWS: Final = 10_000
MAX_PATIENTS: Final = 10_000_000
# How long the showcase lock lasts: the demo should still show it tomorrow.
_DEMO_LOCKOUT_MINUTES: Final = 30 * 24 * 60

Progress = Callable[[int, int], None]


# --- people and places ----------------------------------------------------------------


@dataclass(frozen=True)
class _Town:
    city: str
    state: str
    zips: tuple[str, ...]
    area_codes: tuple[str, ...]
    weight: int = 1


# Most patients live near the clinic (Greater Boston, so some ZIP codes start with 0).
_TOWNS: Final = (
    _Town("Boston", "MA", ("02108", "02116", "02118", "02127", "02130"), ("617", "857"), 12),
    _Town("Cambridge", "MA", ("02138", "02139", "02140"), ("617", "857"), 8),
    _Town("Somerville", "MA", ("02143", "02144", "02145"), ("617",), 6),
    _Town("Quincy", "MA", ("02169", "02170", "02171"), ("617",), 5),
    _Town("Newton", "MA", ("02458", "02459", "02460"), ("617",), 4),
    _Town("Brockton", "MA", ("02301", "02302"), ("508", "774"), 3),
    _Town("Worcester", "MA", ("01602", "01604", "01609"), ("508", "774"), 2),
    _Town("Providence", "RI", ("02903", "02906", "02908"), ("401",)),
    _Town("Manchester", "NH", ("03101", "03103", "03104"), ("603",)),
    _Town("Hartford", "CT", ("06103", "06105", "06106"), ("860",)),
    _Town("Brooklyn", "NY", ("11201", "11215", "11238"), ("718", "347")),
    _Town("Philadelphia", "PA", ("19103", "19104", "19147"), ("215", "267")),
    _Town("Baltimore", "MD", ("21201", "21218", "21230"), ("410", "443")),
    _Town("Raleigh", "NC", ("27601", "27605", "27609"), ("919",)),
    _Town("Atlanta", "GA", ("30303", "30306", "30318"), ("404", "678")),
    _Town("Miami", "FL", ("33130", "33133", "33145"), ("305", "786")),
    _Town("Orlando", "FL", ("32801", "32803", "32806"), ("407",)),
    _Town("Chicago", "IL", ("60614", "60618", "60657"), ("312", "773")),
    _Town("Columbus", "OH", ("43201", "43206", "43215"), ("614",)),
    _Town("Minneapolis", "MN", ("55401", "55405", "55408"), ("612",)),
    _Town("Houston", "TX", ("77002", "77006", "77019"), ("713", "832")),
    _Town("San Antonio", "TX", ("78205", "78209", "78212"), ("210",)),
    _Town("Denver", "CO", ("80202", "80205", "80218"), ("303", "720")),
    _Town("Phoenix", "AZ", ("85004", "85006", "85016"), ("602", "480")),
    _Town("Seattle", "WA", ("98101", "98103", "98122"), ("206",)),
    _Town("San Diego", "CA", ("92101", "92103", "92104"), ("619", "858")),
    _Town("San Juan", "PR", ("00901", "00907", "00909"), ("787",)),
)
_TOWN_BY_CITY: Final = {town.city: town for town in _TOWNS}


def _listed(text: str) -> tuple[str, ...]:
    """The comma-separated words of a data table (kept compact: these are long lists)."""
    return tuple(word.strip() for word in text.replace("\n", " ").split(",") if word.strip())


_STREETS: Final = _listed("""
Main St, Maple Ave, Oak St, Elm St, Washington St, Cedar Ln, Highland Ave, Park Pl, Church St,
Pleasant St, Summer St, Lincoln Rd, Center St, Chestnut St, Walnut St, Franklin St, Prospect St,
School St, River Rd, Spring St, Beacon St, Commonwealth Ave, Tremont St, Harvard St, Hancock St,
Adams St, Lakeview Dr, Sunset Blvd, Ridge Rd, Mill Rd, Forest Ave, Willow Way
""")
_UNITS: Final = _listed("""
Apt {n}, Apt {n}B, Unit {n}, #{n}, Fl {n}
""")

_FEMALE: Final = _listed("""
Mary, Patricia, Jennifer, Linda, Elizabeth, Barbara, Susan, Jessica, Sarah, Karen, Lisa, Nancy,
Betty, Margaret, Sandra, Ashley, Kimberly, Emily, Donna, Michelle, Carol, Amanda, Dorothy, Melissa,
Deborah, Stephanie, Rebecca, Sharon, Laura, Cynthia, Kathleen, Amy, Angela, Shirley, Anna, Brenda,
Pamela, Emma, Nicole, Helen, Samantha, Katherine, Christine, Debra, Rachel, Carolyn, Janet,
Catherine, Maria, Heather, Diane, Olivia, Julie, Joyce, Victoria, Ruth, Virginia, Lauren, Kelly,
Christina, Joan, Evelyn, Judith, Megan, Andrea, Cheryl, Hannah, Jacqueline, Martha, Gloria, Teresa,
Ann, Sara, Madison, Frances, Kathryn, Janice, Jean, Abigail, Alice, Judy, Sophia, Grace, Denise,
Amber, Doris, Marilyn, Danielle, Beverly, Isabella, Theresa, Diana, Natalie, Brittany, Charlotte,
Marie, Kayla, Alexis, Lori, Ava, Mia, Aaliyah, Keisha, Ximena, Guadalupe, Mei, Priya, Fatima,
Aisha, Yesenia, Thuy, Lakshmi, María, Sofía, Lucía, Renée, Zoë, Chloé, Noémie, Inés
""")
_MALE: Final = _listed("""
James, Robert, John, Michael, David, William, Richard, Joseph, Thomas, Christopher, Charles,
Daniel, Matthew, Anthony, Mark, Donald, Steven, Andrew, Paul, Joshua, Kenneth, Kevin, Brian,
George, Timothy, Ronald, Jason, Edward, Jeffrey, Ryan, Jacob, Gary, Nicholas, Eric, Jonathan,
Stephen, Larry, Justin, Scott, Brandon, Benjamin, Samuel, Gregory, Alexander, Patrick, Frank,
Raymond, Jack, Dennis, Jerry, Tyler, Aaron, Jose, Adam, Nathan, Henry, Zachary, Douglas, Peter,
Kyle, Noah, Ethan, Jeremy, Walter, Christian, Keith, Roger, Terry, Austin, Sean, Gerald, Carl,
Harold, Dylan, Arthur, Lawrence, Jordan, Jesse, Bryan, Billy, Bruce, Gabriel, Joe, Logan, Alan,
Juan, Albert, Willie, Elijah, Wayne, Randy, Vincent, Mason, Roy, Ralph, Bobby, Russell, Liam,
DeShawn, Malik, Luis, Carlos, Miguel, Wei, Hiroshi, Raj, Omar, Tuan, Dmitri, Kwame, José, Andrés,
Ángel, Jesús, René, Étienne, Björn
""")
_LAST: Final = _listed("""
Smith, Johnson, Williams, Brown, Jones, Garcia, Miller, Davis, Rodriguez, Martinez, Hernandez,
Lopez, Gonzalez, Wilson, Anderson, Thomas, Taylor, Moore, Jackson, Martin, Lee, Perez, Thompson,
White, Harris, Sanchez, Clark, Ramirez, Lewis, Robinson, Walker, Young, Allen, King, Wright, Scott,
Torres, Nguyen, Hill, Flores, Green, Adams, Nelson, Baker, Hall, Rivera, Campbell, Mitchell,
Carter, Roberts, Gomez, Phillips, Evans, Turner, Diaz, Parker, Cruz, Edwards, Collins, Reyes,
Stewart, Morris, Morales, Murphy, Cook, Rogers, Gutierrez, Ortiz, Morgan, Cooper, Peterson, Bailey,
Reed, Kelly, Howard, Ramos, Kim, Cox, Ward, Richardson, Watson, Brooks, Chavez, Wood, James,
Bennett, Gray, Mendoza, Ruiz, Hughes, Price, Alvarez, Castillo, Sanders, Patel, Myers, Long, Ross,
Foster, Jimenez, O'Brien, O'Connor, McCarthy, Sullivan, Fitzgerald, Kowalski, Nowak, Rossi, Russo,
Cohen, Goldberg, Shapiro, Chen, Wang, Li, Zhang, Liu, Tran, Pham, Le, Park, Choi, Tanaka, Yamamoto,
Singh, Shah, Khan, Ali, Okafor, Mensah, Haddad, Santos, Silva, Pereira, Costa, Murray, Duffy,
Doyle, Walsh, Lynch, Smith-Jones, De La Cruz, Van Buren, Núñez, Peña, Muñoz, Ibáñez, Gómez,
Martínez, Rodríguez, Hernández, Sánchez, Ramírez, Pérez, Müller, Lefèvre
""")
# Formal name -> what the patient likes to be called.
_PREFERRED: Final = {
    "William": ("Bill", "Will", "Liam"),
    "Robert": ("Bob", "Rob", "Bobby"),
    "Elizabeth": ("Liz", "Beth"),
    "Margaret": ("Peggy", "Maggie", "Meg"),
    "Katherine": ("Kate", "Katie"),
    "James": ("Jim", "Jimmy"),
    "Richard": ("Rick", "Dick"),
    "Jennifer": ("Jen", "Jenny"),
    "Alexander": ("Alex", "Xander"),
    "Christopher": ("Chris",),
    "Michael": ("Mike", "Mikey"),
    "Nicholas": ("Nick",),
    "Samantha": ("Sam",),
    "Jonathan": ("Jon",),
    "Patricia": ("Patty", "Trish"),
    "Victoria": ("Tori", "Vicky"),
    "Joseph": ("Joe", "Joey"),
    "Thomas": ("Tom", "Tommy"),
    "Daniel": ("Dan", "Danny"),
    "Deborah": ("Debbie", "Deb"),
    "Anthony": ("Tony",),
    "Rebecca": ("Becky",),
    "Christina": ("Tina",),
    "Theresa": ("Terry",),
    "Edward": ("Ed", "Ted"),
    "Kathleen": ("Kathy",),
    "Susan": ("Sue",),
    "Benjamin": ("Ben",),
    "Abigail": ("Abby",),
    "Gabriel": ("Gabe",),
    "Frances": ("Fran",),
    "Dmitri": ("Dima",),
    "Guadalupe": ("Lupe",),
}
_DOMAINS: Final = (
    ("gmail.com", 40),
    ("yahoo.com", 14),
    ("hotmail.com", 7),
    ("outlook.com", 8),
    ("icloud.com", 9),
    ("aol.com", 4),
    ("comcast.net", 5),
    ("verizon.net", 2),
    ("att.net", 3),
    ("msn.com", 1),
    ("live.com", 1),
    ("me.com", 1),
    ("protonmail.com", 1),
    ("sbcglobal.net", 2),
    ("bu.edu", 1),
    ("mgh.harvard.edu", 1),
)
_TYPO_DOMAINS: Final = _listed("""
gmial.com, gmail.co, yaho.com, hotmial.com, outlok.com, iclod.com, gamil.com
""")
_STAFF: Final = (
    FRONT_DESK,
    MANAGER,
    "Keisha Brown (front desk)",
    "Luis Ortega (front desk)",
    "Dr. Amara Okafor",
    "Janet Kowalczyk (billing)",
)
_STAFF_NOTES: Final = (
    "Parent asked to turn the portal off while custody is reviewed.",
    "Patient asked for paper statements only.",
    "Suspected account sharing; patient to call the office.",
    "Guardian now manages this chart's messages.",
    "Patient reported an unrecognised login.",
)


# --- the showcase -----------------------------------------------------------------------


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


def _at(clinic: Clinic, clock: Callable[[], datetime], **settings: Any) -> Clinic:
    """The same clinic (same engine) seen through another clock or settings."""
    from clinic_desk.services.clinic import Clinic

    return Clinic(clinic.engine, clinic.url, clock, clinic.settings.updated(**settings))


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
        town = _TOWN_BY_CITY[city]
        street = _STREETS[(index * 7) % len(_STREETS)]
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
    """Make the showcase charts through the facade; returns showcase key -> patient id."""
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
        pid, enabled=False, actor=FRONT_DESK, note="Patient asked for paper statements only."
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
    strict = _at(clinic, clinic.ctx.clock, lockout_minutes=_DEMO_LOCKOUT_MINUTES)
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

    # Invited well over a week ago (on a clock set back in time), never used.
    earlier = _at(clinic, lambda: clinic.now() - timedelta(days=clinic.settings.invitation_days + 3))
    earlier.staff.send_invitation(add("expired_invite", on=earlier), actor=FRONT_DESK)

    # The invitation bounced; the typo'd one went to a domain nobody reads.
    staff.send_invitation(add("delivery_failed"), actor=FRONT_DESK)
    staff.send_invitation(add("typo"), actor=FRONT_DESK)

    _settle_outbox(clinic, ids)
    return ids


def _settle_outbox(clinic: Clinic, ids: dict[str, int]) -> None:
    """Bounce the "delivery_failed" patient's newest email; mark the others sent.

    Marking them sent keeps a mail worker pointed at this demo from emailing the
    realistic-looking addresses above.
    """
    with clinic.transaction() as session:
        newest = session.scalar(
            select(func.max(OutboxEmail.id)).where(OutboxEmail.patient_id == ids["delivery_failed"])
        )
        to = session.scalar(select(OutboxEmail.to_address).where(OutboxEmail.id == newest))
        session.execute(
            update(OutboxEmail)
            .where(OutboxEmail.id == newest)
            .values(
                status="failed",
                attempts=1,
                failed_at=clinic.now(),
                last_error=f"550 5.1.1 <{to}>: Recipient address rejected: mailbox unavailable",
            )
        )
    with clinic.transaction() as session:
        session.execute(
            update(OutboxEmail)
            .where(OutboxEmail.status == "queued", OutboxEmail.patient_id.in_(list(ids.values())))
            .values(status="sent", attempts=1, sent_at=OutboxEmail.queued_at)
        )


# --- the bulk load ----------------------------------------------------------------------

# What each bulk chart's portal looks like, with how often it happens (per thousand).
_BULK_STATES: Final = (
    ("blue", 520),
    ("blue_failed_logins", 20),
    ("gold", 140),
    ("gold_username", 90),
    ("placeholder", 20),
    ("typo", 10),
    ("missing_email", 70),
    ("missing_zip", 20),
    ("missing_both", 10),
    ("not_enabled", 30),
    ("inactive", 45),
    ("deceased", 10),
    ("disabled", 15),
)
_BULK_NAMES: Final = tuple(name for name, _ in _BULK_STATES)
_BULK_CUMULATIVE: Final = tuple(
    sum(weight for _, weight in _BULK_STATES[: index + 1]) for index in range(len(_BULK_STATES))
)
_ASCII_WORD = re.compile(r"[^a-z]")


@dataclass(frozen=True)
class _Name:
    """A name with its search key and the ASCII letters used in emails and usernames."""

    text: str
    key: str
    ascii: str


def _names(values: tuple[str, ...]) -> tuple[_Name, ...]:
    return tuple(_Name(v, fold(v)[:100], _ASCII_WORD.sub("", fold(v)) or "x") for v in values)


class _BulkCharts:
    """Makes realistic random charts as rows ready for executemany."""

    def __init__(
        self, rng: random.Random, now: datetime, password_hash: str, placeholder_domain: str
    ) -> None:
        self.rng = rng
        self.now = now
        self.today = now.date()
        self.password_hash = password_hash
        self.placeholder_domain = placeholder_domain
        self.female = _names(_FEMALE)
        self.male = _names(_MALE)
        self.last = _names(_LAST)
        self.towns = _TOWNS
        self.town_weights = tuple(accumulate(town.weight for town in _TOWNS))
        self.domains = tuple(d for d, _ in _DOMAINS)
        self.domain_weights = tuple(accumulate(w for _, w in _DOMAINS))

    def _email(self, first: _Name, last: _Name, domain: str) -> str:
        rng = self.rng
        number = rng.randint(1, 9999)  # always digits: never equal to a showcase address
        style = rng.random()
        if style < 0.45:
            local = f"{first.ascii}.{last.ascii}{number}"
        elif style < 0.75:
            local = f"{first.ascii[0]}{last.ascii}{number}"
        else:
            local = f"{last.ascii}.{first.ascii}{number}"
        return f"{local}@{domain}"

    def rows(self, patient_id: int, mrn: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """One chart and its portal account."""
        rng = self.rng
        now = self.now
        state = rng.choices(_BULK_NAMES, cum_weights=_BULK_CUMULATIVE)[0]
        roll = rng.random()
        sex = "female" if roll < 0.51 else "male" if roll < 0.985 else "other" if roll < 0.995 else "unknown"
        feminine = sex == "female" or (sex != "male" and rng.random() < 0.5)
        first = rng.choice(self.female if feminine else self.male)
        last = rng.choice(self.last)
        preferred_choices = _PREFERRED.get(first.text)
        preferred = rng.choice(preferred_choices) if preferred_choices and rng.random() < 0.3 else None
        oldest = 100 if state == "deceased" else 92
        born = self.today - timedelta(days=rng.randint(30, oldest * 365))
        town = rng.choices(self.towns, cum_weights=self.town_weights)[0]
        zip_code: str | None = rng.choice(town.zips)
        if rng.random() < 0.08:
            zip_code = f"{zip_code}-{rng.randint(1, 9999):04d}"
        domain = rng.choices(self.domains, cum_weights=self.domain_weights)[0]
        email: str | None = self._email(first, last, domain)
        if state == "typo":
            email = self._email(first, last, rng.choice(_TYPO_DOMAINS))
        elif state == "placeholder":
            email = f"mrn{mrn}@{self.placeholder_domain}"
        if state in ("missing_email", "missing_both"):
            email = None
        if state in ("missing_zip", "missing_both"):
            zip_code = None
        phone = (
            f"({rng.choice(town.area_codes)}) 555-{rng.randint(100, 9999):04d}"
            if rng.random() < 0.93
            else None
        )
        unit = rng.choice(_UNITS).format(n=rng.randint(1, 40)) if rng.random() < 0.25 else None
        created_at = now - timedelta(seconds=rng.randint(3600, 6 * 365 * 86400))
        online = state in ("blue", "gold_username") and rng.random() < 0.12
        status = codes.ACTIVE
        if state == "inactive":
            status = codes.INACTIVE
        elif state == "deceased":
            status = codes.DECEASED
        elif online and rng.random() < 0.5:
            status = codes.PROSPECTIVE
        created_via = (
            codes.CREATED_BY_ONLINE_REGISTRATION
            if online
            else codes.CREATED_BY_IMPORT
            if rng.random() < 0.15
            else codes.CREATED_BY_STAFF
        )

        since = (now - created_at).total_seconds()
        enabled = state in ("blue", "blue_failed_logins", "gold", "gold_username", "placeholder", "typo")
        logged_in = state in ("blue", "blue_failed_logins") or (
            state in ("typo", "placeholder", "inactive", "deceased", "disabled") and rng.random() < 0.5
        )
        has_username = logged_in or state in ("gold_username", "placeholder")
        last_login = created_at + timedelta(seconds=rng.uniform(0, since)) if logged_in else None
        username = f"{first.ascii[0]}{last.ascii[:20]}{patient_id}" if has_username else None
        off_reason: str | None = None
        changed_by: str | None = rng.choice(_STAFF) if enabled else None
        changed_at: datetime | None = created_at if enabled else None
        note: str | None = None
        if not enabled:
            off_reason = codes.OFF_NOT_ENABLED
            if state == "disabled":
                off_reason = codes.OFF_BY_STAFF
                changed_by = rng.choice(_STAFF)
                changed_at = (last_login or created_at) + timedelta(days=rng.randint(1, 90))
                changed_at = min(changed_at, now)
                note = rng.choice(_STAFF_NOTES)
            elif state in ("inactive", "deceased"):
                changed_by = rng.choice(_STAFF)
                changed_at = min((last_login or created_at) + timedelta(days=rng.randint(1, 900)), now)
                note = f"Turned off because the patient was marked {status}."
        failed = rng.randint(1, 4) if state == "blue_failed_logins" else 0
        patient = {
            "id": patient_id,
            "mrn": mrn,
            "first_name": first.text,
            "last_name": last.text,
            "preferred_name": preferred,
            "date_of_birth": born,
            "sex": sex,
            "email": email,
            "phone": phone,
            "address_line1": f"{rng.randint(1, 4999)} {rng.choice(_STREETS)}",
            "address_line2": unit,
            "city": town.city,
            "state": town.state,
            "zip_code": zip_code,
            "status": status,
            "created_via": created_via,
            "first_key": first.key,
            "last_key": last.key,
            "email_key": email.lower() if email else None,
            "phone_digits": phone_digits(phone) or None,
            "created_at": created_at,
            "updated_at": changed_at if changed_at and changed_at > created_at else created_at,
            "version": 1,
        }
        account = {
            "patient_id": patient_id,
            "access_enabled": enabled,
            "access_off_reason": off_reason,
            "access_changed_by": changed_by,
            "access_changed_at": changed_at,
            "access_note": note,
            "username": username,
            "username_key": username.lower() if username else None,
            "password_hash": self.password_hash if username else None,
            "must_change_password": state == "placeholder"
            or (state == "gold_username" and rng.random() < 0.5),
            "registered_at": created_at if online else None,
            "confirmed_at": created_at + timedelta(minutes=rng.randint(2, 600)) if online else None,
            "last_login_at": last_login,
            "login_count": rng.randint(1, 120) if logged_in else 0,
            "failed_logins": failed,
            "last_failed_login_at": now - timedelta(minutes=rng.randint(5, 20000)) if failed else None,
            "locked_until": None,
            "version": 1,
        }
        return patient, account


def _reserve_ids(connection: Connection, count: int) -> int:
    """The first of ``count`` patient ids nobody else can take (PostgreSQL: advance the sequence now)."""
    if connection.dialect.name == "postgresql":
        # setval is not transactional: other workstations' new charts land after our range at once.
        first = connection.scalar(text("SELECT nextval(pg_get_serial_sequence('patients', 'id'))"))
        connection.execute(
            text("SELECT setval(pg_get_serial_sequence('patients', 'id'), :last)"),
            {"last": int(first or 1) + count - 1},
        )
        return int(first or 1)
    # SQLite (and the rest): we hold the write lock, and new rows take max(id) + 1.
    return int(connection.scalar(select(func.coalesce(func.max(Patient.id), 0))) or 0) + 1


def _reserve_mrns(connection: Connection, count: int) -> int:
    """Bump the MRN counter once by ``count`` (row locked until commit); the first MRN number."""
    connection.execute(text("UPDATE counters SET value = value + :n WHERE name = 'mrn'"), {"n": count})
    last = connection.scalar(text("SELECT value FROM counters WHERE name = 'mrn'"))
    return int(last or 0) - count + 1


def seed_bulk(
    clinic: Clinic,
    count: int,
    *,
    seed: int = 7,
    progress: Progress | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> int:
    """Insert ``count`` random realistic charts in one transaction; returns how many.

    Uses Core executemany in chunks, the same search keys and MRN counter as
    ``add_patient``, and one audit entry for the whole load.
    """
    if count <= 0:
        return 0
    rng = random.Random(seed)
    now = clinic.now()
    # One Argon2 hash for every bulk account (hashing a million passwords would take days).
    charts = _BulkCharts(rng, now, hash_password(DEMO_PASSWORD), clinic.settings.placeholder_domain)
    with clinic.transaction() as session:
        connection = session.connection()
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A bigger page cache keeps the five search indexes in memory while they grow.
            old_cache = connection.exec_driver_sql("PRAGMA cache_size").scalar()
            connection.exec_driver_sql("PRAGMA cache_size = -524288")
        if connection.dialect.name == "postgresql":
            # One notification per bulk row would flood every listening workstation.
            connection.exec_driver_sql("SET LOCAL clinic_desk.bulk = 'on'")
        first_mrn = _reserve_mrns(connection, count)
        first_id = _reserve_ids(connection, count)
        patients_table = cast(Table, Patient.__table__)
        accounts_table = cast(Table, PortalAccount.__table__)
        done = 0
        while done < count:
            size = min(chunk_rows, count - done)
            patient_rows: list[dict[str, Any]] = []
            account_rows: list[dict[str, Any]] = []
            for offset in range(done, done + size):
                patient, account = charts.rows(first_id + offset, str(first_mrn + offset))
                patient_rows.append(patient)
                account_rows.append(account)
            connection.execute(insert(patients_table), patient_rows)
            connection.execute(insert(accounts_table), account_rows)
            done += size
            if progress is not None:
                progress(done, count)
        audit.record(
            session,
            at=now,
            actor=BULK_ACTOR,
            action="bulk_load",
            patient_id=None,
            after={
                "patients": count,
                "first_mrn": str(first_mrn),
                "last_mrn": str(first_mrn + count - 1),
                "seed": seed,
                "source": "clinic_desk.services.demo",
            },
        )
        if sqlite:
            connection.exec_driver_sql(f"PRAGMA cache_size = {int(old_cache or -2000)}")
    return count


def seed_demo(
    clinic: Clinic,
    patients: int = 2000,
    *,
    seed: int = 7,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Build the demo clinic in an empty database; returns showcase key -> patient id.

    ``patients`` is the total number of charts: the showcase ones (about two
    dozen, always made) plus random bulk charts for the rest.
    """
    if patients < 0 or patients > MAX_PATIENTS:
        raise ValidationError(f"Patients: choose a number from 0 to {MAX_PATIENTS:,}.", field="patients")
    with clinic.reading() as session:
        existing = int(session.scalar(select(func.count()).select_from(Patient)) or 0)
    if existing:
        raise ValidationError(
            f"This clinic database already has {existing:,} patient{'s' if existing != 1 else ''}. "
            "The demo is only built in an empty database: point --db at a new file.",
        )
    ids = seed_showcase(clinic)
    made = len(ids)
    seed_bulk(clinic, max(0, patients - made), seed=seed, progress=progress)
    return ids
