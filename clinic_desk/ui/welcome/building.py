"""Worker-side work of the welcome screen: a new local clinic, the demo clinic (never the GUI thread).

Both are built in a file beside their final place and moved there only when complete, so a
failure (a refused password, a full disk, the app closed mid-way) leaves no clinic file behind
and the next start shows the welcome screen again.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from clinic_desk.domain import roles
from clinic_desk.domain.errors import ConflictError
from clinic_desk.places import default_clinic_file, demo_clinic_file

if TYPE_CHECKING:
    from clinic_desk import Clinic
    from clinic_desk.services.clinic import StaffAccount

T = TypeVar("T")
# Enough charts for every colour, search and the roster to look real; built in about 15 s.
DEMO_PATIENTS = 500
DEMO_SETUP_ACTOR = "demo-setup"  # the demo's first administrator is added by this plain name
FIRST_START_ACTOR = "first-start"  # who added a new clinic's first administrator, in the audit log
CLINIC_FIELDS = ("clinic_name", "sender_address", "portal_url")


def _url(path: Path) -> Any:
    from clinic_desk.services.clinic import workstation

    return workstation.database_url(f"sqlite:///{path}")


def _remove_with_journals(path: Path) -> None:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        leftover.unlink(missing_ok=True)


def build_in_place(target: Path, build: Callable[[Clinic], T]) -> T:
    """Run ``build`` on a new clinic file, then move it to ``target``; on failure remove it."""
    from clinic_desk import Clinic

    if target.exists():
        raise ConflictError(f"A clinic file is already there ({target}): restart Clinic Desk to open it.")
    building = target.with_name(target.name + ".building")
    _remove_with_journals(building)  # what a run that was stopped half-way left
    try:
        clinic = Clinic.open(_url(building))
        try:
            result = build(clinic)
        finally:
            clinic.close()
        os.replace(building, target)
    except BaseException:
        _remove_with_journals(building)
        raise
    return result


def create_local_clinic(values: dict[str, str], target: Path | None = None) -> tuple[Clinic, StaffAccount]:
    """The new clinic with its settings and first administrator; returns it open, that person signed in.

    ``values``: clinic_name, sender_address, portal_url, full_name, username, password.
    """
    from clinic_desk import Clinic

    target = target or default_clinic_file()
    username, password = values["username"], values["password"]

    settings = {name: values[name] for name in CLINIC_FIELDS}

    def build(clinic: Clinic) -> None:
        clinic.setup.check(settings)  # the form's first fields are answered first
        # The administrator first: then the settings are written, and audited, in their name.
        clinic.admin.add_staff(
            username=username,
            full_name=values["full_name"],
            role=roles.ADMIN,
            password=password,
            actor=FIRST_START_ACTOR,
            must_change_password=False,
        )
        clinic.update_settings(actor=username, **settings)

    build_in_place(target, build)
    clinic = Clinic.open(_url(target))
    try:
        return clinic, clinic.admin.sign_in(username, password)
    except BaseException:
        clinic.close()
        raise


def open_demo_clinic(
    progress: Callable[[int, int], None] | None = None, target: Path | None = None
) -> Clinic:
    """The demo clinic in its own file, built the first time (demo staff, showcase and bulk charts)."""
    from clinic_desk import Clinic, demo

    target = target or demo_clinic_file()
    if not target.exists():

        def build(clinic: Clinic) -> None:
            demo.add_demo_staff(clinic, actor=DEMO_SETUP_ACTOR)
            demo.seed_demo(clinic, DEMO_PATIENTS, progress=progress)

        build_in_place(target, build)
    return Clinic.open(_url(target))
