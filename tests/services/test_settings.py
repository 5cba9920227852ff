"""Clinic settings as a service: every value checked, stored with an audit entry, and the set-up tools."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from clinic_desk import Clinic, ValidationError
from clinic_desk.db.models import AuditEntry, ClinicSetting
from clinic_desk.domain.settings_rules import LABELS, NUMBER_RANGES
from clinic_desk.services.settings import ClinicSettings
from clinic_desk.services.smtp import MailServerProblem
from tests.conftest import FakeClock
from tests.smtp_server import SmtpTestServer, free_port

ADMIN = "office.admin"
SECRET = "Tq4-smtp-Secret-9902"

# (setting, a value its rule refuses, words the message must hold)
BAD_VALUES: list[tuple[str, Any, str]] = [
    ("clinic_name", "   ", "Clinic name: enter a name"),
    ("sender_name", "", "Sender display name: enter a name"),
    ("sender_address", "portal-at-clinic", "Sender address"),
    ("sender_address", "", "Sender address: enter the address"),
    ("whitelist_domain", "@clinic.example", "not a domain name"),
    ("whitelist_domain", "https://clinic.example", "without @ or https://"),
    ("placeholder_domain", "no email", "Placeholder email domain"),
    ("portal_url", "portal.clinic.example", "https://portal.clinic.example.org"),
    ("portal_url", "ftp://portal.clinic.example", "Portal web address"),
    ("smtp_host", "https://smtp.example.org", "only the server's name"),
    ("smtp_host", "me@smtp.example.org", "only the server's name"),
    ("smtp_security", "ssl", "choose STARTTLS, implicit TLS or none"),
    ("smtp_port", 0, "Port: choose a whole number from 1 to 65535"),
    ("smtp_port", 70000, "from 1 to 65535"),
    ("smtp_port", True, "whole number"),
    ("invitation_days", 0, "Invitation link works for: choose a whole number from 1 to 90 days"),
    ("reset_days", 91, "from 1 to 90 days"),
    ("confirmation_days", "three", "from 1 to 90 days"),
    ("lockout_threshold", 0, "from 1 to 100 failed logins"),
    ("lockout_minutes", 24 * 60 + 1, "from 1 to 1440 minutes"),
    ("clinic_name", 42, "Clinic name: type it as text"),
    ("sender_name", "Riverside\nBcc: everyone@example.com", "on one line"),
    ("smtp_username", "x" * 300, "the limit is"),
]


def _audit(clinic: Clinic) -> list[AuditEntry]:
    with clinic.reading() as session:
        query = select(AuditEntry).where(AuditEntry.action == "update_settings").order_by(AuditEntry.id)
        return list(session.scalars(query))


def _stored_rows(clinic: Clinic) -> int:
    with clinic.reading() as session:
        return int(session.scalar(select(func.count()).select_from(ClinicSetting)) or 0)


def test_every_setting_has_a_rule_and_a_label() -> None:
    names = {field.name for field in fields(ClinicSettings)}
    assert set(LABELS) == names
    assert set(NUMBER_RANGES) <= names
    defaults = ClinicSettings()
    for name, allowed in NUMBER_RANGES.items():
        assert allowed.minimum <= getattr(defaults, name) <= allowed.maximum, name


def test_each_rule_refuses_its_bad_value_by_field_and_saves_nothing(clinic: Clinic, db_url: str) -> None:
    before = clinic.settings
    for name, value, words in BAD_VALUES:
        with pytest.raises(ValidationError) as caught:
            # A good change next to the bad one is not saved either.
            good = {"reset_days": 3} if name != "reset_days" else {"lockout_minutes": 20}
            clinic.update_settings(actor=ADMIN, **good, **{name: value})
        assert caught.value.field == name, (name, value)
        assert words in caught.value.message, (name, value, caught.value.message)
    assert clinic.settings == before
    assert _audit(clinic) == []
    assert _stored_rows(clinic) == 0
    with Clinic.open(db_url) as reopened:
        assert reopened.settings == before


def test_a_change_is_stored_with_one_audit_entry_of_what_changed(
    clinic: Clinic, db_url: str, clock: FakeClock
) -> None:
    new = clinic.update_settings(
        actor="  office.admin ",
        clinic_name=clinic.settings.clinic_name,  # unchanged: not in the entry
        portal_url=" https://portal.harbor.example.org ",
        whitelist_domain="Harbor.Example.ORG",
        invitation_days=10,
    )
    assert (new.portal_url, new.whitelist_domain, new.invitation_days) == (
        "https://portal.harbor.example.org",
        "harbor.example.org",
        10,
    )
    assert clinic.settings == new
    [entry] = _audit(clinic)
    assert entry.actor == ADMIN
    assert entry.patient_id is None
    assert entry.at == clock.now
    assert json.loads(entry.before or "") == {
        "invitation_days": 7,
        "portal_url": "https://portal.riverside-clinic.example",
        "whitelist_domain": "riverside-clinic.example",
    }
    assert json.loads(entry.after or "") == {
        "invitation_days": 10,
        "portal_url": "https://portal.harbor.example.org",
        "whitelist_domain": "harbor.example.org",
    }
    with Clinic.open(db_url) as reopened:
        assert reopened.settings == new


def test_changing_nothing_writes_nothing(clinic: Clinic) -> None:
    current = asdict(clinic.settings)
    assert clinic.update_settings(actor=ADMIN, **current) == clinic.settings
    assert clinic.update_settings(actor=ADMIN) == clinic.settings
    assert _audit(clinic) == []
    assert _stored_rows(clinic) == 0


def test_unknown_settings_are_refused(clinic: Clinic) -> None:
    with pytest.raises(ValidationError) as caught:
        clinic.update_settings(actor=ADMIN, clinic_name="Harbor Clinic", portal="https://x.example.org")
    assert caught.value.field == "portal"
    assert "not a clinic setting" in caught.value.message
    with pytest.raises(ValidationError) as caught:
        clinic.update_settings(actor=ADMIN, smtp_password=SECRET)  # a secret, never a setting
    assert caught.value.field == "smtp_password"
    assert SECRET not in caught.value.message
    assert clinic.settings.clinic_name != "Harbor Clinic"
    assert _audit(clinic) == []


def test_an_actor_is_required(clinic: Clinic) -> None:
    with pytest.raises(TypeError):
        clinic.update_settings(clinic_name="Harbor Clinic")  # type: ignore[call-arg]
    with pytest.raises(ValidationError) as caught:
        clinic.update_settings(actor="  ", clinic_name="Harbor Clinic")
    assert caught.value.field == "actor"
    assert _audit(clinic) == []


def test_only_the_changed_settings_are_written(db_url: str, clock: FakeClock) -> None:
    # Two workstations change different settings; neither undoes the other, and a
    # session-only override (Clinic.open(..., lockout_threshold=2)) is never stored.
    with (
        Clinic.open(db_url, clock=clock) as here,
        Clinic.open(db_url, clock=clock, lockout_threshold=2) as there,
    ):
        here.update_settings(actor=ADMIN, invitation_days=14)
        there.update_settings(actor=ADMIN, clinic_name="Harbor Clinic")
        assert there.settings.lockout_threshold == 2
    with Clinic.open(db_url) as reopened:
        stored = reopened.settings
    assert (stored.invitation_days, stored.clinic_name, stored.lockout_threshold) == (14, "Harbor Clinic", 5)


def test_bad_templates_stop_a_change(clinic: Clinic) -> None:
    folder = Path(os.environ["CLINIC_DESK_TEMPLATES_DIR"])
    (folder / "invitation.txt").write_text("Hello $frist_name: $link\n", "utf-8")
    with pytest.raises(ValidationError) as caught:
        clinic.update_settings(actor=ADMIN, clinic_name="Harbor Clinic")
    assert caught.value.field == "templates"
    assert _audit(clinic) == []
    facts = clinic.setup.inspect()
    assert any("invitation.txt" in problem for problem in facts.template_problems)
    assert str(folder) in facts.templates_where


def test_check_says_what_is_wrong_and_saves_nothing(clinic: Clinic) -> None:
    checked = clinic.setup.check({"whitelist_domain": " Harbor.example.org", "smtp_port": "2525"})
    assert (checked.whitelist_domain, checked.smtp_port) == ("harbor.example.org", 2525)
    with pytest.raises(ValidationError) as caught:
        clinic.setup.check({"portal_url": "portal"})
    assert caught.value.field == "portal_url"
    assert clinic.settings == ClinicSettings()
    assert _stored_rows(clinic) == 0


def test_the_smtp_password_is_kept_in_the_keyring_never_in_the_audit(clinic: Clinic) -> None:
    assert not clinic.setup.inspect().password_stored
    with pytest.raises(ValidationError) as caught:
        clinic.setup.set_smtp_password(SECRET)  # no mail server yet
    assert caught.value.field == "password"
    values = {**asdict(clinic.settings), "smtp_host": "smtp.harbor.example.org", "smtp_username": "portal"}
    clinic.setup.save(values, actor=ADMIN, password=SECRET)
    assert clinic.setup.smtp_password() == SECRET
    facts = clinic.setup.inspect()
    assert facts.keyring.available and facts.password_stored
    [entry] = _audit(clinic)
    assert SECRET not in f"{entry.before}{entry.after}"
    assert json.loads(entry.after or "") == {
        "smtp_host": "smtp.harbor.example.org",
        "smtp_username": "portal",
        "smtp_password": "(changed; kept in the keyring)",
    }
    # A new password alone is a settings change too: one more entry, still without it.
    clinic.setup.save(values, actor=ADMIN, password=SECRET + "-new")
    entry = _audit(clinic)[-1]
    assert json.loads(entry.before or "") == {"smtp_password": "(not shown)"}
    assert json.loads(entry.after or "") == {"smtp_password": "(changed; kept in the keyring)"}
    assert SECRET not in f"{entry.before}{entry.after}"
    clinic.setup.forget_smtp_password()
    assert clinic.setup.smtp_password() is None


def test_a_refused_save_keeps_no_password(clinic: Clinic) -> None:
    values = {"smtp_host": "smtp.harbor.example.org", "smtp_username": "portal", "portal_url": "portal"}
    with pytest.raises(ValidationError) as caught:
        clinic.setup.save(values, actor=ADMIN, password=SECRET)
    assert caught.value.field == "portal_url"
    assert clinic.setup.smtp_password({**values, "portal_url": "https://p.example.org"}) is None


def test_test_email_with_typed_settings_reaches_the_server_and_saves_nothing(
    clinic: Clinic, smtp_server: SmtpTestServer
) -> None:
    sent_to = clinic.setup.send_test_email(" Front.Desk@Example.com ", smtp_server.settings())
    assert sent_to == "Front.Desk@example.com"
    [received] = smtp_server.wait_for(1)
    assert received.rcpt_tos == ("Front.Desk@example.com",)
    assert "test email" in str(received.message["Subject"])
    assert clinic.settings.smtp_host == ""
    assert _stored_rows(clinic) == 0


def test_test_email_with_the_stored_settings_and_password(clinic: Clinic) -> None:
    with SmtpTestServer(users={"mailer": SECRET}) as server:
        clinic.update_settings(actor=ADMIN, **server.settings(smtp_username="mailer"))
        clinic.setup.set_smtp_password(SECRET)
        assert clinic.setup.send_test_email("frontdesk@example.com") == "frontdesk@example.com"
        [received] = server.wait_for(1)
    assert received.login == "mailer"


def test_test_email_problems_name_their_field(clinic: Clinic) -> None:
    port = free_port()
    typed = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": "none"}
    with pytest.raises(ValidationError) as caught:
        clinic.setup.send_test_email("frontdesk-at-example", typed)
    assert caught.value.field == "to"
    assert caught.value.message.startswith("Test email address:")
    with pytest.raises(ValidationError) as caught:
        clinic.setup.send_test_email("frontdesk@example.com", {**typed, "sender_address": "portal"})
    assert caught.value.field == "sender_address"
    with pytest.raises(MailServerProblem) as problem:
        clinic.setup.send_test_email("frontdesk@example.com", {**typed, "smtp_username": "mailer"})
    assert problem.value.field == "password"
    with pytest.raises(MailServerProblem, match=f"Nothing answers at 127.0.0.1:{port}"):
        clinic.setup.send_test_email("frontdesk@example.com", typed)
