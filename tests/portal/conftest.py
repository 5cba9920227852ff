"""The portal's pages over HTTP: a fresh app per test on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from clinic_desk import Clinic
from clinic_desk.portal.app import create_app
from tests import databases
from tests.conftest import FakeClock, emptied_server_url

SECRET = b"k" * 32


@pytest.fixture(params=["sqlite", "postgresql"])
def portal_db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """An empty clinic database: a SQLite file, then the same test on PostgreSQL."""
    if request.param == "sqlite":
        return databases.copy_sqlite(sqlite_template, tmp_path / "clinic.db")
    return emptied_server_url(request, "postgresql")


@pytest.fixture
def portal_clinic(portal_db_url: str, clock: FakeClock) -> Iterator[Clinic]:
    opened = Clinic.open(portal_db_url, clock=clock)
    yield opened
    opened.close()


@pytest.fixture
def sqlite_clinic(sqlite_url: str, clock: FakeClock) -> Iterator[Clinic]:
    """For page tests that need no second database."""
    opened = Clinic.open(sqlite_url, clock=clock)
    yield opened
    opened.close()


def client_for(clinic: Clinic, **options: object) -> TestClient:
    """A browser-like client of a fresh portal app (cookies kept, redirects not followed)."""
    return TestClient(create_app(clinic, SECRET, **options), follow_redirects=False)  # type: ignore[arg-type]


@pytest.fixture
def browser(portal_clinic: Clinic) -> TestClient:
    return client_for(portal_clinic)


@pytest.fixture
def sqlite_browser(sqlite_clinic: Clinic) -> TestClient:
    return client_for(sqlite_clinic)
