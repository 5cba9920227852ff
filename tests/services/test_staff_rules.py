"""Staff rules of DESIGN.md section 3 through the facade, on SQLite, PostgreSQL and MariaDB.

Turning access off needs a reason ("other" needs a note); undoing a colleague's switch-off
needs a note; leaving deceased needs a note and turns nothing back on.
"""

from __future__ import annotations

import pytest

from clinic_desk import Clinic, NotAllowed, ValidationError
from clinic_desk.domain import codes
from tests.services.helpers import STAFF, add_ready_patient


def _audit_count(clinic: Clinic, pid: int) -> int:
    return len(clinic.staff.audit_trail(pid))


def test_turning_access_off_without_a_reason_is_refused_naming_the_field_and_the_choices(
    clinic: Clinic,
) -> None:
    pid = add_ready_patient(clinic)
    trail = _audit_count(clinic, pid)
    for reason in (None, "", "  "):
        with pytest.raises(ValidationError) as refused:
            clinic.staff.set_portal_access(pid, enabled=False, actor=STAFF, reason=reason, note="paused")
        assert refused.value.field == "reason"
        message = str(refused.value)
        assert "reason is required" in message
        for code in codes.STAFF_OFF_REASONS:
            assert f'"{code}"' in message
        assert "the patient asked" in message and "preventing harm" in message
    assert _audit_count(clinic, pid) == trail
    assert clinic.status(pid).color == "gold"


