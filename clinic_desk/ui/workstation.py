"""Who is working at this workstation (the actor the services write in the audit trail)."""

from __future__ import annotations

import getpass


def workstation_user() -> str:
    """The operating-system user signed in at this workstation."""
    try:
        return getpass.getuser()
    except Exception:  # getuser raises OSError or KeyError when nothing names the user
        return "unknown"
