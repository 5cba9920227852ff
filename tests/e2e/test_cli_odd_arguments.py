"""The clinic-desk command over odd arguments: never a traceback, one plain line, nothing created.

A Hypothesis test runs main() in-process over generated command lines (every command
but the window and the screenshot, each with arbitrary Unicode, control characters,
surrogates and 10,000-character arguments) on SQLite, PostgreSQL and MariaDB; real
processes then take the cases a shell can send (undecodable bytes in argv included).
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_desk import Clinic
from clinic_desk.cli import main
from clinic_desk.cli_output import ECHO_LIMIT, is_hidden
from tests import databases
from tests.services.helpers import add_ready_patient

# Commands that only read: they must never create a file or a folder.
READS = (
    ("status",),
    ("status", "--json"),
    ("db", "check"),
    ("audit", "verify"),
    ("mail-worker", "--poll"),
    ("mail-worker", "--smtp-password-file"),
    ("mail-worker", "--smtp-password-credential"),
    ("staff", "list"),
)
WRITES = (
    ("db", "upgrade"),
    ("db", "backup"),
    ("db", "restore"),
    ("db", "secure-audit", "--app-role"),
    ("db", "secure-audit", "--app-role", "desk", "--as"),
    ("staff", "add", "--username", "jordan", "--full-name", "Jordan Price", "--role", "admin", "--as"),
    ("staff", "add", "--username"),
    ("staff", "set-role"),
    ("staff", "disable"),
    ("staff", "enable", "--as"),
    ("staff", "unlock"),
    ("staff", "reset-password"),
    ("staff", "reset-password", "--password-file"),
    ("staff", "passwd", "--as"),
)

any_character = st.characters(exclude_categories=())  # surrogates and controls included
odd_text = st.one_of(
    st.text(any_character, max_size=30),
    st.text(st.characters(categories=("Cc", "Cf", "Zl", "Zp", "Cs", "Nd", "No")), max_size=12),
    st.sampled_from(["²", "1", "0", "-1", "--json", "--help", "-", "--", "\x1b[31m", "\u202e1", " ", ""]),
    st.builds(lambda character, times: character * times, any_character, st.integers(41, 10_000)),
)


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _files_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*")}


def _assert_plain(argv: list[str], code: int, out: str, err: str) -> None:
    assert code in (0, 1, 2), (argv, code)
    assert "Traceback" not in out + err
    lines = err.splitlines()
    problem = [line for line in lines if not line.startswith("usage: ") and not line.startswith(" ")]
    assert len(problem) <= 1, err
    assert code == 0 or len(problem) == 1, err
    # Nothing a terminal would act on, and no long argument repeated whole.
    assert not any(is_hidden(character) for character in (out + err).replace("\n", "")), repr(out + err)
    for argument in argv:
        if len(argument.strip()) > ECHO_LIMIT + 10:
            assert argument.strip() not in err


@pytest.fixture(params=["sqlite", "postgresql", "mariadb"])
def clinic_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """A clinic with one patient, on each database."""
    if request.param == "sqlite":
        url = databases.copy_sqlite(sqlite_template, tmp_path / "clinic.db")
    else:
        from tests.conftest import emptied_server_url

        url = emptied_server_url(request, request.param)
    with Clinic.open(url) as clinic:
        add_ready_patient(clinic)
    yield url


@pytest.fixture
def quiet_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder and user folders of the test's own (a default database lands here, if anywhere)."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.chdir(home)
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "CLINIC_DESK_CONFIG_DIR", "CREDENTIALS_DIRECTORY"):
        monkeypatch.setenv(name, str(home / name.lower()))
    return home


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    command=st.sampled_from(READS + WRITES),
    arguments=st.lists(odd_text, min_size=1, max_size=3),
    # Mostly the real clinic: that is where odd values reach the facade and the database.
    database=st.sampled_from(["clinic", "clinic", "clinic", "missing", "odd", "odd file", "none"]),
    odd_database=odd_text,
)
def test_no_traceback_for_any_argument(
    clinic_url: str,
    quiet_home: Path,
    command: tuple[str, ...],
    arguments: list[str],
    database: str,
    odd_database: str,
) -> None:
    db = {
        "clinic": ["--db", clinic_url],
        "missing": ["--db", f"sqlite:///{quiet_home / 'no' / 'such' / 'folder' / 'clinic.db'}"],
        "odd": ["--db", odd_database],
        "odd file": ["--db", f"sqlite:///{quiet_home / 'x'}{odd_database}"],
        "none": [],
    }[database]
    argv = [*command, *arguments, *db]
    before = _files_under(quiet_home)
    code, out, err = _run(argv)
    _assert_plain(argv, code, out, err)
    if command in READS:
        assert _files_under(quiet_home) == before, argv


# --- real processes -----------------------------------------------------------------------


def _process(argv: list[str | bytes], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    env = {key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(kwargs.pop("env", {}))  # type: ignore[arg-type]
    return subprocess.run(
        [sys.executable, "-m", "clinic_desk", *argv],
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
        **kwargs,  # type: ignore[arg-type]
    )


def _one_plain_line(done: subprocess.CompletedProcess[bytes]) -> str:
    err = done.stderr.decode("utf-8")
    assert "Traceback" not in err
    problem = [line for line in err.splitlines() if not line.startswith(("usage: ", " "))]
    assert len(problem) == 1, err
    assert problem[0].startswith("clinic-desk")
    assert all(not is_hidden(character) for character in problem[0])
    return problem[0]


@pytest.fixture(scope="module")
def one_patient_clinic(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> tuple[str, int]:
    """A SQLite clinic with one patient: its URL and the patient's id."""
    url = databases.copy_sqlite(sqlite_template, tmp_path_factory.mktemp("odd") / "clinic.db")
    with Clinic.open(url) as clinic:
        return url, add_ready_patient(clinic)


