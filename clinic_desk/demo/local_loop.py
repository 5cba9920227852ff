"""Point the demo clinic at the demo's own portal and mail catcher, so the whole loop runs on this computer.

``scripts/run-demo.sh`` starts ``clinic-desk demo-mail`` (port 8025) and ``clinic-desk portal``
(port 8080) beside the window; ``seed-demo --portal-url ... --mail-port ...`` stores the
settings that send the window's emails to the catcher and build their links on that portal.
The change is made as the demo's administrator through ``clinic.update_settings`` (so it is
checked and audited like any settings change).
"""

from __future__ import annotations

from typing import Any

from clinic_desk.demo.people import ADMIN
from clinic_desk.services.clinic import Clinic

DEMO_HOST = "127.0.0.1"


def local_loop_settings(*, portal_url: str | None = None, mail_port: int | None = None) -> dict[str, Any]:
    """The settings that point the demo at its portal and/or its loopback mail catcher (no login, no TLS)."""
    changes: dict[str, Any] = {}
    if portal_url is not None:
        changes["portal_url"] = portal_url
    if mail_port is not None:
        changes.update(smtp_host=DEMO_HOST, smtp_port=mail_port, smtp_security="none", smtp_username="")
    return changes


def use_local_loop(clinic: Clinic, *, portal_url: str | None = None, mail_port: int | None = None) -> None:
    """Store :func:`local_loop_settings` as the demo's administrator.

    Raises:
        ValidationError: a value the settings' rules refuse (the field is named).
        NotAllowed: the demo's administrator was turned off or is not an administrator any more.
    """
    changes = local_loop_settings(portal_url=portal_url, mail_port=mail_port)
    if changes:
        clinic.update_settings(actor=ADMIN, **changes)
