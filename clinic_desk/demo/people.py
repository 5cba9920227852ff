"""Who lives around the demo clinic and who works there: names, towns, email domains, staff."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# Every demo patient with a username signs in with this password.
DEMO_PASSWORD: Final = "Riverside-Demo-2026"
# Usernames of the demo staff (demo/staff.py) who "did" the showcase work, so the audit
# trail reads like a real clinic's and names people who can sign in.
FRONT_DESK: Final = "dana"
MANAGER: Final = "marcus"
ADMIN: Final = "jordan"
# Loading the bulk charts is an import: a manager's job.
BULK_ACTOR: Final = MANAGER


@dataclass(frozen=True)
class Town:
    """A town patients come from: its ZIP codes and phone area codes, and how many live there."""

    city: str
    state: str
    zips: tuple[str, ...]
    area_codes: tuple[str, ...]
    weight: int = 1


# Most patients live near the clinic (Greater Boston, so some ZIP codes start with 0).
TOWNS: Final = (
    Town("Boston", "MA", ("02108", "02116", "02118", "02127", "02130"), ("617", "857"), 12),
    Town("Cambridge", "MA", ("02138", "02139", "02140"), ("617", "857"), 8),
    Town("Somerville", "MA", ("02143", "02144", "02145"), ("617",), 6),
    Town("Quincy", "MA", ("02169", "02170", "02171"), ("617",), 5),
    Town("Newton", "MA", ("02458", "02459", "02460"), ("617",), 4),
    Town("Brockton", "MA", ("02301", "02302"), ("508", "774"), 3),
    Town("Worcester", "MA", ("01602", "01604", "01609"), ("508", "774"), 2),
    Town("Providence", "RI", ("02903", "02906", "02908"), ("401",)),
    Town("Manchester", "NH", ("03101", "03103", "03104"), ("603",)),
    Town("Hartford", "CT", ("06103", "06105", "06106"), ("860",)),
    Town("Brooklyn", "NY", ("11201", "11215", "11238"), ("718", "347")),
    Town("Philadelphia", "PA", ("19103", "19104", "19147"), ("215", "267")),
    Town("Baltimore", "MD", ("21201", "21218", "21230"), ("410", "443")),
    Town("Raleigh", "NC", ("27601", "27605", "27609"), ("919",)),
    Town("Atlanta", "GA", ("30303", "30306", "30318"), ("404", "678")),
    Town("Miami", "FL", ("33130", "33133", "33145"), ("305", "786")),
    Town("Orlando", "FL", ("32801", "32803", "32806"), ("407",)),
    Town("Chicago", "IL", ("60614", "60618", "60657"), ("312", "773")),
    Town("Columbus", "OH", ("43201", "43206", "43215"), ("614",)),
    Town("Minneapolis", "MN", ("55401", "55405", "55408"), ("612",)),
    Town("Houston", "TX", ("77002", "77006", "77019"), ("713", "832")),
    Town("San Antonio", "TX", ("78205", "78209", "78212"), ("210",)),
    Town("Denver", "CO", ("80202", "80205", "80218"), ("303", "720")),
    Town("Phoenix", "AZ", ("85004", "85006", "85016"), ("602", "480")),
    Town("Seattle", "WA", ("98101", "98103", "98122"), ("206",)),
    Town("San Diego", "CA", ("92101", "92103", "92104"), ("619", "858")),
    Town("San Juan", "PR", ("00901", "00907", "00909"), ("787",)),
)
TOWN_BY_CITY: Final = {town.city: town for town in TOWNS}


def _listed(text: str) -> tuple[str, ...]:
    """The comma-separated words of a data table (kept compact: these are long lists)."""
    return tuple(word.strip() for word in text.replace("\n", " ").split(",") if word.strip())


STREETS: Final = _listed("""
Main St, Maple Ave, Oak St, Elm St, Washington St, Cedar Ln, Highland Ave, Park Pl, Church St,
Pleasant St, Summer St, Lincoln Rd, Center St, Chestnut St, Walnut St, Franklin St, Prospect St,
School St, River Rd, Spring St, Beacon St, Commonwealth Ave, Tremont St, Harvard St, Hancock St,
Adams St, Lakeview Dr, Sunset Blvd, Ridge Rd, Mill Rd, Forest Ave, Willow Way
""")
UNITS: Final = _listed("""
Apt {n}, Apt {n}B, Unit {n}, #{n}, Fl {n}
""")

FEMALE: Final = _listed("""
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
MALE: Final = _listed("""
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
LAST: Final = _listed("""
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
PREFERRED: Final = {
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
DOMAINS: Final = (
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
TYPO_DOMAINS: Final = _listed("""
gmial.com, gmail.co, yaho.com, hotmial.com, outlok.com, iclod.com, gamil.com
""")
# Who switched the bulk charts' access on or off: the demo staff, the front desk most often.
STAFF: Final = (FRONT_DESK, MANAGER, FRONT_DESK, ADMIN, FRONT_DESK, MANAGER)
# Why staff turned access off: the reason code (codes.STAFF_OFF_REASONS) and the note.
STAFF_SWITCH_OFFS: Final = (
    ("preventing_harm", "Parent asked to turn the portal off while custody is reviewed."),
    ("patient_request", "Patient asked for paper statements only."),
    ("security", "Suspected account sharing; patient to call the office."),
    ("other", "Guardian now manages this chart's messages."),
    ("security", "Patient reported an unrecognised login."),
)
