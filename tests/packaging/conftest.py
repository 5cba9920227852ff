"""The built bundle and .deb (scripts/build.sh), and how the packaging tests run them.

``CLINIC_DESK_BUNDLE`` names the bundle's program and ``CLINIC_DESK_DEB`` the package; without
them the tests look in dist/. Not built: the tests skip, saying how to build, except with
``CI=true`` (scripts/test.sh builds first), where a missing build fails.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"


def skip_or_fail(reason: str) -> None:
    """Skip for a developer; in CI a packaging test never skips."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: packaging tests never skip)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def bundle_program() -> Path:
    """The bundle's ``clinic-desk`` program."""
    program = Path(os.environ.get("CLINIC_DESK_BUNDLE") or DIST / "clinic-desk" / "clinic-desk")
    if not program.is_file():
        skip_or_fail(f"no bundle at {program}: run `bash scripts/build.sh` first")
    return program


@pytest.fixture(scope="session")
def deb_file() -> Path:
    """The built .deb."""
    given = os.environ.get("CLINIC_DESK_DEB")
    found = [Path(given)] if given else sorted(DIST.glob("clinic-desk_*.deb"))
    if not found or not found[-1].is_file():
        skip_or_fail(f"no .deb in {DIST}: run `bash scripts/build.sh` first")
    return found[-1]


@pytest.fixture(scope="module")
def app_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A clean environment for the installed app: no screen, its own home, config and data folders
    (one per test module: the demo clinic is seeded once)."""
    env = fresh_home_env(tmp_path_factory.mktemp("app"))
    env.update(CLINIC_DESK_CONFIG_DIR=env["HOME"] + "/clinic-desk-config", QT_QPA_PLATFORM="offscreen")
    return env


def fresh_home_env(tmp_path: Path) -> dict[str, str]:
    """An environment as a new user's desktop session gives it: an empty home and XDG folders
    in ``tmp_path`` (nothing saved yet), no screen chosen."""
    home = tmp_path / "home"
    home.mkdir()
    keep = ("PATH", "LANG", "LC_ALL", "TZ")
    env = {key: os.environ[key] for key in keep if key in os.environ}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_STATE_HOME=str(home / ".local" / "state"),
        XDG_RUNTIME_DIR=str(tmp_path),
    )
    tmp_path.chmod(0o700)
    return env


def run(
    command: Sequence[str | Path], env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run a command of the installed app; its output as text."""
    return subprocess.run(
        [str(part) for part in command], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def png_size(path: Path) -> tuple[int, int]:
    """A PNG's width and height (from its header)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
