"""Staff the admin window tests share: an administrator signed in, and colleagues of each role."""

from __future__ import annotations

from typing import Any

PASSWORD = "Desk-pass-2026!"
COLLEAGUE_PASSWORD = "Colleague-pass-2026!"


def add_staff(clinic: Any) -> dict[str, Any]:
    """An administrator (the clinic's first) and a front-desk and a manager colleague, signed in."""
    clinic.admin.add_staff(
        username="alee", full_name="Alex Lee", role="admin", password=PASSWORD, actor="setup"
    )
    for username, full_name, role in (
        ("mlopez", "Maria Lopez", "front_desk"),
        ("dkim", "Dana Kim", "manager"),
    ):
        clinic.admin.add_staff(
            username=username,
            full_name=full_name,
            role=role,
            password=COLLEAGUE_PASSWORD,
            actor="alee",
            must_change_password=False,
        )
    return {
        "admin": clinic.admin.sign_in("alee", PASSWORD),
        "front_desk": clinic.admin.sign_in("mlopez", COLLEAGUE_PASSWORD),
        "manager": clinic.admin.sign_in("dkim", COLLEAGUE_PASSWORD),
    }


def make_signed_in_window(make_window: Any, clinic: Any, member: Any) -> Any:
    """The window, signed in as ``member``, with no mail sender or backup of its own."""
    return make_window(clinic, staff=member, persist=False, send_mail=False, daily_backup=False)
