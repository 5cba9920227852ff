"""A clinic file with a few hundred patients, and a way to run a step as another user of this computer."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from clinic_desk import Clinic
from clinic_desk.domain.bulk_chart import BulkChart

PATIENTS = 300
ROOT = Path(__file__).resolve().parents[2]
# When the tests run as root (a container), file permissions do not bind root: the steps
# that need them run as this ordinary user instead.
NOBODY = 65534


def charts(count: int) -> Iterator[BulkChart]:
    """Plain charts named Patient0000 ... with distinct birth dates."""
    made = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    for number in range(count):
        yield BulkChart(
            first_name="Ana",
            last_name=f"Patient{number:04d}",
            date_of_birth=date(1950 + number % 50, 1 + number % 12, 1 + number % 28),
            created_at=made,
            email=f"patient{number}@example.com",
            zip_code="02139",
        )


@pytest.fixture(scope="session")
def populated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated clinic file holding PATIENTS charts (copied by each test)."""
    path = tmp_path_factory.mktemp("populated") / "clinic.db"
    with Clinic.open(f"sqlite:///{path}") as clinic:
        clinic.load_demo_charts(charts(PATIENTS), actor="frontdesk", password="blue-harbor-42")
    return path


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder every user of this computer may use (tmp_path is root's own when run as root)."""
    folder = Path(tempfile.mkdtemp(prefix="clinic-files-"))
    folder.chmod(0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def give_to_ordinary_user(*paths: Path) -> None:
    """Make the files the ordinary user's (a no-op when the tests already run as one)."""
    if as_root():
        for path in paths:
            os.chown(path, NOBODY, NOBODY)


def run_as_ordinary_user(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a Python snippet in a new process as an ordinary (non-root) user; it sees sys.argv[1:]."""
    prefix: list[str] = []
    if as_root():
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot act as an ordinary user")
        prefix = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": tempfile.gettempdir()}
    return subprocess.run(
        [*prefix, sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tempfile.gettempdir(),
        check=False,
    )


@contextmanager
def another_desk_reading(path: Path) -> Iterator[None]:
    """Another program keeps ``path`` open (WAL mode, after one read) until the block ends."""
    desk = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            "c = sqlite3.connect(sys.argv[1])\n"
            "c.execute('PRAGMA journal_mode = WAL')\n"
            "c.execute('SELECT count(*) FROM patients').fetchall()\n"
            "print('open', flush=True)\n"
            "time.sleep(60)\n",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert desk.stdout is not None and desk.stdout.readline().strip() == "open"
        yield
    finally:
        desk.kill()
        desk.wait()
