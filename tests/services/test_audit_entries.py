"""Photo and settings changes are audited with before and after (never the image, never a secret)."""

from __future__ import annotations

import hashlib

from clinic_desk import Clinic
from tests.services.helpers import STAFF, add_ready_patient

PNG = b"\x89PNG\r\n\x1a\n" + b"first photo"
JPEG = b"\xff\xd8\xff" + b"second photo, a little longer"


def test_a_photo_change_keeps_size_type_and_a_short_hash(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.set_photo(pid, PNG, actor=STAFF)
    clinic.staff.set_photo(pid, JPEG, actor=STAFF, media_type="image/jpeg")
    first, second = [entry for entry in clinic.staff.audit_trail(pid) if entry.action == "set_photo"]
    assert first.before == {"photo": None}
    assert first.after == {
        "photo_bytes": len(PNG),
        "media_type": "image/png",
        "sha256": hashlib.sha256(PNG).hexdigest()[:16],
    }
    assert second.before == first.after
    assert second.after["media_type"] == "image/jpeg" and second.after["photo_bytes"] == len(JPEG)
    assert "second photo" not in str(second.after)
    assert clinic.verify_audit().ok


def test_a_settings_change_is_a_link_of_the_chain(clinic: Clinic) -> None:
    clinic.update_settings(actor="admin", invitation_days=10)
    report = clinic.verify_audit()
    assert report.ok and report.entries_checked == 1
