"""The .deb (scripts/build.sh) installed on this machine: the command, the menu entry's Exec line
started offscreen until the window is usable, the menu entry started as a desktop starts it for a
new user (the first start's welcome screen, offscreen and under Xvfb), then removal leaving
nothing behind.

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
from tests.packaging.conftest import fresh_home_env, png_size, run, skip_or_fail

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


def _desktop_entry(path: Path) -> dict[str, str]:
    """The keys of a desktop file's [Desktop Entry] group (Desktop Entry Specification)."""
    entry: dict[str, str] = {}
    group = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            group = line
        elif group == "[Desktop Entry]" and "=" in line:
            key, value = line.split("=", 1)
            entry[key.strip()] = value.strip()
    return entry


def _launch_command(entry: dict[str, str], path: Path) -> list[str]:
    """The Exec line as a desktop runs it from the menu, with no file or URL given.

    Field codes (the specification's): %f %F %u %U name no file here and go; %i is the icon,
    %c the name, %k the desktop file; %% is a percent sign.
    """
    command: list[str] = []
    for word in shlex.split(entry["Exec"]):
        if word in ("%f", "%F", "%u", "%U"):
            continue
        if word == "%i":
            command += ["--icon", entry["Icon"]] if entry.get("Icon") else []
            continue
        unknown = word.replace("%%", "").replace("%c", "").replace("%k", "")
        assert "%" not in unknown, f"a field code a desktop does not expand: {word}"
        command.append(word.replace("%c", entry.get("Name", "")).replace("%k", str(path)).replace("%%", "%"))
    return command


@pytest.mark.parametrize("screen", ["offscreen", "xvfb"])
def test_the_menu_entry_on_a_new_computer_opens_the_welcome_screen(
    installed: Path, tmp_path: Path, screen: str
) -> None:
    entry = _desktop_entry(DESKTOP_FILE)
    # What a desktop checks before it lists and starts the entry.
    assert entry["Type"] == "Application"
    assert entry.get("Terminal", "false") == "false"
    assert entry.get("Hidden", "false") == "false" and entry.get("NoDisplay", "false") == "false"
    env = fresh_home_env(tmp_path)  # a new user: no saved connection, no clinic, no --db
    command = _launch_command(entry, DESKTOP_FILE)
    program = shutil.which(command[0], path=env["PATH"])
    assert program is not None, f"{command[0]} is not on the PATH a desktop session has"
    if entry.get("TryExec"):
        assert shutil.which(entry["TryExec"], path=env["PATH"]) is not None
    # The start marks (ui/start.py): "welcome" once the first start's welcome screen shows; =quit
    # then ends the app as if its window were closed there (nothing is created).
    env["CLINIC_DESK_START_MARKS"] = "quit"
    if screen == "offscreen":
        env["QT_QPA_PLATFORM"] = "offscreen"
    else:  # a real X server: Qt picks its platform (xcb) by itself, as on a desktop
        if shutil.which("xvfb-run") is None:
            skip_or_fail("no xvfb-run on this machine (apt install xvfb xauth)")
        command = ["xvfb-run", "--auto-servernum", "--server-args=-screen 0 1280x800x24", *command]
    cwd = entry.get("Path") or env["HOME"]
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    marks = [line.split()[2] for line in done.stdout.splitlines() if line.startswith("clinic-desk mark")]
    assert marks == ["painted", "welcome"], done.stdout + done.stderr
    home = Path(env["HOME"])
    made = [str(path.relative_to(home)) for path in home.rglob("*") if path.suffix in (".db", ".json")]
    assert made == [], "leaving the welcome screen made a clinic or saved a connection"


def test_removing_the_package_leaves_nothing_behind(installed: Path) -> None:
    done = _dpkg("-r", PACKAGE)
    assert done.returncode == 0, done.stdout + done.stderr
    left = [str(path) for path in LEFT_BEHIND_CANDIDATES if path.exists() or path.is_symlink()]
    assert left == []
    assert not DESKTOP_FILE.exists()
    status = _dpkg("-s", PACKAGE)
    assert status.returncode != 0 or "deinstall ok config-files" not in status.stdout
