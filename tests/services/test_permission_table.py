"""Every staff write of the facade against every role (DESIGN.md section 5), in one table.

Allowed: the call goes through and writes. Refused: ``NotAllowed`` saying who may, and
nothing written (the watched tables, and the keyring for a settings save with a password).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import keyring
import pytest

from clinic_desk import Clinic, NotAllowed
from clinic_desk.domain.bulk_chart import BulkChart
from clinic_desk.domain.roles import ROLES, Permission, refusal, roles_that_may
from tests.services.helpers import GOOD_PASSWORD, add_ready_patient, register_online
from tests.services.import_helpers import person, write_csv
from tests.services.staff_helpers import BY_ROLE, STAFF_PASSWORD, Team, add_team, table_prints

Prepare = Callable[[Clinic, Team, str], Any]
Act = Callable[[Clinic, Any, str], object]


@dataclass(frozen=True)
class StaffWrite:
    """One row of the table: how to set the scene (as the administrator) and the call to try."""

    name: str
    permission: Permission
    act: Act
    prepare: Prepare = lambda _clinic, _team, _role: None


def _new_chart(clinic: Clinic, _team: Team, role: str) -> int:
    return add_ready_patient(clinic, "Ana", f"Lopez-{role}", actor=_team.admin)


def _chart_without_zip(clinic: Clinic, team: Team, role: str) -> int:
    """A chart whose access is off because it was never turned on (email and ZIP now on file)."""
    pid = clinic.staff.add_patient(
        first_name="Ben",
        last_name=f"Ng-{role}",
        date_of_birth="1979-05-05",
        email=f"ben.{role}@example.com",
        actor=team.admin,
    )
    clinic.staff.update_contact(pid, zip_code="02139", actor=team.admin)
    return pid


def _switched_off_by_colleague(reason: str) -> Prepare:
    def prepare(clinic: Clinic, team: Team, role: str) -> int:
        pid = _new_chart(clinic, team, role)
        note = "patient asked" if reason == "other" else None
        clinic.staff.set_portal_access(pid, enabled=False, reason=reason, note=note, actor=team.colleague)
        return pid

    return prepare


def _locked_portal_account(clinic: Clinic, team: Team, role: str) -> int:
    pid = _new_chart(clinic, team, role)
    username = f"ana.{role}"
    clinic.staff.set_credentials(pid, username=username, password=GOOD_PASSWORD, actor=team.admin)
    for _ in range(clinic.settings.lockout_threshold):
        assert not clinic.portal.login(username, "wrong-password-1")
    return pid


def _online_registration(clinic: Clinic, _team: Team, role: str) -> int:
    return register_online(clinic, username=f"maria.{role}", email=f"maria.{role}@example.com")


def _member(active: bool = True, locked: bool = False) -> Prepare:
    def prepare(clinic: Clinic, team: Team, role: str) -> str:
        username = f"sam.{role}"
        clinic.admin.add_staff(
            username=username,
            full_name=f"Sam {role}",
            role="front_desk",
            password=STAFF_PASSWORD,
            actor=team.admin,
        )
        if not active:
            clinic.admin.disable_staff(username, actor=team.admin)
        if locked:
            for _ in range(clinic.settings.staff_lockout_threshold):
                with pytest.raises(NotAllowed):
                    clinic.admin.sign_in(username, "not-the-password")
        return username

    return prepare


def _add(status: str) -> Act:
    def act(clinic: Clinic, _scene: Any, actor: str) -> int:
        return clinic.staff.add_patient(
            first_name="Cleo",
            last_name=f"Diaz-{actor}",
            date_of_birth="1990-02-03",
            status=status,
            actor=actor,
        )

    return act


def _settings_values(clinic: Clinic) -> dict[str, Any]:
    return {**asdict(clinic.settings), "smtp_host": "smtp.harbor.example.org", "smtp_username": "portal"}


def _demo_charts(actor: str) -> list[BulkChart]:
    made = datetime(2026, 1, 5, 9, 0).astimezone()
    return [
        BulkChart(
            first_name="Demo", last_name=f"Chart-{actor}", date_of_birth=date(1970, 1, 1), created_at=made
        )
    ]


def _import_file(actor: str) -> Path:
    """A one-patient CSV for this actor (a new MRN each, so an allowed import writes)."""
    folder = Path(tempfile.mkdtemp(prefix="clinic-import-table-"))
    return write_csv(folder / "patients.csv", [person(f"T-{actor}", "Ana", f"Import-{actor}")])


WRITES = [
    StaffWrite("add_patient active", Permission.CHART_WORK, _add("active")),
    StaffWrite("add_patient prospective", Permission.CHART_WORK, _add("prospective")),
    StaffWrite("add_patient inactive", Permission.SET_PATIENT_STATUS, _add("inactive")),
    StaffWrite("add_patient deceased", Permission.SET_PATIENT_STATUS, _add("deceased")),
    StaffWrite(
        "update_contact",
        Permission.CHART_WORK,
        lambda c, pid, actor: c.staff.update_contact(pid, phone="(617) 555-0199", actor=actor),
        _new_chart,
    ),
    StaffWrite(
        "set_photo",
        Permission.CHART_WORK,
        lambda c, pid, actor: c.staff.set_photo(pid, b"\x89PNG\r\n\x1a\n-photo", actor=actor),
        _new_chart,
    ),
    StaffWrite(
        "set_portal_access on",
        Permission.CHART_WORK,
        lambda c, pid, actor: c.staff.set_portal_access(pid, enabled=True, actor=actor),
        _chart_without_zip,
    ),
    StaffWrite(
        "set_portal_access off",
        Permission.ACCESS_OFF,
        lambda c, pid, actor: c.staff.set_portal_access(
            pid, enabled=False, reason="patient_request", actor=actor
        ),
        _new_chart,
    ),
    StaffWrite(
        "undo a colleague's switch-off (note)",
        Permission.CHART_WORK,
        lambda c, pid, actor: c.staff.set_portal_access(
            pid, enabled=True, note="patient called back", actor=actor
        ),
        _switched_off_by_colleague("patient_request"),
    ),
    StaffWrite(
        "undo a preventing_harm switch-off",
        Permission.UNDO_PROTECTED_SWITCH_OFF,
        lambda c, pid, actor: c.staff.set_portal_access(
            pid, enabled=True, note="reviewed with the doctor", actor=actor
        ),
        _switched_off_by_colleague("preventing_harm"),
    ),
    StaffWrite(
        "undo a security switch-off",
        Permission.UNDO_PROTECTED_SWITCH_OFF,
        lambda c, pid, actor: c.staff.set_portal_access(
            pid, enabled=True, note="new password given", actor=actor
        ),
        _switched_off_by_colleague("security"),
    ),
    StaffWrite(
        "set_patient_status",
        Permission.SET_PATIENT_STATUS,
        lambda c, pid, actor: c.staff.set_patient_status(pid, "inactive", actor=actor),
        _new_chart,
    ),
    StaffWrite(
        "send_invitation",
        Permission.CHART_WORK,
        lambda c, pid, actor: c.staff.send_invitation(pid, actor=actor),
        _new_chart,
    ),
    StaffWrite(
        "send_invitations",
        Permission.BULK_INVITATIONS,
        lambda c, pid, actor: c.staff.send_invitations([pid], actor=actor),
        _new_chart,
    ),
    StaffWrite(
        "resend_confirmation",
        Permission.CHART_WORK,
        lambda c, pid, actor: c.staff.resend_confirmation(pid, actor=actor),
        _online_registration,
    ),
    StaffWrite(
        "issue_activation_code",
        Permission.CHART_WORK,
        lambda c, pid, actor: c.staff.issue_activation_code(pid, actor=actor),
        _new_chart,
    ),
    StaffWrite(
        "set_credentials",
        Permission.CHART_WORK,
        lambda c, pid, actor: c.staff.set_credentials(
            pid, username=f"u.{actor}", password=GOOD_PASSWORD, actor=actor
        ),
        _new_chart,
    ),
    StaffWrite(
        "unlock_account",
        Permission.CHART_WORK,
        lambda c, pid, actor: c.staff.unlock_account(pid, actor=actor),
        _locked_portal_account,
    ),
    StaffWrite(
        "update_settings",
        Permission.CLINIC_SETTINGS,
        lambda c, _scene, actor: c.update_settings(actor=actor, clinic_name=f"Harbor Clinic ({actor})"),
    ),
    StaffWrite(
        "setup.save with a mail server password",
        Permission.CLINIC_SETTINGS,
        lambda c, _scene, actor: c.setup.save(
            _settings_values(c), actor=actor, password=f"smtp-secret-{actor}"
        ),
    ),
    StaffWrite(
        "load_demo_charts",
        Permission.IMPORT_PATIENTS,
        lambda c, _scene, actor: c.load_demo_charts(_demo_charts(actor), actor=actor, password=GOOD_PASSWORD),
    ),
    StaffWrite(
        "import_patients",
        Permission.IMPORT_PATIENTS,
        lambda c, _scene, actor: c.staff.import_patients(_import_file(actor), actor=actor),
    ),
    StaffWrite(
        "save_import_mapping",
        Permission.IMPORT_PATIENTS,
        lambda c, _scene, actor: c.staff.save_import_mapping({f"Chart {actor}": "mrn"}, actor=actor),
    ),
    StaffWrite(
        "admin.add_staff",
        Permission.STAFF_ACCOUNTS,
        lambda c, _scene, actor: c.admin.add_staff(
            username=f"new.{actor}",
            full_name="New Person",
            role="front_desk",
            password=STAFF_PASSWORD,
            actor=actor,
        ),
    ),
    StaffWrite(
        "admin.set_staff_role",
        Permission.STAFF_ACCOUNTS,
        lambda c, username, actor: c.admin.set_staff_role(username, "manager", actor=actor),
        _member(),
    ),
    StaffWrite(
        "admin.disable_staff",
        Permission.STAFF_ACCOUNTS,
        lambda c, username, actor: c.admin.disable_staff(username, actor=actor),
        _member(),
    ),
    StaffWrite(
        "admin.enable_staff",
        Permission.STAFF_ACCOUNTS,
        lambda c, username, actor: c.admin.enable_staff(username, actor=actor),
        _member(active=False),
    ),
    StaffWrite(
        "admin.reset_staff_password",
        Permission.STAFF_ACCOUNTS,
        lambda c, username, actor: c.admin.reset_staff_password(username, actor=actor),
        _member(),
    ),
    StaffWrite(
        "admin.unlock_staff",
        Permission.STAFF_ACCOUNTS,
        lambda c, username, actor: c.admin.unlock_staff(username, actor=actor),
        _member(locked=True),
    ),
]


def _keyring_contents() -> dict[tuple[str, str], str]:
    return dict(getattr(keyring.get_keyring(), "store", {}))


@pytest.mark.parametrize("write", WRITES, ids=[write.name for write in WRITES])
def test_each_staff_write_for_each_role(clinic: Clinic, write: StaffWrite) -> None:
    team = add_team(clinic)
    for role in ROLES:
        actor = BY_ROLE[role]
        scene = write.prepare(clinic, team, role)
        before, kept = table_prints(clinic), _keyring_contents()
        if role in roles_that_may(write.permission):
            write.act(clinic, scene, actor)
            assert table_prints(clinic) != before, f"{write.name} as {role}: nothing was written"
            newest = clinic.audit(limit=1)[0]
            assert newest.actor == actor, f"{write.name} as {role}: recorded as {newest.actor}"
            continue
        with pytest.raises(NotAllowed) as refused:
            write.act(clinic, scene, actor)
        assert refused.value.message == refusal(write.permission), f"{write.name} as {role}"
        assert table_prints(clinic) == before, f"{write.name} as {role}: refused but wrote"
        assert _keyring_contents() == kept, f"{write.name} as {role}: refused but kept a password"


def test_every_staff_write_of_the_facade_is_in_the_table() -> None:
    """A new staff write must join WRITES (or say here why it needs no permission row)."""
    import inspect

    from clinic_desk.services.admin import ClinicAdmin
    from clinic_desk.services.staff_desk import StaffDesk

    tried = {write.name.split(" ")[0] for write in WRITES}
    reads = {
        "find_patients",
        "possible_duplicates",
        "chart",
        "photo",
        "resolve_patient",
        "audit_trail",
        "has_staff",
        "list_staff",
        "preview_import",  # reads the file only
        "save_import_report",  # writes a report the caller already holds to a file; no database
    }
    # Checked elsewhere: signing in proves who you are; break-glass holds the database itself.
    own = {"sign_in", "sign_in_again", "change_own_password", "break_glass_reset", "check_may"}
    for part, prefix in ((StaffDesk, ""), (ClinicAdmin, "admin.")):
        for name, _member_fn in inspect.getmembers(part, inspect.isfunction):
            if name.startswith("_") or name in reads or name in own:
                continue
            assert f"{prefix}{name}" in tried, f"{prefix}{name} is missing from the permission table"


def test_check_may_and_the_audit_viewer_follow_the_table(clinic: Clinic) -> None:
    add_team(clinic)
    pid = add_ready_patient(clinic, actor=BY_ROLE["front_desk"])
    for role in ROLES:
        actor = BY_ROLE[role]
        for permission in Permission:
            if role in roles_that_may(permission):
                clinic.admin.check_may(actor, permission)
            else:
                with pytest.raises(NotAllowed, match=refusal(permission).replace(".", r"\.")):
                    clinic.admin.check_may(actor, permission.value)
        assert clinic.audit(patient_id=pid, viewer=actor)
        if role == "front_desk":
            with pytest.raises(NotAllowed) as refused:
                clinic.audit(viewer=actor)
            assert refused.value.message == refusal(Permission.CLINIC_AUDIT_LOG)
        else:
            assert clinic.audit(viewer=actor)
