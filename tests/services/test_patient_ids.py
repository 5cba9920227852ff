"""A patient id no chart can have (beyond the id column, zero, negative) is NotFound on every
database: PostgreSQL and MariaDB refuse such a number in a query, which must not surface raw."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from clinic_desk import Clinic, NotFound
from tests.services.helpers import GOOD_PASSWORD, STAFF
from tests.services.staff_helpers import table_prints

IMPOSSIBLE = (2**40, 2**31, 0, -7)


def _calls(clinic: Clinic) -> dict[str, Callable[[int], object]]:
    staff = clinic.staff
    return {
        "update_contact": lambda pid: staff.update_contact(pid, zip_code="02139", actor=STAFF),
        "set_portal_access on": lambda pid: staff.set_portal_access(pid, enabled=True, actor=STAFF),
        "set_portal_access off": lambda pid: staff.set_portal_access(
            pid, enabled=False, reason="patient_request", actor=STAFF
        ),
        "set_patient_status": lambda pid: staff.set_patient_status(pid, "inactive", actor=STAFF),
        "send_invitation": lambda pid: staff.send_invitation(pid, actor=STAFF),
        "resend_confirmation": lambda pid: staff.resend_confirmation(pid, actor=STAFF),
        "set_credentials": lambda pid: staff.set_credentials(
            pid, username="ana.ruiz", password=GOOD_PASSWORD, actor=STAFF
        ),
        "unlock_account": lambda pid: staff.unlock_account(pid, actor=STAFF),
        "set_photo": lambda pid: staff.set_photo(pid, b"\x89PNG\r\n\x1a\n", actor=STAFF),
        "chart": staff.chart,
    }


def test_impossible_patient_ids_are_not_found(clinic: Clinic) -> None:
    before = table_prints(clinic)
    for name, call in _calls(clinic).items():
        for pid in IMPOSSIBLE:
            with pytest.raises(NotFound):
                call(pid)
            assert table_prints(clinic) == before, (name, pid)
