"""The .deb (scripts/build.sh) installed on this machine: the command, the menu entry's Exec line
started offscreen until the window is usable, then removal leaving nothing behind.

Installs into the real system (dpkg -i), so it needs root; anywhere else it skips, saying why
(with CI=true it fails instead)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from clinic_desk.bundled import installed_version
from tests.packaging.conftest import png_size, run, skip_or_fail

pytestmark = pytest.mark.slow
PACKAGE = "clinic-desk"
DESKTOP_FILE = Path("/usr/share/applications/clinic-desk.desktop")
LEFT_BEHIND_CANDIDATES = (
    Path("/usr/lib/clinic-desk"),
    Path("/opt/clinic-desk"),
    Path("/usr/bin/clinic-desk"),
)


def _dpkg(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["dpkg", *arguments], capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def installed(deb_file: Path) -> Iterator[Path]:
    """The package installed with dpkg -i, removed again with dpkg -r (also when a test fails)."""
    if shutil.which("dpkg") is None:
        skip_or_fail("no dpkg on this machine: the .deb cannot be installed")
    if os.geteuid() != 0:
        skip_or_fail("installing the .deb needs root (dpkg -i)")
    done = _dpkg("-i", str(deb_file))
    assert done.returncode == 0, done.stdout + done.stderr
    try:
        yield deb_file
    finally:
        _dpkg("-r", PACKAGE)


def test_the_installed_command_says_its_version(installed: Path, app_env: dict[str, str]) -> None:
    done = run(["/usr/bin/clinic-desk", "--version"], app_env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"clinic-desk {installed_version()}"


def test_the_package_installs_the_menu_entry_icons_metainfo_and_man_page(installed: Path) -> None:
    assert DESKTOP_FILE.is_file()
    assert Path("/usr/share/metainfo/org.example.ClinicDesk.metainfo.xml").is_file()
    for size in (16, 22, 24, 32, 48, 64, 128, 256):
        assert png_size(Path(f"/usr/share/icons/hicolor/{size}x{size}/apps/clinic-desk.png")) == (size, size)
    assert Path("/usr/share/icons/hicolor/scalable/apps/clinic-desk.svg").is_file()
    assert Path("/usr/share/man/man1/clinic-desk.1.gz").is_file()
    assert Path("/usr/share/doc/clinic-desk/copyright").is_file()


def test_the_menu_entry_starts_the_window_offscreen_and_it_quits(
    installed: Path, app_env: dict[str, str]
) -> None:
    exec_line = next(line for line in DESKTOP_FILE.read_text().splitlines() if line.startswith("Exec="))
    command = [part for part in shlex.split(exec_line.removeprefix("Exec=")) if not part.startswith("%")]
    # A clinic on this computer first: the menu entry opens the local file, as on a clinic's PC.
    made = run(["/usr/bin/clinic-desk", "db", "upgrade"], app_env)
    assert made.returncode == 0, made.stderr
    # The start marks (ui/start.py): "quit" ends the app once the window searches the open clinic.
    env = {**app_env, "CLINIC_DESK_START_MARKS": "quit"}
    done = run(command, env, timeout=180)
    assert done.returncode == 0, done.stderr
    marks = [line.split()[2] for line in done.stdout.splitlines() if line.startswith("clinic-desk mark")]
    assert marks == ["painted", "usable"], done.stdout + done.stderr


def test_removing_the_package_leaves_nothing_behind(installed: Path) -> None:
    done = _dpkg("-r", PACKAGE)
    assert done.returncode == 0, done.stdout + done.stderr
    left = [str(path) for path in LEFT_BEHIND_CANDIDATES if path.exists() or path.is_symlink()]
    assert left == []
    assert not DESKTOP_FILE.exists()
    status = _dpkg("-s", PACKAGE)
    assert status.returncode != 0 or "deinstall ok config-files" not in status.stdout
