"""The built one-folder bundle (scripts/build.sh) on a clean environment: version, schema, status,
an offscreen screenshot and the patient portal's health check, each from the bundle's own program."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

import pytest

from clinic_desk.bundled import installed_version
from clinic_desk.demo.staff import DEMO_STAFF
from clinic_desk.services.bulk_pool import PARALLEL_FROM
from tests import databases
from tests.packaging.conftest import png_size, run

pytestmark = pytest.mark.slow


def _head_revision() -> str:
    from clinic_desk.db.schema import HEAD_REVISION as head

    return head


def test_version_says_the_package_version(bundle_program: Path, app_env: dict[str, str]) -> None:
    done = run([bundle_program, "--version"], app_env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"clinic-desk {installed_version()}"


def test_db_upgrade_check_and_status_on_a_new_sqlite_file(
    bundle_program: Path, app_env: dict[str, str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    done = run([bundle_program, "--db", url, "db", "upgrade"], app_env)
    assert done.returncode == 0, done.stderr
    assert f"to {_head_revision()}" in done.stdout  # every migration ran from inside the bundle
    again = run([bundle_program, "--db", url, "db", "upgrade"], app_env)
    assert "already current" in again.stdout, again.stderr
    check = run([bundle_program, "--db", url, "db", "check"], app_env)
    assert check.returncode == 0, check.stdout + check.stderr
    missing = run([bundle_program, "--db", url, "status", "100006"], app_env)
    assert missing.returncode == 1 and "Traceback" not in missing.stderr


@pytest.fixture(scope="module")
def demo_clinic(bundle_program: Path, app_env: dict[str, str]) -> str:
    """A demo clinic of 30 patients, seeded once by the bundle's seed-demo."""
    url = f"sqlite:///{Path(app_env['HOME']) / 'demo.db'}"
    done = run([bundle_program, "--db", url, "seed-demo", "--patients", "30"], app_env, timeout=300)
    assert done.returncode == 0, done.stderr
    return url


def _children_of(pid: int) -> set[str]:
    """The command lines of the processes whose parent is ``pid`` (read from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue  # gone already
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.add(command.replace(b"\0", b" ").decode(errors="replace"))
    return found


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_big_seed_makes_its_batches_in_the_bundles_own_worker_processes(
    bundle_program: Path, app_env: dict[str, str], tmp_path: Path, backend: str
) -> None:
    # SQLite's batches come back as database images, PostgreSQL's as binary COPY blocks.
    with ExitStack() as stack:
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path / 'big.db'}"
        else:
            url = stack.enter_context(databases.postgres_database())
        _seed_with_workers(bundle_program, app_env, url)


def _seed_with_workers(bundle_program: Path, app_env: dict[str, str], url: str) -> None:
    patients = PARALLEL_FROM + 1_000
    command = [str(bundle_program), "--db", url, "seed-demo", "--patients", str(patients)]
    seed = subprocess.Popen(command, env=app_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    children: set[str] = set()
    while seed.poll() is None:
        children |= _children_of(seed.pid)
        time.sleep(0.05)
    out, err = seed.communicate()
    assert seed.returncode == 0, err
    assert f"({patients:,} in all)" in out
    # Spawned workers are the bundle's program again, started by multiprocessing (freeze_support).
    workers = [c for c in children if c.startswith(str(bundle_program)) and "multiprocessing" in c]
    assert workers, children
    # ... and they did the work: the load never fell back to making the batches itself.
    assert "workers stopped" not in err and "Traceback" not in err, err


def test_status_reads_the_demo_clinic(
    bundle_program: Path, app_env: dict[str, str], demo_clinic: str
) -> None:
    done = run([bundle_program, "--db", demo_clinic, "status", "100006", "--json"], app_env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["color"] == "red"  # the showcase's "turned off by staff"


def test_screenshot_offscreen_with_the_bundled_qt(
    bundle_program: Path, app_env: dict[str, str], demo_clinic: str, tmp_path: Path
) -> None:
    password = tmp_path / "dana.txt"
    password.write_text(next(m.password for m in DEMO_STAFF if m.username == "dana") + "\n")
    password.chmod(0o600)
    out = tmp_path / "shot.png"
    env = {key: value for key, value in app_env.items() if key != "QT_QPA_PLATFORM"}  # picks offscreen itself
    done = run(
        [bundle_program, "--db", demo_clinic, "screenshot", "--patient", "100006", "--out", out,
         "--as", "dana", "--password-file", password],
        env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert png_size(out) == (1280, 800)
    _assert_drawn(out)


def _assert_drawn(png: Path) -> None:
    """The picture holds the window: many colours (icons, words), not one blank fill."""
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 50


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_portal_serves_its_health_check(
    bundle_program: Path, app_env: dict[str, str], demo_clinic: str
) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [str(bundle_program), "--db", demo_clinic, "portal", "--port", str(port)],
        env=app_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        answer = _get_when_up(f"http://127.0.0.1:{port}/healthz", server)
        assert answer == (200, "ok")
        status, page = _get_when_up(f"http://127.0.0.1:{port}/static/portal.css", server)
        assert status == 200 and page  # the portal's static files are in the bundle
    finally:
        server.terminate()
        out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert "The portal has stopped." in out


def _get_when_up(url: str, server: subprocess.Popen[str], wait: float = 60) -> tuple[int, str]:
    deadline = time.monotonic() + wait
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read().decode("utf-8")
        except OSError:
            if server.poll() is not None:
                said = server.stderr.read() if server.stderr else ""
                raise AssertionError(f"the portal stopped: {said}") from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.mark.parametrize("server", ["postgresql", "mariadb"])
def test_the_bundled_drivers_reach_the_database_servers(
    bundle_program: Path, app_env: dict[str, str], server: str
) -> None:
    # psycopg (with its own libpq) and PyMySQL are loaded by name: only a run shows they are in the bundle.
    make = databases.postgres_database if server == "postgresql" else databases.mariadb_database
    with make() as url:
        done = run([bundle_program, "--db", url, "db", "upgrade"], app_env)
        assert done.returncode == 0, done.stderr
        assert f"to {_head_revision()}" in done.stdout