def test_turning_access_off_with_an_unknown_reason_is_refused(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    with pytest.raises(ValidationError, match="not a reason") as refused:
        clinic.staff.set_portal_access(pid, enabled=False, actor=STAFF, reason="bored")
    assert refused.value.field == "reason"
    assert clinic.status(pid).color == "gold"


def test_reason_other_needs_a_note(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    with pytest.raises(ValidationError, match="add a note") as refused:
        clinic.staff.set_portal_access(pid, enabled=False, actor=STAFF, reason="other", note="  ")
    assert refused.value.field == "note"
    assert clinic.status(pid).color == "gold"
    clinic.staff.set_portal_access(
        pid, enabled=False, actor=STAFF, reason="other", note="Guardian manages messages now."
    )
    assert clinic.status(pid).reason_codes == ("access_disabled_by_staff",)


@pytest.mark.parametrize("reason", codes.STAFF_OFF_REASONS)
def test_each_reason_is_stored_audited_and_said_in_plain_words(clinic: Clinic, reason: str) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.set_portal_access(pid, enabled=False, actor="dr.kim", reason=reason, note="See chart.")
    item = clinic.status(pid).reason(codes.ACCESS_DISABLED_BY_STAFF)
    assert item is not None
    assert item.facts["reason"] == reason
    assert item.facts["reason_words"] and item.facts["reason_words"] in item.message
    assert "_" not in item.message  # plain words, not the code
    entry = clinic.staff.audit_trail(pid)[-1]
    assert entry.action == "portal_access_off"
    assert entry.after is not None and entry.after["staff_off_reason"] == reason
    assert entry.before is not None and entry.before["staff_off_reason"] is None


def test_turning_access_on_ignores_the_reason_and_clears_it(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.set_portal_access(pid, enabled=False, actor=STAFF, reason="patient_request")
    clinic.staff.set_portal_access(pid, enabled=True, actor=STAFF, reason="not a reason at all")
    assert clinic.status(pid).color == "gold"
    entry = clinic.staff.audit_trail(pid)[-1]
    assert entry.action == "portal_access_on"
    assert entry.before is not None and entry.before["staff_off_reason"] == "patient_request"
    assert entry.after is not None and entry.after["staff_off_reason"] is None


def test_undoing_a_colleagues_switch_off_needs_a_note(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.set_portal_access(
        pid, enabled=False, actor="dr.kim", reason="patient_request", note="Asked to pause."
    )
    trail = _audit_count(clinic, pid)
    for note in (None, "", "   "):
        with pytest.raises(ValidationError, match=r"dr\.kim") as refused:
            clinic.staff.set_portal_access(pid, enabled=True, actor=STAFF, note=note)
        assert refused.value.field == "note"
    assert _audit_count(clinic, pid) == trail
    assert clinic.status(pid).reason_codes == ("access_disabled_by_staff",)

    clinic.staff.set_portal_access(pid, enabled=True, actor=STAFF, note="Patient called to resume.")
    assert clinic.status(pid).color == "gold"
    assert clinic.staff.audit_trail(pid)[-1].note == "Patient called to resume."


def test_undoing_your_own_switch_off_needs_no_note(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.set_portal_access(pid, enabled=False, actor="dr.kim", reason="patient_request")
    clinic.staff.set_portal_access(pid, enabled=True, actor="DR.KIM")  # usernames ignore case
    assert clinic.status(pid).color == "gold"


@pytest.mark.parametrize("reason", codes.PROTECTED_OFF_REASONS)
def test_undoing_a_switch_off_for_harm_or_security_always_needs_a_note(clinic: Clinic, reason: str) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.set_portal_access(pid, enabled=False, actor=STAFF, reason=reason)
    with pytest.raises(ValidationError) as refused:
        clinic.staff.set_portal_access(pid, enabled=True, actor=STAFF)
    assert refused.value.field == "note"
    clinic.staff.set_portal_access(pid, enabled=True, actor=STAFF, note="Checked with the manager.")
    assert clinic.status(pid).color == "gold"


def test_turning_on_access_that_was_never_turned_off_by_staff_needs_no_note(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.set_patient_status(pid, "inactive", actor="dr.kim")
    clinic.staff.set_patient_status(pid, "active", actor="dr.kim")
    clinic.staff.set_portal_access(pid, enabled=True, actor=STAFF)
    assert clinic.status(pid).color == "gold"


def test_leaving_deceased_needs_a_note_and_turns_nothing_back_on(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.send_invitation(pid, actor=STAFF)
    clinic.staff.set_patient_status(pid, "deceased", actor=STAFF, note="Death certificate received.")
    trail = _audit_count(clinic, pid)
    for status in ("active", "prospective", "inactive"):
        with pytest.raises(ValidationError, match="deceased") as refused:
            clinic.staff.set_patient_status(pid, status, actor=STAFF)
        assert refused.value.field == "note"
    assert _audit_count(clinic, pid) == trail
    assert clinic.status(pid).reason_codes[0] == "patient_deceased"

    clinic.staff.set_patient_status(pid, "active", actor=STAFF, note="Marked deceased by mistake.")
    status = clinic.status(pid)
    assert status.color == "red"
    assert status.reason_codes == ("access_not_enabled",)
    entry = clinic.staff.audit_trail(pid)[-1]
    assert entry.action == "set_patient_status" and entry.note == "Marked deceased by mistake."
    assert entry.after is not None and entry.after["access_enabled"] is False
    # Turning access on again is a deliberate step of its own.
    clinic.staff.set_portal_access(pid, enabled=True, actor=STAFF)
    assert clinic.status(pid).color == "gold"


def test_deceased_stays_off_for_staff_switched_off_access_too(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.set_portal_access(pid, enabled=False, actor=STAFF, reason="deceased_or_duplicate")
    clinic.staff.set_patient_status(pid, "deceased", actor=STAFF)
    clinic.staff.set_patient_status(pid, "active", actor=STAFF, note="Wrong chart was marked.")
    assert clinic.status(pid).reason_codes == ("access_disabled_by_staff",)
    with pytest.raises(NotAllowed):
        clinic.staff.send_invitation(pid, actor=STAFF)


def test_inactive_to_active_keeps_access_off_and_says_it_was_on_before(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.set_patient_status(pid, "inactive", actor="dr.kim", note="Moved away.")
    clinic.staff.set_patient_status(pid, "active", actor=STAFF)
    status = clinic.status(pid)
    assert status.color == "red"
    assert status.reason_codes == ("access_not_enabled",)
    assert "has not been turned on" not in status.headline
    assert status.headline == "Portal access is off: it was turned off when the patient's status changed"
    assert "has not been turned back on" in status.reasons[0].message
