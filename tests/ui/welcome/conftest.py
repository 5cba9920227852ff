"""The welcome screen's tests: HOME, the XDG folders and the connection file all in tmp."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clinic_desk import places
from clinic_desk.ui.welcome import building


@pytest.fixture(autouse=True)
def new_computer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A computer where Clinic Desk never ran: nothing of the real user's is read or written."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv(places.CONFIG_DIR_ENV, str(home / ".config" / "clinic-desk"))
    assert str(places.default_clinic_file()).startswith(str(home))
    assert places.is_first_start()
    return home


@pytest.fixture
def small_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    """A demo of 40 charts (the showcase and a few more): the path is the same, only faster."""
    monkeypatch.setattr(building, "DEMO_PATIENTS", 40)


@pytest.fixture
def opened() -> Iterator[list[Any]]:
    """Clinics the test opened through the welcome screen, closed at the end."""
    clinics: list[Any] = []
    yield clinics
    for clinic in clinics:
        clinic.close()
