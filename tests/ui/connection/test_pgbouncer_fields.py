"""The connection dialog's PgBouncer fields, through a real PgBouncer on loopback.

PgBouncer (Debian's package, which scripts/bootstrap.sh installs for the tests) runs in
transaction mode in front of the test server; the desk reaches the clinic through it and
its live updates straight from PostgreSQL, as README's "A clinic group on one server" says.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import text

from clinic_desk import Clinic
from clinic_desk.db.engine import normalize_url
from clinic_desk.services import connection as conn
from clinic_desk.services.connection import ConnectionSettings
from clinic_desk.ui.connection.connection_dialog import ConnectionDialog
from scripts.load_pgbouncer import PgBouncer
from tests import databases
from tests.services.helpers import STAFF, add_ready_patient


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv(conn.CONFIG_DIR_ENV, str(folder))
    return folder


@pytest.fixture
def through_pgbouncer(tmp_path: Path) -> Iterator[tuple[ConnectionSettings, str]]:
    """(settings that reach a fresh clinic through PgBouncer, the server's own URL)."""
    with databases.postgres_database() as url:
        Clinic.open(url).close()
        database = normalize_url(url).database or ""
        bouncer = PgBouncer(tmp_path, database, databases.PG_HOST, databases.PG_PORT).start()
        try:
            settings = ConnectionSettings(
                kind="server",
                host="127.0.0.1",
                port=bouncer.port,
                database=database,
                user="postgres",
                pgbouncer=True,
                listen_host=databases.PG_HOST,
                listen_port=databases.PG_PORT,
            )
            yield settings, url
        finally:
            bouncer.stop()


def _server_settings(**changes: object) -> ConnectionSettings:
    values: dict[str, object] = {"kind": "server", "host": "bouncer.clinic.local", "port": 6432}
    values |= {"database": "clinic", "user": "frontdesk", **changes}
    return ConnectionSettings(**values)  # type: ignore[arg-type]


def test_the_url_carries_the_pooler_and_where_live_updates_listen() -> None:
    settings = _server_settings(pgbouncer=True, listen_host=" db.clinic.local ", listen_port=5433).checked()
    assert conn.build_url(settings).query == {
        "sslmode": "prefer",
        "pooler": "transaction",
        "listen_host": "db.clinic.local",
        "listen_port": "5433",
    }
    polled = _server_settings(pgbouncer=True).checked()
    assert conn.build_url(polled).query == {"sslmode": "prefer", "pooler": "transaction"}
    direct = _server_settings(pgbouncer=False, listen_host="db.clinic.local").checked()
    assert direct.listen_host == "" and conn.build_url(direct).query == {"sslmode": "prefer"}
    assert settings.describe().endswith("through PgBouncer")


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"listen_host": "db clinic"}, "listen_host", "no spaces"),
        ({"listen_host": "Bouncer.clinic.local", "listen_port": 6432}, "listen_host", "cannot go through"),
        ({"listen_host": "db", "listen_port": 0}, "listen_port", "1 to 65535"),
        ({"backend": "mariadb", "port": 3306}, "pgbouncer", "PostgreSQL servers only"),
    ],
)
def test_impossible_pooler_settings_name_the_field(
    changes: dict[str, object], field: str, words: str
) -> None:
    settings = _server_settings(pgbouncer=True, **changes)
    with pytest.raises(conn.ValidationError, match=words) as caught:
        settings.checked()
    assert caught.value.field == field
    assert conn.test_connection(settings, None).outcome == "not_configured"


def test_the_settings_file_keeps_the_fields_and_drops_wrong_kinds(config_dir: Path) -> None:
    settings = _server_settings(pgbouncer=True, listen_host="db.clinic.local", listen_port=5433)
    path = conn.save_connection_settings(settings)
    assert conn.load_connection_settings() == settings
    stored = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(stored | {"pgbouncer": "yes", "listen_port": "x"}), encoding="utf-8")
    assert conn.load_connection_settings() == replace(settings, pgbouncer=False, listen_port=5432)


