"""The SMTP password lives in the keyring only: never in a file, a log or the database."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
import pytest
from keyring.backends import chainer, fail
from sqlalchemy import text

from clinic_desk import Clinic, ClinicDeskError
from clinic_desk.services import secret_store
from clinic_desk.services.delivery_report import DeliveryReport
from clinic_desk.services.secret_store import KeyringUnavailable
from clinic_desk.services.settings import ClinicSettings
from tests import databases
from tests.memory_keyring import MemoryKeyring
from tests.services.helpers import STAFF, add_ready_patient
from tests.smtp_server import SmtpTestServer

PASSWORD = "Xq7-unique-smtp-secret-91"


@pytest.fixture(autouse=True)
def _forget_run_only() -> Iterator[None]:
    secret_store.forget_run_only_secrets()
    yield
    secret_store.forget_run_only_secrets()


class LockedKeyring(MemoryKeyring):
    """A keyring that is there but refuses (a locked GNOME Keyring, no session bus...)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("locked")


def test_smtp_password_round_trips_through_the_keyring() -> None:
    settings = ClinicSettings(smtp_host="Mail.Example.com", smtp_username="mailer")
    assert secret_store.keyring_status().available
    assert secret_store.get_smtp_password(settings) is None
    secret_store.set_smtp_password(settings, PASSWORD)
    assert secret_store.get_smtp_password(settings) == PASSWORD
    backend = keyring.get_keyring()
    assert isinstance(backend, MemoryKeyring)
    assert backend.store == {("clinic-desk", "smtp:mailer@mail.example.com:587"): PASSWORD}
    # Another server or user name is another entry.
    assert secret_store.get_smtp_password(settings.updated(smtp_username="other")) is None
    secret_store.delete_smtp_password(settings)
    secret_store.delete_smtp_password(settings)  # Forgetting twice is fine.
    assert secret_store.get_smtp_password(settings) is None


def test_generic_secrets_for_database_passwords() -> None:
    secret_store.set_secret("db:clinic@pg.example:5432", "db-pass")
    assert secret_store.get_secret("db:clinic@pg.example:5432") == "db-pass"
    assert secret_store.get_secret("db:other") is None
    with pytest.raises(ValueError):
        secret_store.set_secret("db:x", "")


@pytest.mark.parametrize("kind", ["fail", "empty-chainer"])
def test_no_keyring_is_said_plainly_and_a_run_only_password_works(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if kind == "fail":
        keyring.set_keyring(fail.Keyring())
    else:
        monkeypatch.setattr(keyring.backend, "_limit", lambda _backend: False)
        keyring.set_keyring(chainer.ChainerBackend())
    status = secret_store.keyring_status()
    assert not status.available
    assert "for this run only" in status.message

    settings = ClinicSettings(smtp_host="mail.example.com", smtp_username="mailer")
    assert secret_store.get_smtp_password(settings) is None  # Reads as "not set", no crash.
    with pytest.raises(KeyringUnavailable) as caught:
        secret_store.set_smtp_password(settings, PASSWORD)
    assert isinstance(caught.value, ClinicDeskError)
    assert "cannot be remembered" in str(caught.value)

    secret_store.set_smtp_password(settings, PASSWORD, remember=False)
    assert secret_store.get_smtp_password(settings) == PASSWORD
    secret_store.forget_run_only_secrets()
    assert secret_store.get_smtp_password(settings) is None


def test_a_keyring_that_refuses_is_unavailable_too(caplog: pytest.LogCaptureFixture) -> None:
    keyring.set_keyring(LockedKeyring())
    caplog.set_level(logging.DEBUG)
    settings = ClinicSettings(smtp_host="mail.example.com", smtp_username="mailer")
    with pytest.raises(KeyringUnavailable):
        secret_store.set_smtp_password(settings, PASSWORD)
    assert secret_store.get_smtp_password(settings) is None
    assert "KeyringLocked" in caplog.text and PASSWORD not in caplog.text


def test_run_only_password_gives_way_to_a_remembered_one() -> None:
    settings = ClinicSettings(smtp_host="mail.example.com", smtp_username="mailer")
    secret_store.set_smtp_password(settings, "for-now", remember=False)
    secret_store.set_smtp_password(settings, PASSWORD)
    assert secret_store.get_smtp_password(settings) == PASSWORD


def test_the_password_is_in_no_file_log_or_database_row(
    db_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with SmtpTestServer(users={"mailer": PASSWORD}) as server, Clinic.open(db_url) as clinic:
        clinic.update_settings(actor="admin", **server.settings(smtp_username="mailer"))
        secret_store.set_smtp_password(clinic.settings, PASSWORD)
        for first in ("Ana", "Ben"):
            clinic.staff.send_invitation(add_ready_patient(clinic, first=first), actor=STAFF)
        assert clinic.mail.deliver_now() == DeliveryReport(sent=2)
        clinic.mail.send_test_email("front.desk@example.com")
        assert server.wait_for(3)[0].login == "mailer"
        rows = _every_value(clinic)
    assert rows, "the database should hold the settings and the emails"

    needle = PASSWORD.encode()
    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    if db_url.startswith("sqlite"):
        assert any(path.suffix == ".db" for path in files)
    assert [path for path in files if needle in path.read_bytes()] == []
    assert [value for value in rows if PASSWORD in value] == []
    assert caplog.records, "delivery should have logged something"
    assert all(PASSWORD not in record.getMessage() for record in caplog.records)
    assert PASSWORD not in caplog.text


def _every_value(clinic: Clinic) -> list[str]:
    """Every value in every table, as text."""
    values: list[str] = []
    with clinic.reading() as session:
        for table in (*databases.TABLES, "counters"):
            for row in session.execute(text(f"SELECT * FROM {table}")):
                values.extend(str(value) for value in row)
    return values
