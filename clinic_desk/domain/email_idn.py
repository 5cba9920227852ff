"""International email domains: kept in their ASCII form (what every mail server accepts), shown readable.

``bücher.example`` is stored and sent as ``xn--bcher-kva.example``: a server without
SMTPUTF8 accepts that, and two spellings of one domain compare equal. Staff see the
readable form. A local part (before the @) must be plain ASCII: many mail servers
cannot deliver to anything else, so ``clean_email`` refuses it with a plain sentence.
"""

from __future__ import annotations

import idna


def _ascii_domain(domain: str) -> str | None:
    """The domain's ASCII (IDNA) form, or None when it has no valid one."""
    if domain.isascii():
        return domain
    try:
        return idna.encode(domain, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        return None


def ascii_email(address: str) -> str:
    """The address with its domain in ASCII form; anything that is not an address comes back as given.

    Never raises (search calls it on whatever was typed).
    """
    if "@" not in address:
        return address
    local, domain = address.rsplit("@", 1)
    converted = _ascii_domain(domain) if domain else None
    return f"{local}@{converted}" if converted is not None else address


def readable_email(address: str | None) -> str:
    """The address as staff read it: ``xn--`` labels of the domain shown in their own script."""
    if not address or "@" not in address:
        return address or ""
    local, domain = address.rsplit("@", 1)
    if "xn--" not in domain.lower():
        return address
    try:
        shown = idna.decode(domain)
    except (idna.IDNAError, UnicodeError, ValueError):
        return address
    return f"{local}@{shown}"
