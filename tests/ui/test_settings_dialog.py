"""Clinic settings dialog: loads, saves (and persists), keeps the SMTP password in the keyring, tests SMTP."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QWidget
from sqlalchemy import select

from clinic_desk import Clinic
from clinic_desk.db.models import AuditEntry
from clinic_desk.services import secret_store
from clinic_desk.ui.settings import ClinicSettingsDialog
from tests.smtp_server import SmtpTestServer, free_port

SECRET = "Zq8-smtp-Secret-4471"


@pytest.fixture
def open_dialog(qtbot: Any, clinic: Clinic) -> Iterator[Any]:
    """Build and show the dialog; wait until it has checked the keyring and templates."""
    dialogs: list[ClinicSettingsDialog] = []

    def make() -> ClinicSettingsDialog:
        dialog = ClinicSettingsDialog(clinic)
        qtbot.addWidget(dialog)
        with qtbot.waitSignal(dialog.facts_loaded, timeout=10_000):
            dialog.show()
        dialogs.append(dialog)
        return dialog

    yield make
    for dialog in dialogs:
        dialog.close()


def _save(qtbot: Any, dialog: ClinicSettingsDialog) -> None:
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def _save_fails(qtbot: Any, dialog: ClinicSettingsDialog) -> str:
    with qtbot.waitSignal(dialog.save_failed, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    return str(blocker.args[0])


def _test_email(qtbot: Any, dialog: ClinicSettingsDialog) -> tuple[bool, str]:
    with qtbot.waitSignal(dialog.test_finished, timeout=20_000) as blocker:
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    return bool(blocker.args[0]), str(blocker.args[1])


def test_dialog_shows_the_current_settings(clinic, open_dialog):
    clinic.update_settings(
        actor="admin",
        clinic_name="Harbor Pediatrics",
        sender_address="portal@harbor-peds.example",
        invitation_days=10,
        lockout_threshold=4,
        smtp_host="smtp.harbor-peds.example",
        smtp_port=465,
        smtp_security="tls",
        smtp_username="portal",
    )
    dialog = open_dialog()
    assert dialog.objectName() == "clinicSettingsDialog"
    values = dialog.values()
    assert values["clinic_name"] == "Harbor Pediatrics"
    assert values["sender_address"] == "portal@harbor-peds.example"
    assert values["invitation_days"] == 10
    assert values["lockout_threshold"] == 4
    assert (values["smtp_host"], values["smtp_port"], values["smtp_security"]) == (
        "smtp.harbor-peds.example",
        465,
        "tls",
    )
    assert values["smtp_username"] == "portal"
    assert dialog.password_edit.text() == ""
    assert "keyring" in dialog.keyring_label.text()
    assert "No password is stored" in dialog.keyring_label.text()
    assert dialog.session_only_check.isHidden()


def test_saved_settings_persist_in_the_database(qtbot, clinic, sqlite_url, open_dialog):
    dialog = open_dialog()
    dialog.set_value("clinic_name", "Lakeside Family Practice")
    dialog.set_value("sender_address", "portal@lakeside.example.org")
    dialog.set_value("sender_name", "Lakeside Portal")
    dialog.set_value("whitelist_domain", "Lakeside.example.org")
    dialog.set_value("portal_url", "https://portal.lakeside.example.org")
    dialog.set_value("placeholder_domain", "none.invalid")
    dialog.set_value("invitation_days", 14)
    dialog.set_value("reset_days", 2)
    dialog.set_value("confirmation_days", 5)
    dialog.set_value("lockout_threshold", 6)
    dialog.set_value("lockout_minutes", 30)
    dialog.set_value("smtp_host", "smtp.lakeside.example.org")
    dialog.set_value("smtp_port", 2525)
    dialog.set_value("smtp_security", "none")
    dialog.set_value("smtp_username", "")
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert clinic.settings.clinic_name == "Lakeside Family Practice"

    with Clinic.open(sqlite_url) as reopened:
        stored = reopened.settings
    assert stored.clinic_name == "Lakeside Family Practice"
    assert stored.sender_address == "portal@lakeside.example.org"
    assert stored.sender_name == "Lakeside Portal"
    assert stored.whitelist_domain == "lakeside.example.org"
    assert stored.portal_url == "https://portal.lakeside.example.org"
    assert stored.placeholder_domain == "none.invalid"
    assert (stored.invitation_days, stored.reset_days, stored.confirmation_days) == (14, 2, 5)
    assert (stored.lockout_threshold, stored.lockout_minutes) == (6, 30)
    assert (stored.smtp_host, stored.smtp_port, stored.smtp_security) == (
        "smtp.lakeside.example.org",
        2525,
        "none",
    )


def _files_under(folder: Path) -> Iterator[Path]:
    for root, _dirs, files in os.walk(folder):
        for name in files:
            yield Path(root) / name


def test_smtp_password_goes_to_the_keyring_and_nowhere_else(
    qtbot, clinic, sqlite_url, open_dialog, tmp_path_factory
):
    dialog = open_dialog()
    dialog.set_value("smtp_host", "smtp.riverside.example")
    dialog.set_value("smtp_port", 587)
    dialog.set_value("smtp_username", "portal-sender")
    dialog.set_value("password", SECRET)
    assert dialog.password_edit.echoMode() == QLineEdit.EchoMode.Password
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    with Clinic.open(sqlite_url) as reopened:
        assert secret_store.get_smtp_password(reopened.settings) == SECRET
    backend = keyring.get_keyring()
    assert SECRET in backend.store.values()  # the in-memory test keyring

    # Not in the SQLite file (nor its journal), the Qt settings, the templates folder: no file at all.
    clinic.close()
    base = tmp_path_factory.getbasetemp()
    checked = 0
    for path in _files_under(base):
        checked += 1
        assert SECRET.encode() not in path.read_bytes(), f"the SMTP password was written to {path}"
    assert checked > 0
    assert Path(sqlite_url.removeprefix("sqlite:///")).is_file()

    # Opened again, the dialog says a password is stored but never shows it.
    again = open_dialog()
    assert again.password_edit.text() == ""
    assert "is stored" in again.keyring_label.text()
    assert SECRET not in again.keyring_label.text()


def test_without_a_keyring_the_password_can_be_used_for_this_session_only(qtbot, clinic, open_dialog):
    keyring.set_keyring(fail.Keyring())
    dialog = open_dialog()
    assert "no password store" in dialog.keyring_label.text()
    assert not dialog.session_only_check.isHidden()
    assert dialog.session_only_check.isChecked()

    dialog.set_value("smtp_host", "smtp.riverside.example")
    dialog.set_value("smtp_username", "portal-sender")
    dialog.set_value("password", SECRET)
    dialog.session_only_check.setChecked(False)
    words = _save_fails(qtbot, dialog)
    assert "no password store" in words
    assert "this session only" in dialog.error_text("password")
    assert dialog.isVisible()
    assert dialog.tabs.currentIndex() == 2

    dialog.session_only_check.setChecked(True)
    _save(qtbot, dialog)
    assert secret_store.get_smtp_password(clinic.settings) == SECRET


def test_a_bad_template_is_shown_and_the_dialog_stays_open(qtbot, clinic, open_dialog):
    folder = Path(os.environ["CLINIC_DESK_TEMPLATES_DIR"])
    (folder / "invitation.txt").write_text("Hello $frist_name,\n\nSet up your account: $link\n", "utf-8")
    dialog = open_dialog()
    assert "first_name" in dialog.error_text("templates")  # said as soon as the dialog opens

    dialog.set_value("clinic_name", "Changed Name")
    words = _save_fails(qtbot, dialog)
    assert "invitation.txt" in words
    assert "invitation.txt" in dialog.error_text("templates")
    assert dialog.isVisible()
    assert clinic.settings.clinic_name != "Changed Name"


def test_a_bad_value_is_shown_under_its_field(qtbot, clinic, open_dialog):
    dialog = open_dialog()
    dialog.tabs.setCurrentIndex(2)
    dialog.set_value("sender_address", "portal-at-clinic")
    _save_fails(qtbot, dialog)
    assert "Sender address" in dialog.error_text("sender_address")
    assert dialog.tabs.currentIndex() == 0  # brought to the field at fault
    assert dialog.isVisible()
    assert dialog.edits["sender_address"].hasFocus()

    dialog.set_value("sender_address", "portal@clinic.example.org")
    dialog.set_value("portal_url", "portal.clinic")
    _save_fails(qtbot, dialog)
    assert dialog.error_text("sender_address") == ""
    assert "https://" in dialog.error_text("portal_url")


def _settings_audit(clinic: Clinic) -> list[AuditEntry]:
    with clinic.reading() as session:
        query = select(AuditEntry).where(AuditEntry.action == "update_settings").order_by(AuditEntry.id)
        return list(session.scalars(query))


def test_dummy_addresses_field_shows_the_stored_list(clinic, open_dialog):
    clinic.update_settings(actor="admin", placeholder_addresses=("none@none.com", "declined@*"))
    dialog = open_dialog()
    box = dialog.findChild(QPlainTextEdit, "placeholder_addressesField")
    assert box is not None and box is dialog.lists["placeholder_addresses"]
    assert box.toPlainText() == "none@none.com\ndeclined@*"
    assert box.accessibleName() == "Dummy email addresses"
    assert "nothing is ever sent to them" in box.accessibleDescription()
    assert box.tabChangesFocus()  # Tab leaves the box instead of typing a tab
    page = dialog.findChild(QWidget, "clinicPage")
    assert box.parent() is page  # on the page with the placeholder domain
    help_lines = [label.text() for label in page.findChildren(QLabel)]
    assert any(text.startswith("Addresses clinics type when a patient has no email") for text in help_lines)


def test_a_bad_dummy_address_is_shown_under_its_field_and_nothing_is_saved(qtbot, clinic, open_dialog):
    before = clinic.settings.placeholder_addresses
    audited = len(_settings_audit(clinic))
    dialog = open_dialog()
    dialog.tabs.setCurrentIndex(2)
    dialog.set_value("placeholder_addresses", "none@none.com\nno email")
    _save_fails(qtbot, dialog)
    assert "'no email' is not an address" in dialog.error_text("placeholder_addresses")
    assert dialog.tabs.currentIndex() == 0  # brought to the field at fault
    assert dialog.lists["placeholder_addresses"].hasFocus()
    assert dialog.isVisible()
    assert clinic.settings.placeholder_addresses == before
    assert len(_settings_audit(clinic)) == audited


def test_dummy_addresses_are_saved_and_audited(qtbot, clinic, sqlite_url, open_dialog):
    before = clinic.settings.placeholder_addresses
    dialog = open_dialog()
    dialog.set_value("placeholder_addresses", "None@None.com, nomail@*\n\n  declined@clinic.example  ")
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    wanted = ("none@none.com", "nomail@*", "declined@clinic.example")
    assert clinic.settings.placeholder_addresses == wanted
    with Clinic.open(sqlite_url) as reopened:
        assert reopened.settings.placeholder_addresses == wanted
    entry = _settings_audit(clinic)[-1]
    assert entry.actor == dialog.actor()
    assert json.loads(entry.before) == {"placeholder_addresses": list(before)}
    assert json.loads(entry.after) == {"placeholder_addresses": list(wanted)}


def test_send_test_email_arrives_at_a_real_server(qtbot, clinic, open_dialog):
    with SmtpTestServer(users={"portal-sender": SECRET}) as server:
        dialog = open_dialog()
        dialog.set_value("smtp_host", server.host)
        dialog.set_value("smtp_port", server.port)
        dialog.set_value("smtp_security", "none")
        dialog.set_value("smtp_username", "portal-sender")
        dialog.set_value("password", SECRET)  # typed, not saved yet: the test uses it
        dialog.set_value("to", "frontdesk@example.com")
        ok, words = _test_email(qtbot, dialog)
        assert ok, words
        assert "frontdesk@example.com" in dialog.test_result_text()
        received = server.wait_for(1)
    assert received[0].rcpt_tos == ("frontdesk@example.com",)
    assert received[0].login == "portal-sender"
    assert "test email" in str(received[0].message["Subject"])
    assert clinic.settings.smtp_host == ""  # testing saved nothing


def test_send_test_email_to_a_stopped_server_says_so(qtbot, clinic, open_dialog):
    port = free_port()
    dialog = open_dialog()
    dialog.set_value("smtp_host", "127.0.0.1")
    dialog.set_value("smtp_port", port)
    dialog.set_value("smtp_security", "none")
    dialog.set_value("to", "frontdesk@example.com")
    ok, words = _test_email(qtbot, dialog)
    assert not ok
    assert f"Nothing answers at 127.0.0.1:{port}" in words
    assert words in dialog.test_result_text()
    assert dialog.test_button.isEnabled()


def test_send_test_email_problem_is_shown_next_to_the_field_it_names(qtbot, clinic, open_dialog):
    dialog = open_dialog()
    dialog.set_value("smtp_host", "127.0.0.1")
    dialog.set_value("smtp_port", free_port())
    dialog.set_value("smtp_username", "portal-sender")  # and no password anywhere
    dialog.set_value("to", "frontdesk@example.com")
    ok, words = _test_email(qtbot, dialog)
    assert not ok
    assert words in dialog.error_text("password")
    assert "password" in words
    assert "Password" in dialog.test_result_text()

    dialog.set_value("smtp_username", "")
    dialog.set_value("to", "frontdesk-at-example")
    ok, _words = _test_email(qtbot, dialog)
    assert not ok
    assert dialog.error_text("password") == ""
    assert "not a valid email address" in dialog.error_text("to")


def test_every_field_is_named_captioned_and_reachable_by_keyboard(qtbot, open_dialog):
    dialog = open_dialog()
    for name, widget in dialog._field_widgets.items():
        if name == "templates":
            continue
        assert widget.accessibleName(), name
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus, name
        buddies = [label for label in dialog.findChildren(QLabel) if label.buddy() is widget]
        assert buddies and "&" in buddies[0].text(), f"{name} has no caption with a shortcut key"
    assert dialog.save_button.isDefault()
    # Ctrl+Tab moves between the tabs; Escape closes without saving.
    qtbot.keyClick(dialog.tabs, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert dialog.tabs.currentIndex() == 1
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_dialog_fits_a_small_screen(open_dialog):
    dialog = open_dialog()
    hint = dialog.minimumSizeHint()
    assert hint.width() <= 800 and hint.height() <= 560, hint
    page: QWidget = dialog.tabs.widget(2)
    assert page.inherits("QScrollArea")  # long pages scroll instead of growing the dialog
