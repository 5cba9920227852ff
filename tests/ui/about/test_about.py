"""Help ▸ About…: the version, the database's kind and schema revision, Python, Qt and the licences."""

from __future__ import annotations

import platform

from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QApplication, QMenu

from clinic_desk.bundled import components, installed_version


def _about(qtbot, window):
    window.about_action.trigger()
    shown = [w for w in QApplication.topLevelWidgets() if w.objectName() == "aboutDialog" and w.isVisible()]
    dialog = shown[-1]
    qtbot.waitUntil(lambda: dialog.revision_label.text() != "reading…", timeout=5000)
    return dialog


def test_help_about_says_version_database_and_revision(qtbot, clinic, make_window):
    window = make_window(clinic)
    dialog = _about(qtbot, window)
    assert dialog.version_label.text() == installed_version() == "0.1.0"
    assert dialog.database_label.text() == "SQLite"
    head = clinic.schema.head_revision()
    assert dialog.revision_label.text() == head == clinic.schema.current_revision()
    assert dialog.findChild(type(dialog.version_label), "aboutPython").text() == platform.python_version()
    assert dialog.findChild(type(dialog.version_label), "aboutQt").text().startswith(qVersion())
    dialog.close()


def test_the_licences_come_from_the_components_metadata(qtbot, clinic, make_window):
    window = make_window(clinic)
    table = _about(qtbot, window).components_table
    rows = {table.item(row, 0).text(): table.item(row, 2).text() for row in range(table.rowCount())}
    assert "LGPL-3.0-only" in rows["PySide6_Essentials"]
    assert rows["SQLAlchemy"] == "MIT" and rows["alembic"] == "MIT" and rows["argon2-cffi"] == "MIT"
    assert rows["keyring"] == "MIT" and rows["PyMySQL"] == "MIT"
    assert rows["starlette"] == "BSD-3-Clause" and rows["uvicorn"] == "BSD-3-Clause"
    assert rows["Jinja2"] == "BSD" and rows["segno"] == "BSD"  # from their Trove classifiers
    assert rows["psycopg"].startswith("LGPL")
    assert len(rows) == len(components()) >= 14


def test_help_is_the_last_menu_and_menu_mnemonics_are_unique(qtbot, clinic, make_window):
    window = make_window(clinic)
    menus = [action.menu() for action in window.menuBar().actions() if isinstance(action.menu(), QMenu)]
    assert menus[-1].objectName() == "helpMenu"
    titles = [menu.title() for menu in menus]
    assert menus[-1].title() == "Help"  # no Alt+H: the troubleshooting panel's buttons use it
    mnemonics = [title[title.index("&") + 1].lower() for title in titles if "&" in title]
    assert len(set(mnemonics)) == len(titles) - 1, titles
    assert [a.text() for a in menus[-1].actions()] == ["&About Clinic Desk…"]


def test_about_on_an_unreachable_database_says_so_without_details(qtbot, clinic, make_window, monkeypatch):
    window = make_window(clinic)

    def broken() -> str:
        raise OSError("secret path /home/x/patient-Núñez.db")

    monkeypatch.setattr(clinic.schema, "current_revision", broken)
    dialog = _about(qtbot, window)
    assert dialog.revision_label.text() == "unknown"
    assert "Núñez" not in dialog.database_label.text()
