"""Shared fixtures for the UI tests: temp settings, real portal statuses, no dangling workers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
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
    """Close our windows after each test and fail it if a worker is still running."""
    yield
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            widget.close()
    assert wait_for_tasks(15_000), "a background task was still running after the test"
    assert task_manager().pending_count == 0


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