def test_odd_arguments_in_real_processes(one_patient_clinic: tuple[str, int], tmp_path: Path) -> None:
    url, patient_id = one_patient_clinic
    long = "7" * 10_000
    cases: list[tuple[list[str | bytes], int]] = [
        (["status", "²", "--db", url], 1),
        (["status", b"\xff", "--db", url], 2),  # arrives as a surrogate escape in sys.argv
        (["status", b"caf\xe9", "--db", url], 2),
        (["status", long, "--db", url], 1),
        (["status", "\x1b[2J\x1b[31mred", "--db", url], 1),
        (["status", "1", "--db", long], 1),
        (["status", "1", "--db", "sqlite:///" + "/x" * 3000], 1),
        (["db", "check", "--db", "sqlite:///" + "/x" * 3000], 1),
        (["status", "1", "--no-such-option", long], 2),
        (["no-such-command", long], 2),
        (["seed-demo", "--patients", long, "--db", url], 2),
        (["status", "1", "--db", ""], 2),
        (["status", "1", "--db", "   "], 2),
        (["mail-worker", "--db", url, "--smtp-password-file", str(tmp_path / "missing.txt")], 1),
        (["db", "check", "--db", f"sqlite:///{tmp_path / 'missing' / 'clinic.db'}"], 1),
        (["screenshot", "--db", url, "--patient", str(patient_id), "--out", "/proc/nope/x.png"], 1),
        (["staff", "reset-password", long, "--db", url], 1),
        (["staff", "disable", "dana", "--as", "\x1b[31mred", "--db", url], 1),
        (["staff", "add", "--username", "jordan", "--full-name", long, "--role", "admin", "--db", url], 2),
        (["staff", "passwd", "--as", long, "--db", url], 2),
        (["staff", "set-role", "dana", "owner", "--db", url], 2),
    ]
    for argv, expected in cases:
        done = _process(argv, stdin=subprocess.DEVNULL)  # nobody at a terminal to type a password
        line = _one_plain_line(done)
        assert done.returncode == expected, (argv[:2], line)
        assert long not in line and "/x" * 100 not in line and len(line) < 600
    assert not (tmp_path / "missing").exists()


def test_a_read_command_never_creates_the_database_or_its_folder(tmp_path: Path) -> None:
    where = tmp_path / "missing" / "dir" / "x.db"
    code, out, err = _run(["status", "--db", f"sqlite:///{where}", "1"])
    assert code == 1 and out == ""
    assert err == (
        f"clinic-desk: Local file {where}: there is no clinic database there. Check the --db address; "
        "to start a new clinic there, run `clinic-desk db upgrade` with it.\n"
    )
    assert not (tmp_path / "missing").exists()
    # The command that makes a clinic still does.
    assert _run(["db", "upgrade", "--db", f"sqlite:///{where}"])[0] == 0
    assert where.is_file()


def test_an_empty_db_address_is_a_mistake_not_the_local_clinic(quiet_home: Path) -> None:
    for value in ("", "  "):
        code, out, err = _run(["status", "1", "--db", value])
        assert code == 2 and out == ""
        assert "argument --db: is empty" in err
    assert _files_under(quiet_home) == set()


def test_an_unexpected_error_is_one_generic_line_and_debug_shows_it(
    one_patient_clinic: tuple[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, patient_id = one_patient_clinic
    secret = "ana.lopez@example.com"

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError(f"constraint failed for {secret}")

    import clinic_desk.cli_commands

    monkeypatch.setattr(clinic_desk.cli_commands, "status_document", broken)
    code, out, err = _run(["status", str(patient_id), "--db", url])
    assert code == 1 and out == ""
    assert err.startswith("clinic-desk: something unexpected went wrong (RuntimeError); ")
    assert secret not in err and "Traceback" not in err
    with pytest.raises(RuntimeError):
        _run(["status", str(patient_id), "--db", url, "--debug"])


def test_without_db_a_computer_with_no_clinic_yet_is_told_how_to_start_one(quiet_home: Path) -> None:
    code, out, err = _run(["status", "1"])
    assert code == 1 and out == ""
    assert "there is no clinic database there. Open the window once (`clinic-desk`)" in err
    assert _files_under(quiet_home) == set()
