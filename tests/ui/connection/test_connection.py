"""Connection settings (file + keyring), the plain-words connection test, and the dialog."""

from __future__ import annotations

import json
import stat
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import Qt
from sqlalchemy import create_engine, text

from clinic_desk import Clinic
from clinic_desk.db.engine import default_url, normalize_url
from clinic_desk.services import connection as conn
from clinic_desk.services.connection import ConnectionSettings
from clinic_desk.ui.connection.connection_dialog import ConnectionDialog
from clinic_desk.ui.connection.launch import RESTART_EXIT_CODE
from tests import databases
from tests.tcp_proxy import TcpProxy


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the connection settings file in a temp folder."""
    folder = tmp_path / "config"
    monkeypatch.setenv(conn.CONFIG_DIR_ENV, str(folder))
    return folder


def pg_settings(database: str, **changes) -> ConnectionSettings:
    values = {
        "kind": "server",
        "host": databases.PG_HOST,
        "port": databases.PG_PORT,
        "database": database,
        "user": "postgres",
        "sslmode": "prefer",
    }
    values.update(changes)
    return ConnectionSettings(**values)


def database_name(url: str) -> str:
    return normalize_url(url).database or ""


# -- the settings file and the keyring -------------------------------------------------------------


def test_settings_file_round_trip_never_holds_the_password(config_dir: Path):
    assert conn.load_connection_settings() is None  # first run: nothing saved
    settings = pg_settings("clinic", host="db.clinic.local", user="frontdesk")
    conn.remember_password(settings, "s3cret-Pw")
    path = conn.save_connection_settings(settings)
    assert path == config_dir / "connection.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text_on_disk = path.read_text()
    assert "s3cret-Pw" not in text_on_disk and "password" not in text_on_disk
    assert json.loads(text_on_disk)["host"] == "db.clinic.local"
    assert conn.load_connection_settings() == settings
    assert keyring.get_password("clinic-desk", settings.password_key()) == "s3cret-Pw"
    assert conn.stored_password(settings) == "s3cret-Pw"
    url = conn.startup_url(settings)
    assert url.password == "s3cret-Pw" and url.host == "db.clinic.local"


def test_first_run_uses_the_local_file_without_asking():
    assert conn.startup_url(None).render_as_string() == normalize_url(default_url()).render_as_string()
    assert conn.startup_url(ConnectionSettings(kind="local")).get_backend_name() == "sqlite"


def test_unreadable_settings_file_falls_back_to_first_run(config_dir: Path):
    config_dir.mkdir()
    (config_dir / "connection.json").write_text("{not json")
    assert conn.load_connection_settings() is None


def test_url_carries_ssl_settings(tmp_path: Path):
    ca = tmp_path / "ca.crt"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    settings = pg_settings("clinic", sslmode="verify-full", sslrootcert=str(ca)).checked()
    url = conn.build_url(settings, "pw")
    assert url.drivername == "postgresql+psycopg"
    assert url.query == {"sslmode": "verify-full", "sslrootcert": str(ca)}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"host": " "}, "host"),
        ({"database": ""}, "database"),
        ({"user": ""}, "user"),
        ({"sslmode": "verify-full"}, "sslrootcert"),
        ({"sslrootcert": "/nowhere/ca.crt"}, "sslrootcert"),
    ],
)
def test_incomplete_settings_name_the_field(changes, field):
    settings = replace(pg_settings("clinic"), **changes)
    report = conn.test_connection(settings, None)
    assert report.outcome == "not_configured"
    with pytest.raises(conn.ValidationError) as caught:
        settings.checked()
    assert caught.value.field == field


# -- test_connection against real servers ---------------------------------------------------------


def test_ready_database_is_ok(postgres_session_url: str):
    report = conn.test_connection(pg_settings(database_name(postgres_session_url)), None)
    assert report.outcome == "ok" and report.ok
    assert "Everything is ready" in report.message
    assert report.server_version


def test_empty_database_will_be_set_up():
    with databases.postgres_database() as url:
        report = conn.test_connection(pg_settings(database_name(url)), None)
    assert report.outcome == "empty" and report.ok
    assert "empty" in report.message


def test_schema_from_a_newer_version_is_refused():
    with databases.postgres_database() as url:
        Clinic.open(url).close()
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
        engine.dispose()
        report = conn.test_connection(pg_settings(database_name(url)), None)
    assert report.outcome == "too_new" and not report.ok
    assert "newer version of Clinic Desk" in report.message


def test_missing_database_is_named():
    report = conn.test_connection(pg_settings(f"no_such_{uuid.uuid4().hex[:8]}"), None)
    assert report.outcome == "database_missing"
    assert "no database of that name" in report.message


def test_unknown_user_is_named():
    report = conn.test_connection(pg_settings("postgres", user=f"nobody_{uuid.uuid4().hex[:6]}"), None)
    assert report.outcome == "wrong_password"
    assert "no user of that name" in report.message


def test_unreachable_server_is_said_quickly():
    databases.require_server("PostgreSQL", databases.PG_HOST, databases.PG_PORT)
    with TcpProxy(databases.PG_HOST, databases.PG_PORT) as proxy:
        proxy.cut()  # nothing listens on that port any more
        report = conn.test_connection(pg_settings("clinic", host="127.0.0.1", port=proxy.port), "pw")
    assert report.outcome == "unreachable"
    assert "cannot be reached" in report.message
    assert "pw" not in report.message.split("reached")[0]


def test_ssl_required_but_not_offered():
    databases.require_server("PostgreSQL", databases.PG_HOST, databases.PG_PORT)
    report = conn.test_connection(pg_settings("postgres", sslmode="require"), None)
    assert report.outcome == "ssl_problem"
    assert "SSL" in report.message


@pytest.fixture
def mariadb_user_with_password() -> Iterator[tuple[str, str]]:
    """A MariaDB user with a password (the local PostgreSQL trusts everyone, MariaDB can say no)."""
    with databases.mariadb_database() as url:
        name = f"cd_{uuid.uuid4().hex[:8]}"
        admin = create_engine(
            f"mysql+pymysql://root@{databases.MARIADB_HOST}:{databases.MARIADB_PORT}/",
            isolation_level="AUTOCOMMIT",
        )
        with admin.connect() as connection:
            connection.execute(text(f"CREATE USER '{name}'@'%' IDENTIFIED BY 'right-Pw-1'"))
            connection.execute(text(f"CREATE USER '{name}'@'localhost' IDENTIFIED BY 'right-Pw-1'"))
        try:
            yield name, database_name(url)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f"DROP USER IF EXISTS '{name}'@'%'"))
                connection.execute(text(f"DROP USER IF EXISTS '{name}'@'localhost'"))
            admin.dispose()


def test_wrong_password_is_said(mariadb_user_with_password):
    user, database = mariadb_user_with_password
    settings = ConnectionSettings(
        kind="server",
        backend="mariadb",
        host=databases.MARIADB_HOST,
        port=databases.MARIADB_PORT,
        database=database,
        user=user,
    )
    report = conn.test_connection(settings, "wrong-Pw")
    assert report.outcome == "wrong_password"
    assert "user name or password is wrong" in report.message
    assert "wrong-Pw" not in report.message


# -- the dialog --------------------------------------------------------------------------------------


def make_dialog(qtbot, current=None, **kwargs) -> ConnectionDialog:
    dialog = ConnectionDialog(current, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def fill_server(dialog: ConnectionDialog, database: str, password: str = "") -> None:
    dialog.server_radio.setChecked(True)
    dialog.host_edit.setText(databases.PG_HOST)
    dialog.port_spin.setValue(databases.PG_PORT)
    dialog.database_edit.setText(database)
    dialog.user_edit.setText("postgres")
    dialog.password_edit.setText(password)


def test_dialog_starts_on_this_computer_only(qtbot):
    dialog = make_dialog(qtbot)
    assert dialog.local_radio.isChecked()
    assert not dialog.server_box.isEnabled()
    assert dialog.settings().kind == "local"


def test_test_button_runs_in_the_background_and_says_what_failed(qtbot):
    dialog = make_dialog(qtbot)
    fill_server(dialog, f"no_such_{uuid.uuid4().hex[:8]}")
    with qtbot.waitSignal(dialog.tested, timeout=15_000) as blocker:
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        assert dialog.busy and not dialog.test_button.isEnabled()  # the GUI thread did not wait
    report = blocker.args[0]
    assert report.outcome == "database_missing"
    assert "no database of that name" in dialog.result_text()
    assert dialog.result_label.property("outcome") == "error"


def test_test_button_says_ok(qtbot, postgres_session_url: str):
    dialog = make_dialog(qtbot)
    fill_server(dialog, database_name(postgres_session_url))
    with qtbot.waitSignal(dialog.tested, timeout=15_000):
        dialog.test()
    assert "Everything is ready" in dialog.result_text()
    assert dialog.result_label.property("outcome") == "ok"


def test_verify_full_is_offered_once_a_ca_file_is_chosen(qtbot, tmp_path: Path):
    dialog = make_dialog(qtbot)
    dialog.server_radio.setChecked(True)
    assert "verify-full" not in dialog.offered_ssl_modes()
    ca = tmp_path / "clinic-ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    dialog.ca_edit.setText(str(ca))
    assert "verify-full" in dialog.offered_ssl_modes()
    assert dialog.ssl_mode() == "verify-full"
    dialog.ca_edit.clear()
    assert dialog.ssl_mode() == "prefer"


def test_incomplete_form_is_said_without_a_worker(qtbot):
    dialog = make_dialog(qtbot)
    dialog.server_radio.setChecked(True)
    dialog.test()
    assert not dialog.busy
    assert "Server" in dialog.result_text()


def test_save_keeps_password_in_the_keyring_then_offers_a_restart(qtbot, config_dir: Path, tmp_path):
    dialog = make_dialog(qtbot)
    fill_server(dialog, "clinic", password="Sesame-42")
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = blocker.args[0]
    assert saved.kind == "server" and saved.database == "clinic"
    on_disk = (config_dir / "connection.json").read_text()
    assert "Sesame-42" not in on_disk
    assert keyring.get_password("clinic-desk", saved.password_key()) == "Sesame-42"
    assert dialog.restart_box.isVisible() and not dialog.buttons.isVisible()
    with qtbot.waitSignal(dialog.restart_requested):
        qtbot.mouseClick(dialog.restart_now_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == ConnectionDialog.DialogCode.Accepted

    again = make_dialog(qtbot, conn.load_connection_settings())
    assert again.server_radio.isChecked()
    assert again.database_edit.text() == "clinic"
    assert again.password_edit.text() == ""  # never read back into the form


def test_file_menu_opens_the_dialog_and_restart_quits_the_loop(
    qtbot, seeded, make_window, monkeypatch, config_dir: Path
):
    from PySide6.QtWidgets import QApplication

    clinic, _ids = seeded
    window = make_window(clinic, persist=False)
    action = next(
        a
        for a in window.findChildren(type(window.menuBar().actions()[0]))
        if a.objectName() == "databaseConnectionAction"
    )
    assert action.text() == "&Database connection…"
    action.trigger()
    dialog = window.findChild(ConnectionDialog, "connectionDialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.local_radio.isChecked()
    exits: list[int] = []
    monkeypatch.setattr(QApplication, "exit", staticmethod(exits.append))
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save()
    qtbot.mouseClick(dialog.restart_now_button, Qt.MouseButton.LeftButton)
    assert exits == [RESTART_EXIT_CODE]
    assert not window.isVisible()
    assert conn.load_connection_settings() == ConnectionSettings(kind="local")


def test_startup_opens_the_saved_server_with_the_stored_password(qtbot, postgres_session_url: str):
    from clinic_desk.ui.app import open_clinic_at_startup

    settings = pg_settings(database_name(postgres_session_url))
    conn.save_connection_settings(settings)
    conn.remember_password(settings, "kept-in-keyring")
    clinic = open_clinic_at_startup()
    assert clinic is not None
    try:
        assert clinic.url.password == "kept-in-keyring"
        assert clinic.describe_database().startswith(f"Server {databases.PG_HOST}")
    finally:
        clinic.close()


def test_db_option_wins_over_the_saved_connection(qtbot, tmp_path: Path):
    from clinic_desk.ui.app import open_clinic_at_startup

    conn.save_connection_settings(pg_settings("somewhere_else", host="192.0.2.1"))
    clinic = open_clinic_at_startup(normalize_url(f"sqlite:///{tmp_path / 'cli.db'}"))
    assert clinic is not None
    try:
        assert clinic.url.get_backend_name() == "sqlite"
    finally:
        clinic.close()
