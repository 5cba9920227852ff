"""The History card's words: actions and before → after in plain words, never a secret (no window needed)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from clinic_desk.services.audit_view import AuditRecord
from clinic_desk.ui.patient.history_card import history_rows
from clinic_desk.ui.patient.history_words import action_words, changes, changes_words

AT = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def record(
    action: str,
    actor: str = "maria",
    *,
    minute: int = 0,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str | None = None,
) -> AuditRecord:
    return AuditRecord(
        at=AT.replace(minute=minute),
        actor=actor,
        action=action,
        patient_id=1,
        before=before or {},
        after=after or {},
        note=note,
    )


@pytest.mark.parametrize(
    ("action", "words"),
    [
        ("portal_access_off", "Turned portal access off"),
        ("portal_access_on", "Turned portal access on"),
        ("set_patient_status", "Changed the patient's status"),
        ("chart_opened", "Opened the chart"),
        ("issue_activation_code", "Issue activation code"),
    ],
)
def test_action_words(action: str, words: str) -> None:
    assert action_words(action) == words


def test_secrets_never_show_whatever_the_entry_holds() -> None:
    before = {"password_hash": "$argon2id$x", "token_hash": "abc", "username": None, "sha256": "ff00"}
    after = {"password_hash": "$argon2id$y", "token": "t0k3n", "username": "ana", "password": "Secret-1"}
    words = changes_words(before, after)
    assert words == "Username: ana"
    for secret in ("argon2", "abc", "t0k3n", "Secret-1", "ff00"):
        assert secret not in words


def test_only_changed_fields_in_plain_words() -> None:
    before = {"access_enabled": True, "access_off_reason": None, "staff_off_reason": None, "failed_logins": 0}
    after = {
        "access_enabled": False,
        "access_off_reason": "disabled_by_staff",
        "staff_off_reason": "security",
        "failed_logins": 0,
    }
    assert changes(before, after) == [("Portal access", "on", "off"), ("Reason", "(none)", "Security")]
    assert changes_words(before, after) == "Portal access: on \u2192 off; Reason: Security"
    status = changes(
        {"status": "active", "access_enabled": True}, {"status": "inactive", "access_enabled": False}
    )
    assert status == [("Portal access", "on", "off"), ("Status", "Active", "Inactive")]


def test_a_run_of_openings_by_one_person_folds_into_one_row() -> None:
    records = [
        record("chart_opened", minute=50),
        record("chart_opened", minute=40),
        record("chart_opened", actor="dana", minute=30),
        record(
            "portal_access_off",
            after={"access_enabled": False},
            before={"access_enabled": True},
            note="Asked",
            minute=20,
        ),
        record("chart_opened", minute=10),
    ]
    rows = history_rows(records)
    assert [(row.who, row.what, row.access) for row in rows] == [
        ("maria", "Opened the chart", True),
        ("dana", "Opened the chart", True),
        ("maria", "Turned portal access off", False),
        ("maria", "Opened the chart", True),
    ]
    assert rows[0].details.startswith("2 times")
    assert rows[2].details == "Portal access: on \u2192 off\nNote: \u201cAsked\u201d"


def test_within_one_second_an_opening_goes_before_what_was_done() -> None:
    # Openings are written in batches, so their ids come after the action they preceded.
    action = record("portal_access_off", before={"access_enabled": True}, after={"access_enabled": False})
    opening = record("chart_opened")
    rows = history_rows([AuditRecord(**{**vars(opening), "id": 2}), AuditRecord(**{**vars(action), "id": 1})])
    assert [row.what for row in rows] == ["Turned portal access off", "Opened the chart"]
