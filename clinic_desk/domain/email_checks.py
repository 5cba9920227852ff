"""Checks on an email address that explain why mail does not arrive."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Final

from clinic_desk.domain.email_idn import ascii_email, readable_email

DEFAULT_PLACEHOLDER_DOMAIN: Final = "noemail.invalid"

# The dummy addresses front desks type when a patient has no email (a clinic setting).
# "name@*" stands for that name at any domain.
DEFAULT_PLACEHOLDER_ADDRESSES: Final = (
    "none@none.com",
    "na@na.com",
    "no@no.com",
    "test@test.com",
    "noemail@*",
    "nomail@*",
    "declined@*",
    "donotemail@*",
)
ANY_DOMAIN: Final = "*"

# The mail domains most patients use. A domain one or two keystrokes away
# from one of these is almost always a typo made at the front desk.
COMMON_DOMAINS: Final = (
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "ymail.com",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "msn.com",
    "aol.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "comcast.net",
    "verizon.net",
    "att.net",
    "sbcglobal.net",
    "bellsouth.net",
    "charter.net",
    "cox.net",
    "earthlink.net",
    "protonmail.com",
    "proton.me",
    "mail.com",
    "gmx.com",
)

# Typos that are too far for the edit distance but seen every week.
KNOWN_TYPOS: Final = {
    "gamil.com": "gmail.com",
    "gmai.com": "gmail.com",
    "gnail.com": "gmail.com",
    "gmail.co": "gmail.com",
    "gmail.cm": "gmail.com",
    "gmail.om": "gmail.com",
    "gmail.comm": "gmail.com",
    "hotmial.com": "hotmail.com",
    "hotmai.com": "hotmail.com",
    "yahooo.com": "yahoo.com",
    "yaho.com": "yahoo.com",
    "outlok.com": "outlook.com",
    "iclod.com": "icloud.com",
    "icloud.co": "icloud.com",
}


# Real domains that sit one or two keystrokes from a common one: never "fix" these.
REAL_LOOKALIKES: Final = frozenset(
    {
        "email.com",
        "gmx.net",
        "mail.ru",
        "hotmail.ca",
        "hotmail.fr",
        "hotmail.it",
        "hotmail.es",
        "hotmail.de",
        "live.ca",
        "live.nl",
        "live.fr",
        "live.it",
        "yahoo.ca",
        "yahoo.cn",
        "yahoo.fr",
        "yahoo.de",
        "yahoo.es",
        "yahoo.it",
        "yahoo.in",
        "ymail.com",
        "outlook.fr",
        "outlook.de",
        "att.com",
        "mac.com",
        "me.com",
    }
)
# Typed endings that are slips, not real country endings.
_SLIP_ENDINGS: Final = frozenset({"co", "cm", "om", "con", "cpm", "vom", "comm", "cim", "nt", "ne", "et"})


def domain_of(email: str | None) -> str:
    """Return the lower-cased part after the last @, or '' when there is none."""
    if not email or "@" not in email:
        return ""
    return email.rsplit("@", 1)[1].strip().lower()


def in_placeholder_domain(email: str | None, placeholder_domain: str = DEFAULT_PLACEHOLDER_DOMAIN) -> bool:
    """True when the email is an address in the clinic's placeholder domain (noemail.invalid)."""
    domain = domain_of(email)
    wanted = placeholder_domain.strip().lower()
    return bool(domain) and (domain == wanted or domain.endswith("." + wanted))


def is_dummy_address(email: str | None, addresses: Iterable[str] = DEFAULT_PLACEHOLDER_ADDRESSES) -> bool:
    """True when the email is one of the dummy addresses clinics type (none@none.com, noemail@...)."""
    text = (email or "").strip().lower()
    if text.count("@") != 1:
        return False
    local, domain = text.split("@")
    wanted = _dummy_entries(addresses if isinstance(addresses, tuple) else tuple(addresses))
    return (local, domain) in wanted or (local, ANY_DOMAIN) in wanted


@lru_cache(maxsize=16)
def _dummy_entries(addresses: tuple[str, ...]) -> frozenset[tuple[str, str]]:
    """The dummy addresses as (local part, domain or "*"), read once per list."""
    pairs = (entry.strip().lower().partition("@") for entry in addresses)
    return frozenset((local, domain) for local, _, domain in pairs)


def is_placeholder(
    email: str | None,
    placeholder_domain: str = DEFAULT_PLACEHOLDER_DOMAIN,
    addresses: Iterable[str] = DEFAULT_PLACEHOLDER_ADDRESSES,
) -> bool:
    """True when the email only stands for "no email": never mailed, and the patient cannot reset.

    That is any address in the clinic's placeholder domain and any of the clinic's list of
    dummy addresses (DESIGN.md section 1). The one home of this rule: the trouble spot, the
    send checks and the delivery all ask it.
    """
    return in_placeholder_domain(email, placeholder_domain) or is_dummy_address(email, addresses)


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment): swaps count as one edit."""
    rows = len(a) + 1
    cols = len(b) + 1
    d = [[0] * cols for _ in range(rows)]
    for i in range(rows):
        d[i][0] = i
    for j in range(cols):
        d[0][j] = j
    for i in range(1, rows):
        for j in range(1, cols):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


@lru_cache(maxsize=4096)
def suggest_domain(domain: str) -> str | None:
    """Return the common mail domain this one is probably a typo of, or None.

    Remembered per domain: a clinic's emails share a few thousand domains, and the
    clinic-wide counts ask about every chart.
    """
    domain = domain.strip().lower().rstrip(".")
    if not domain or domain in COMMON_DOMAINS:
        return None
    if domain in KNOWN_TYPOS:
        return KNOWN_TYPOS[domain]
    if domain in REAL_LOOKALIKES:
        return None
    base, _, ending = domain.rpartition(".")
    best: tuple[int, str] | None = None
    for common in COMMON_DOMAINS:
        distance = edit_distance(domain, common)
        # Short domains (me.com, att.net) only tolerate one slip.
        limit = 1 if len(common) <= 7 else 2
        # yahoo.ca is Yahoo Canada, not a slip: a real 2-letter country ending is kept.
        if base == common.rpartition(".")[0] and len(ending) == 2 and ending not in _SLIP_ENDINGS:
            continue
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, common)
    return best[1] if best else None


def suggest_email(email: str | None) -> str | None:
    """Return the email with its domain typo fixed (jo@gmial.com -> jo@gmail.com), or None."""
    if not email or "@" not in email:
        return None
    # An international domain is stored in ASCII form; a slip is judged on what was typed.
    local, domain = readable_email(email).rsplit("@", 1)
    better = suggest_domain(domain)
    return f"{local}@{better}" if better else None


def looks_like_email(text: str | None) -> bool:
    """True when a username is shaped like an email address (name@domain.tld)."""
    if not text or text.count("@") != 1:
        return False
    local, domain = text.split("@")
    return bool(local) and "." in domain and not domain.startswith(".") and not domain.endswith(".")


def same_email(a: str | None, b: str | None) -> bool:
    """Compare two addresses the way mail servers do in practice: ignoring case and spaces."""
    if not a or not b:
        return False
    # One international domain, whether stored before (readable) or after (ASCII form).
    return ascii_email(a.strip()).lower() == ascii_email(b.strip()).lower()
