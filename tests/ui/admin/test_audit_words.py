"""Audit entries in plain words: action names, only what changed, never a secret."""

from __future__ import annotations

from datetime import UTC, date, datetime

from clinic_desk.domain.audit_words import is_secret
from clinic_desk.ui.admin.audit_model import AuditQuery
from clinic_desk.ui.admin.audit_words import action_words, change_words, entry_change
from clinic_desk.ui.admin.csv_export import default_file_name
from clinic_desk.ui.private_csv import spreadsheet_cell as _cell


class _Record:
    def __init__(self, action: str, actor: str, before: dict, after: dict) -> None:
        self.action, self.actor, self.before, self.after = action, actor, before, after


def test_actions_read_as_words_and_unknown_ones_as_themselves():
    assert action_words("portal_access_off") == "Turned portal access off"
    assert action_words("staff_role_changed") == "Changed a staff role"
    assert action_words("something_new") == "Something new"


def test_only_changed_fields_are_listed_in_plain_words():
    before = {"email": "a@x.org", "zip_code": "02139", "access_enabled": True}
    after = {"email": "b@x.org", "zip_code": "02139", "access_enabled": False}
    assert change_words(before, after) == "Portal access: on → off; Email: a@x.org → b@x.org"


def test_one_sided_entries_list_the_filled_in_fields_with_roles_and_times_in_words():
    assert change_words({}, {"role": "front_desk", "phone": None}) == "Role: Front desk"
    moment = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    words = change_words({}, {"locked_until": moment.isoformat()})
    assert words.startswith("Locked until: ") and "T" not in words.split(": ", 1)[1]


def test_secret_looking_fields_are_never_shown():
    for name in ("password", "password_hash", "token_hash", "smtp_password", "reset_token", "code"):
        assert is_secret(name)
        assert change_words({}, {name: "s3cret-value"}) == ""
        assert "s3cret" not in change_words({"email": "a@x.org"}, {"email": "b@x.org", name: "s3cret-value"})
    assert not is_secret("email")


def test_staff_entries_name_the_account_they_are_about():
    record = _Record(
        "staff_disabled", "alee", {"username": "dkim", "active": True}, {"username": "dkim", "active": False}
    )
    assert entry_change(record) == "dkim · Active: yes → no"
    own = _Record("staff_password_changed", "dkim", {}, {})
    assert entry_change(own) == ""


def test_export_file_names_say_what_they_hold_without_patient_data():
    today = date(2026, 11, 26)
    assert default_file_name(AuditQuery(), today) == "audit-log-2026-11-26.csv"
    assert default_file_name(AuditQuery(actor="m.lopez", action="add_patient"), today) == (
        "audit-log-m.lopez-add_patient-2026-11-26.csv"
    )
    assert default_file_name(AuditQuery(patient_id=42), today) == "audit-log-one-patient-2026-11-26.csv"
    assert default_file_name(AuditQuery(actor="../../etc"), today) == "audit-log-..-..-etc-2026-11-26.csv"


def test_spreadsheet_formulas_are_kept_as_text():
    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _cell("@SUM") == "'@SUM"
    assert _cell("plain") == "plain"
    assert _cell(7) == 7


def test_why_the_portal_refused_reads_as_words_not_codes():
    for code in ("wrong_password", "account_locked", "too_many_tries", "unknown_link", "no_match"):
        words = change_words({}, {"why": code})
        assert code not in words and words.startswith("Why: ")
    assert change_words({}, {"why": "wrong_password"}) == "Why: wrong password"