def test_the_connection_test_goes_through_pgbouncer(
    through_pgbouncer: tuple[ConnectionSettings, str],
) -> None:
    settings, _url = through_pgbouncer
    report = conn.test_connection(settings, None)
    assert report.outcome == "ok", report.message
    assert "through PgBouncer" in report.message


def test_a_desk_through_pgbouncer_works_and_hears_changes_straight_from_the_server(
    through_pgbouncer: tuple[ConnectionSettings, str],
) -> None:
    settings, server_url = through_pgbouncer
    url = conn.build_url(settings)
    with Clinic.open(url.render_as_string(hide_password=False)) as desk:
        patient_id = add_ready_patient(desk)
        feed = desk.live.changes()
        try:
            with Clinic.open(server_url) as other:
                other.staff.update_contact(patient_id, actor=STAFF, phone="617-555-0188")
            assert any(feed.wait(1.0).touches(patient_id) for _ in range(10))
            with desk.engine.connect() as connection:  # the desk's own pool goes through PgBouncer
                assert connection.execute(text("SHOW port")).scalar_one() == str(databases.PG_PORT)
            assert desk.url.port == settings.port
        finally:
            feed.close()


def _dialog(qtbot, current: ConnectionSettings | None = None) -> ConnectionDialog:  # type: ignore[no-untyped-def]
    dialog = ConnectionDialog(current)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_the_fields_wait_for_the_check_box_and_reach_the_settings(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot)
    qtbot.mouseClick(dialog.server_radio, Qt.MouseButton.LeftButton)
    fields = dialog.pooler
    assert not fields.host_edit.isEnabled() and not fields.port_spin.isEnabled()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.host_edit.setFocus()
    # "Through &PgBouncer", as a receptionist types it: Alt+P where the cursor is.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(fields.check.isChecked)  # a mnemonic clicks after the button's short press
    assert fields.host_edit.isEnabled() and fields.port_spin.isEnabled()
    for widget, words in ((dialog.host_edit, "bouncer.clinic.local"), (dialog.database_edit, "clinic")):
        widget.clear()
        qtbot.keyClicks(widget, words)
    qtbot.keyClicks(dialog.user_edit, "frontdesk")
    qtbot.keyClicks(fields.host_edit, "db clinic")
    dialog.test()
    assert not dialog.busy and "no spaces" in dialog.result_text()
    assert fields.host_edit.hasFocus()  # the cursor goes where the mistake is
    fields.host_edit.clear()
    qtbot.keyClicks(fields.host_edit, "db.clinic.local")
    chosen = dialog.settings().checked()
    assert (chosen.pgbouncer, chosen.listen_host, chosen.listen_port) == (True, "db.clinic.local", 5432)


def test_the_dialog_tests_and_saves_a_pgbouncer_connection(  # type: ignore[no-untyped-def]
    qtbot, through_pgbouncer: tuple[ConnectionSettings, str]
) -> None:
    settings, _url = through_pgbouncer
    dialog = _dialog(qtbot, replace(settings, kind="local"))
    dialog.server_radio.setChecked(True)
    for edit, value in ((dialog.host_edit, settings.host), (dialog.database_edit, settings.database)):
        edit.setText(value)
    dialog.port_spin.setValue(settings.port)
    dialog.user_edit.setText(settings.user)
    assert dialog.pooler.check.isChecked()  # kept from the saved choice
    with qtbot.waitSignal(dialog.tested, timeout=15_000) as blocker:
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].outcome == "ok", dialog.result_text()
    with qtbot.waitSignal(dialog.saved, timeout=15_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    again = _dialog(qtbot, conn.load_connection_settings())
    assert again.pooler.check.isChecked()
    assert again.pooler.host_edit.text() == databases.PG_HOST
    assert again.pooler.port_spin.value() == databases.PG_PORT
