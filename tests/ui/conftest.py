"""Shared fixtures for the UI tests: temp settings, real portal statuses, no dangling workers."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from clinic_desk.domain.facts import PortalFacts
from clinic_desk.domain.status import PortalStatus, evaluate
from clinic_desk.ui.tasks import task_manager, wait_for_tasks

NOW = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fresh_settings(qapp: QApplication, tmp_path: Path) -> Iterator[Path]:
    """Point QSettings at a temp folder so no test reads or writes the user's settings."""
    folder = tmp_path / "qsettings"
    folder.mkdir()
    old_format = QSettings.defaultFormat()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
    qapp.setOrganizationName("Clinic Desk Tests")
    qapp.setApplicationName("Clinic Desk Tests")
    yield folder
    QSettings.setDefaultFormat(old_format)


@pytest.fixture(autouse=True)
def _no_dangling_tasks(qapp: QApplication) -> Iterator[None]:
    """Close our windows after each test and fail it if a worker is still running.

    The test's leftover Python/Qt cycles are collected here, between tests: a collection
    that happens later, inside a Qt virtual call of another test, crashed the run.
    """
    yield
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            widget.close()
    assert wait_for_tasks(15_000), "a background task was still running after the test"
    assert task_manager().pending_count == 0
    gc.collect()


@pytest.fixture
def clinic(sqlite_url: str, clock: Any) -> Iterator[Any]:
    """A clinic in a real SQLite file, with the test's clock (the UI tests' ``clinic``)."""
    from clinic_desk import Clinic

    opened = Clinic.open(sqlite_url, clock=clock)
    yield opened
    opened.close()


@pytest.fixture
def two_clinics(db_url: str, clock: Any) -> Iterator[tuple[Any, Any]]:
    """This workstation's clinic and another workstation's, on the same database."""
    from clinic_desk import Clinic

    here = Clinic.open(db_url, clock=clock)
    there = Clinic.open(db_url, clock=clock)
    yield here, there
    here.close()
    there.close()


@pytest.fixture
def make_status() -> Callable[..., PortalStatus]:
    """Build a real PortalStatus from portal facts: ``make_status("gold", username="jo")``."""

    def make(color: str, **overrides: Any) -> PortalStatus:
        base: dict[str, Any] = {
            "patient_id": 7,
            "first_name": "Jane",
            "last_name": "Doe",
            "mrn": "M000007",
            "patient_status": "active",
            "email": "jane@example.com",
            "zip_code": "02139",
            "access_enabled": True,
            "username": "janed",
            "any_invitation_sent": True,
        }
        if color == "red":
            base.update(access_enabled=False, access_off_reason="not_enabled", email=None)
        elif color == "blue":
            base.update(last_login_at=datetime(2026, 2, 27, 9, 5, tzinfo=UTC), login_count=4)
        base.update(overrides)
        status = evaluate(PortalFacts(**base), NOW)
        assert status.color == color
        return status

    return make


@pytest.fixture
def seeded(sqlite_url: str, clock: Any) -> Iterator[tuple[Any, dict[str, int]]]:
    """A real SQLite clinic with one patient of each colour: ``(clinic, {"red": pid, ...})``."""
    from clinic_desk import Clinic

    clinic = Clinic.open(sqlite_url, clock=clock)
    staff = clinic.staff
    ids = {
        "red": staff.add_patient(
            first_name="Maria",
            last_name="O'Neil",
            preferred_name="Mo",
            date_of_birth=date(1980, 3, 14),
            email=None,
            zip_code="02139",
            phone="617-555-0101",
            address_line1="12 Elm St",
            city="Cambridge",
            state="MA",
            actor="frontdesk",
        ),
        "gold": staff.add_patient(
            first_name="Jamal",
            last_name="Hughes",
            date_of_birth=date(1992, 7, 1),
            email="jamal@gmial.com",
            zip_code="02139",
            actor="frontdesk",
        ),
        "blue": staff.add_patient(
            first_name="Ann",
            last_name="Lee",
            date_of_birth=date(1955, 1, 20),
            email="ann@example.com",
            zip_code="02140",
            actor="frontdesk",
        ),
    }
    staff.set_credentials(ids["blue"], username="annlee", password="Str0ng-pass-123!", actor="frontdesk")
    assert clinic.portal.login("annlee", "Str0ng-pass-123!")
    staff.send_invitation(ids["gold"], actor="frontdesk")
    for color, patient_id in ids.items():
        assert clinic.status(patient_id).color == color
    yield clinic, ids
    clinic.close()


@pytest.fixture
def make_window(qtbot: Any) -> Iterator[Callable[..., Any]]:
    """Build a shown MainWindow; it is closed and its workers drained before the clinic closes."""
    from clinic_desk.ui import MainWindow

    windows: list[MainWindow] = []

    def make(clinic: Any, **kwargs: Any) -> MainWindow:
        window = MainWindow(clinic, **kwargs)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
    assert wait_for_tasks(15_000), "a background task was still running after the test"


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """A seeded demo clinic file, built once per run: ``(path, showcase key -> patient id)``."""
    from clinic_desk import Clinic
    from clinic_desk.demo import seed_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    clinic = Clinic.open(f"sqlite:///{path}")
    try:
        ids = seed_demo(clinic, patients=40)
    finally:
        clinic.close()
    return path, ids


@pytest.fixture
def demo(demo_template: tuple[Path, dict[str, int]], tmp_path: Path) -> Iterator[tuple[Any, dict[str, int]]]:
    """This test's own copy of the demo clinic: ``(clinic, showcase key -> patient id)``."""
    import shutil

    from clinic_desk import Clinic

    source, ids = demo_template
    target = tmp_path / "demo.db"
    shutil.copyfile(source, target)
    clinic = Clinic.open(f"sqlite:///{target}")
    yield clinic, ids
    clinic.close()
