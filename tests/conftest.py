"""Fixtures every test shares: a clock tests can move, real databases, a quiet keyring."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from clinic_desk import Clinic
from clinic_desk.services.hashing import use_cheapest_hashing
from tests import databases
from tests.smtp_server import SmtpTestServer

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
use_cheapest_hashing()

# CI runs the same examples every time (derandomized, no example database), so a red
# run can be repeated; each property test sets its own example count.
settings.register_profile(
    "ci", derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@dataclass
class FakeClock:
    """A clock the test moves by hand."""

    now: datetime = field(default_factory=lambda: datetime(2026, 3, 2, 15, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        """Move time forward, e.g. clock.advance(days=8)."""
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    """A clock starting at 2026-03-02 15:00 UTC."""
    return FakeClock()


@pytest.fixture(autouse=True)
def _memory_keyring() -> Iterator[None]:
    """Keep every test away from the user's real keyring."""
    import keyring

    from clinic_desk.services.secret_store import forget_run_only_secrets
    from tests.memory_keyring import MemoryKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)
    forget_run_only_secrets()


@pytest.fixture(autouse=True)
def _own_templates_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read email templates from the user's real config folder."""
    monkeypatch.setenv("CLINIC_DESK_TEMPLATES_DIR", str(tmp_path_factory.mktemp("templates")))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty SQLite file that each test copies."""
    path = tmp_path_factory.mktemp("template") / "clinic.db"
    Clinic.open(f"sqlite:///{path}").close()
    return path


@pytest.fixture(scope="session")
def postgres_session_url() -> Iterator[str]:
    """One PostgreSQL database for the whole run, migrated once."""
    with databases.postgres_database() as url:
        Clinic.open(url).close()
        yield url


@pytest.fixture(scope="session")
def mariadb_session_url() -> Iterator[str]:
    """One MariaDB database for the whole run, migrated once."""
    with databases.mariadb_database() as url:
        Clinic.open(url).close()
        yield url


def emptied_server_url(request: pytest.FixtureRequest, backend: str) -> str:
    """The run's shared "postgresql" or "mariadb" database, emptied for this test."""
    if backend == "mariadb":
        url: str = request.getfixturevalue("mariadb_session_url")
        databases.empty_mariadb(url)
        return url
    url = request.getfixturevalue("postgres_session_url")
    databases.empty_postgres(url)
    return url


@pytest.fixture(params=["sqlite", "postgresql", "mariadb"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """An empty clinic database: a SQLite file, then the same test on PostgreSQL and MariaDB."""
    if request.param == "sqlite":
        return databases.copy_sqlite(sqlite_template, tmp_path / "clinic.db")
    return emptied_server_url(request, request.param)


@pytest.fixture(params=["sqlite", "postgresql", "mariadb"])
def own_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A brand-new empty database of the test's own (for tests that change the schema)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'own.db'}"
        return
    make = databases.postgres_database if request.param == "postgresql" else databases.mariadb_database
    with make() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """An empty clinic in a SQLite file."""
    return databases.copy_sqlite(sqlite_template, tmp_path / "clinic.db")


@pytest.fixture
def smtp_server() -> Iterator[SmtpTestServer]:
    """A recording SMTP server on a free loopback port."""
    with SmtpTestServer() as server:
        yield server


@pytest.fixture
def clinic(db_url: str, clock: FakeClock) -> Iterator[Clinic]:
    """An open, empty clinic on each database, with the test's clock."""
    opened = Clinic.open(db_url, clock=clock)
    yield opened
    opened.close()
