"""The portal pages' general rate limit per client address, shared by every portal process.

Each page answers HTTP 429 when :func:`take_request` says no. The count lives in
``portal_attempts`` (scope "request", keyed by the hash of the kind and the address) and
moves by one atomic UPDATE, so several portal processes behind one proxy share it exactly.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from sqlalchemy.orm import Session

from clinic_desk.services import attempts
from clinic_desk.services.attempts import Limit
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.portal_guard import clean_source

SCOPE: Final = "request"
# What a page may ask for, and how often per client address.
LIMITS: Final = {"form": Limit(SCOPE, 60, timedelta(minutes=1))}  # form POSTs


def take_request(session: Session, ctx: ServiceContext, source: object, what: object) -> bool:
    """Count one request of kind ``what`` from ``source``; False when it is over the limit.

    No address (None, or nothing printable): nothing to count, True. An unknown ``what`` is
    a mistake in the page's code, and says False (so it shows at once, instead of leaving a
    page without a limit). Never raises for odd input.
    """
    limit = LIMITS.get(what) if isinstance(what, str) else None
    if limit is None:
        return False
    address = clean_source(source)
    if address is None:
        return True
    key = attempts.key_hash(SCOPE, str(what), address)
    return attempts.take(session, limit, key, ctx.now()) <= limit.most
