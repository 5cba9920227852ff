"""`clinic-desk staff ...` and `--as USER`, in-process on a real SQLite file and real PostgreSQL.

Typed passwords come from a stand-in for getpass that records each prompt; one test at
the end types them into a real process on a pseudo-terminal and checks they are not echoed.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
from pathlib import Path

import pytest

from clinic_desk import Clinic
from clinic_desk.cli import main
from clinic_desk.cli_sign_in import os_user
from tests import databases
from tests.services.helpers import add_ready_patient

ADMIN_PASSWORD = "Harbor-Lights-42"
DESK_PASSWORD = "Maple-Street-77"
NEW_PASSWORD = "Quiet-River-2031"


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("clinic-desk: ") and "Traceback" not in err
    return lines[0]


class Terminal:
    """What a person types at the password prompts, and the prompts they saw."""

    def __init__(self) -> None:
        self.answers: list[str] = []
        self.prompts: list[str] = []

    def type(self, *answers: str) -> None:
        self.answers.extend(answers)

    def getpass(self, prompt: str = "Password: ", stream: object = None) -> str:
        self.prompts.append(prompt)
        assert self.answers, f"nothing left to type at {prompt!r}"
        return self.answers.pop(0)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Terminal:
    """A terminal the command may ask passwords on (getpass answered from a list)."""
    typed = Terminal()
    monkeypatch.setattr("clinic_desk.cli_sign_in.can_ask", lambda: True)
    monkeypatch.setattr("getpass.getpass", typed.getpass)
    return typed


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """An empty clinic: a SQLite file, then the same test on PostgreSQL."""
    if request.param == "sqlite":
        return databases.copy_sqlite(sqlite_template, tmp_path / "clinic.db")
    from tests.conftest import emptied_server_url

    return emptied_server_url(request, "postgresql")


def _with_staff(url: str) -> str:
    """``url`` after adding an administrator (jordan) and a front-desk member (dana)."""
    with Clinic.open(url) as clinic:
        clinic.admin.add_staff(
            username="jordan", full_name="Jordan Price", role="admin", password=ADMIN_PASSWORD, actor="setup"
        )
        clinic.admin.add_staff(
            username="dana",
            full_name="Dana Whitfield",
            role="front_desk",
            password=DESK_PASSWORD,
            actor="jordan",
            must_change_password=False,
        )
    return url


@pytest.fixture
def staffed(url: str) -> str:
    """A clinic with an administrator (jordan) and a front-desk member (dana)."""
    return _with_staff(url)


@pytest.fixture
def staffed_file(sqlite_url: str) -> str:
    """The same, in a SQLite file only (restoring a backup is for the local file)."""
    return _with_staff(sqlite_url)


def _private_file(path: Path, text: str) -> str:
    path.write_text(text)
    path.chmod(0o600)
    return str(path)


def _actions(url: str) -> list[tuple[str, str]]:
    with Clinic.open(url) as clinic:
        return [(record.action, record.actor) for record in clinic.audit(limit=50)]


# --- every staff action ---------------------------------------------------------------------


def test_first_administrator_then_every_staff_action(url: str, terminal: Terminal) -> None:
    code, out, _err = _run(["--db", url, "staff", "list"])
    assert code == 0 and "No staff accounts yet" in out

    # With no staff accounts --as is plain text and no password of its own is asked.
    terminal.type(ADMIN_PASSWORD, ADMIN_PASSWORD)
    argv = ["staff", "add", "--username", "jordan", "--full-name", "Jordan Price", "--role", "admin"]
    code, out, err = _run(["--db", url, *argv, "--as", "Front office PC"])
    assert code == 0, err
    assert out.splitlines()[0] == "Added jordan (Jordan Price), Administrator."
    assert terminal.prompts == ["New password for jordan: ", "Type the new password again: "]

    # From now on --as signs in: jordan's password first, then the new member's, twice.
    terminal.type(ADMIN_PASSWORD, DESK_PASSWORD, DESK_PASSWORD)
    argv = ["staff", "add", "--username", "maria", "--full-name", "Maria Lopez", "--role", "front_desk"]
    code, out, err = _run(["--db", url, *argv, "--as", "jordan"])
    assert code == 0, err
    assert "Added maria (Maria Lopez), Front desk." in out
    assert terminal.prompts[2:] == [
        "Password for jordan: ",
        "New password for maria: ",
        "Type the new password again: ",
    ]

    for argv, said in (
        (["set-role", "maria", "manager"], "maria (Maria Lopez) is now Manager."),
        (["disable", "maria"], "maria (Maria Lopez) can no longer sign in."),
        (["enable", "maria"], "maria (Maria Lopez) can sign in again."),
        (["unlock", "maria"], "the lockout is lifted"),
    ):
        terminal.type(ADMIN_PASSWORD)
        code, out, err = _run(["--db", url, "staff", *argv, "--as", "jordan"])
        assert code == 0, err
        assert said in out

    terminal.type(ADMIN_PASSWORD)
    code, out, err = _run(["--db", url, "staff", "reset-password", "maria", "--as", "jordan"])
    assert code == 0, err
    found = re.search(r"^Temporary password for maria: (\S+)$", out, re.MULTILINE)
    assert found is not None, out
    temporary = found[1]
    assert err == ""  # not a break-glass reset

    # The temporary password signs in but must be changed: the CLI says how.
    terminal.type(temporary)
    code, out, err = _run(["--db", url, "staff", "disable", "jordan", "--as", "maria"])
    assert code == 2 and out == ""
    assert "maria must choose a new password first: run `clinic-desk staff passwd --as maria`" in err
    terminal.type(temporary, NEW_PASSWORD, NEW_PASSWORD)
    code, out, err = _run(["--db", url, "staff", "passwd", "--as", "maria"])
    assert code == 0, err
    assert out.strip() == "Password changed for maria (Maria Lopez)."

    code, out, err = _run(["--db", url, "staff", "list"])
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == [
        "USERNAME",
        "FULL",
        "NAME",
        "ROLE",
        "ACTIVE",
        "LAST",
        "SIGN-IN",
        "LOCKED",
        "UNTIL",
    ]
    assert re.match(r"jordan\s+Jordan Price\s+Administrator\s+yes\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+-$", lines[1])
    assert re.match(r"maria\s+Maria Lopez\s+Manager\s+yes\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+-$", lines[2])
    for secret in (ADMIN_PASSWORD, DESK_PASSWORD, NEW_PASSWORD, temporary):
        assert secret not in out

    with Clinic.open(url) as clinic:
        assert clinic.admin.sign_in("maria", NEW_PASSWORD).role == "manager"
    actions = _actions(url)
    assert ("staff_added", "jordan") in actions
    for action in ("staff_role_changed", "staff_disabled", "staff_enabled", "staff_unlocked"):
        assert (action, "jordan") in actions
    assert ("staff_password_reset", "jordan") in actions
    assert ("staff_password_changed", "maria") in actions


def test_a_wrong_password_locked_or_disabled_member_exits_2_and_changes_nothing(
    staffed: str, terminal: Terminal
) -> None:
    terminal.type("not-my-password")
    code, out, err = _run(["--db", staffed, "staff", "set-role", "dana", "manager", "--as", "jordan"])
    assert code == 2 and out == ""
    assert _one_line(err) == (
        "clinic-desk: That username and password do not match. Check Caps Lock and try again."
    )
    # Five wrong passwords in a row lock the account; the message says until when.
    for _ in range(4):
        terminal.type("still-not-it")
        assert _run(["--db", staffed, "staff", "unlock", "dana", "--as", "jordan"])[0] == 2
    terminal.type(ADMIN_PASSWORD)
    code, _out, err = _run(["--db", staffed, "staff", "unlock", "dana", "--as", "jordan"])
    assert code == 2
    assert re.search(r"locked until \d\d:\d\d", _one_line(err))
    with Clinic.open(staffed) as clinic:
        assert {m.username: m.role for m in clinic.admin.list_staff()}["dana"] == "front_desk"
        clinic.admin.unlock_staff("jordan", actor="jordan")  # an administrator may lift their own lock
        clinic.admin.disable_staff("dana", actor="jordan")
    terminal.type(DESK_PASSWORD)
    code, _out, err = _run(["--db", staffed, "db", "secure-audit", "--app-role", "desk", "--as", "dana"])
    assert code == 2
    assert "This staff account is turned off." in _one_line(err)


def test_a_role_that_may_not_is_refused_before_any_new_password_is_asked(
    staffed: str, terminal: Terminal
) -> None:
    terminal.type(DESK_PASSWORD)
    argv = ["staff", "add", "--username", "omar", "--full-name", "Omar Haddad", "--role", "manager"]
    code, out, err = _run(["--db", staffed, *argv, "--as", "dana"])
    assert code == 1 and out == ""
    assert _one_line(err) == "clinic-desk: Only an administrator may manage staff accounts."
    assert terminal.prompts == ["Password for dana: "]
    with Clinic.open(staffed) as clinic:
        assert "omar" not in {member.username for member in clinic.admin.list_staff()}


def test_two_different_new_passwords_add_nobody(staffed: str, terminal: Terminal) -> None:
    terminal.type(ADMIN_PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x")
    argv = ["staff", "add", "--username", "omar", "--full-name", "Omar Haddad", "--role", "manager"]
    code, out, err = _run(["--db", staffed, *argv, "--as", "jordan"])
    assert code == 1 and out == ""
    assert "the two new passwords are not the same; nothing was changed." in _one_line(err)


def test_once_there_is_staff_a_changing_command_needs_as(staffed: str) -> None:
    for argv in (
        ["staff", "disable", "dana"],
        ["staff", "add", "--username", "omar", "--full-name", "Omar Haddad", "--role", "manager"],
        ["db", "secure-audit", "--app-role", "desk"],
        ["seed-demo", "--patients", "30"],
    ):
        code, out, err = _run(["--db", staffed, *argv])
        assert code == 2 and out == "", argv
        assert "this clinic has staff accounts: say who you are with --as USERNAME" in _one_line(err)


def test_without_a_terminal_the_password_file_is_named(staffed: str) -> None:
    code, out, err = _run(["--db", staffed, "staff", "disable", "dana", "--as", "jordan"])
    assert code == 2 and out == ""
    assert "there is no terminal to ask for the password on; give it with --password-file PATH" in err


# --- password files -------------------------------------------------------------------------


def test_password_files_work_and_one_others_can_read_is_refused(staffed: str, tmp_path: Path) -> None:
    own = _private_file(tmp_path / "jordan.txt", ADMIN_PASSWORD + "\nsecond line ignored\n")
    new = _private_file(tmp_path / "omar.txt", NEW_PASSWORD + "\n")
    argv = ["staff", "add", "--username", "omar", "--full-name", "Omar Haddad", "--role", "manager"]
    code, out, err = _run(
        ["--db", staffed, *argv, "--as", "jordan", "--password-file", own, "--new-password-file", new]
    )
    assert code == 0, err
    assert "Added omar (Omar Haddad), Manager." in out
    with Clinic.open(staffed) as clinic:
        assert clinic.admin.sign_in("omar", NEW_PASSWORD).must_change_password

    Path(own).chmod(0o644)
    code, out, err = _run(
        ["--db", staffed, "staff", "disable", "omar", "--as", "jordan", "--password-file", own]
    )
    assert code == 1 and out == ""
    assert "can be read by other users; make it private first (chmod 600)" in _one_line(err)
    assert ADMIN_PASSWORD not in err
    with Clinic.open(staffed) as clinic:
        assert next(m for m in clinic.admin.list_staff() if m.username == "omar").active

    code, out, err = _run(["--db", staffed, "staff", "reset-password", "omar", "--password-file", own])
    assert code == 2
    assert "give --as USERNAME too" in _one_line(err)


# --- no staff: --as is free text --------------------------------------------------------------


def test_with_no_staff_as_is_free_text_and_defaults_to_the_login_name(url: str, terminal: Terminal) -> None:
    terminal.type(ADMIN_PASSWORD, ADMIN_PASSWORD)
    argv = ["staff", "add", "--username", "jordan", "--full-name", "Jordan Price", "--role", "admin"]
    assert _run(["--db", url, *argv])[0] == 0
    with Clinic.open(url) as clinic:
        added = clinic.audit(action="staff_added")[0]
    assert added.note == f"First administrator, set up by {os_user()}."
    assert terminal.prompts == ["New password for jordan: ", "Type the new password again: "]


def test_the_first_account_must_be_an_administrator(url: str, terminal: Terminal) -> None:
    terminal.type(DESK_PASSWORD, DESK_PASSWORD)
    argv = ["staff", "add", "--username", "dana", "--full-name", "Dana Whitfield", "--role", "front_desk"]
    code, _out, err = _run(["--db", url, *argv, "--as", "installer"])
    assert code == 1
    assert _one_line(err) == "clinic-desk: The clinic's first staff account must be an administrator."


# --- break-glass ------------------------------------------------------------------------------


def test_break_glass_reset_works_without_a_sign_in_and_is_audited(staffed: str) -> None:
    code, out, err = _run(["--db", staffed, "staff", "reset-password", "jordan"])
    assert code == 0, err
    temporary = re.search(r"^Temporary password for jordan: (\S+)$", out, re.MULTILINE)
    assert temporary is not None
    line = _one_line(err)
    assert line.startswith("clinic-desk: warning: nobody signed in; this was recorded in the audit log as a ")
    assert f"break-glass reset by {os_user()} on " in line
    with Clinic.open(staffed) as clinic:
        entry = clinic.audit(action="staff_password_reset")[0]
        assert entry.actor == f"break-glass: {os_user()}"
        assert entry.note == "Run without a sign-in (break-glass)."
        assert clinic.admin.sign_in("jordan", temporary[1]).must_change_password


# --- other commands that change data ------------------------------------------------------------


def test_db_restore_over_a_staffed_clinic_takes_an_administrator(
    staffed_file: str, tmp_path: Path, terminal: Terminal
) -> None:
    staffed = staffed_file
    backup = tmp_path / "clinic-desk-backup-before.db"
    code, out, err = _run(["--db", staffed, "db", "backup", str(backup)])
    assert code == 0, err
    with Clinic.open(staffed) as clinic:
        add_ready_patient(clinic, actor="dana")
    code, _out, err = _run(["--db", staffed, "db", "restore", str(backup)])
    assert code == 2 and "say who you are with --as USERNAME" in err
    terminal.type(DESK_PASSWORD)
    code, _out, err = _run(["--db", staffed, "db", "restore", str(backup), "--as", "dana"])
    assert code == 1
    assert _one_line(err) == "clinic-desk: Only an administrator may change the clinic's settings."
    terminal.type(ADMIN_PASSWORD)
    code, out, err = _run(["--db", staffed, "db", "restore", str(backup), "--as", "jordan"])
    assert code == 0, err
    assert "Restored 0 patients" in out


def test_secure_audit_signs_in_too(staffed_file: str, terminal: Terminal) -> None:
    # On PostgreSQL it runs on an administrator's connection; the sign-in is the same.
    terminal.type(ADMIN_PASSWORD)
    code, out, err = _run(
        ["--db", staffed_file, "db", "secure-audit", "--app-role", "desk", "--as", "jordan"]
    )
    assert code == 0, err
    assert out.strip()


# --- no password in the output or the logs ------------------------------------------------------


def test_debug_logs_hold_no_password(
    staffed: str, tmp_path: Path, terminal: Terminal, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    terminal.type(ADMIN_PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
    argv = ["staff", "add", "--username", "omar", "--full-name", "Omar Haddad", "--role", "manager"]
    code, out, err = _run(["--db", staffed, *argv, "--as", "jordan", "--debug"])
    assert code == 0, err
    terminal.type("a-wrong-password-1")
    code, out2, err2 = _run(["--db", staffed, "staff", "unlock", "omar", "--as", "jordan", "--debug"])
    assert code == 2
    logged = caplog.text + "".join(str(record.args) for record in caplog.records)
    assert logged  # the database layer did log at DEBUG
    for secret in (ADMIN_PASSWORD, NEW_PASSWORD, "a-wrong-password-1"):
        assert secret not in logged + out + err + out2 + err2


# --- a real terminal ---------------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals are POSIX")
def test_passwords_typed_at_a_real_terminal_are_not_echoed(url: str) -> None:
    import pty
    import select
    import sys
    import time

    argv = ["staff", "add", "--username", "jordan", "--full-name", "Jordan Price", "--role", "admin"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command on the pseudo-terminal
        try:
            os.execve(
                sys.executable, [sys.executable, "-m", "clinic_desk", "--db", url, *argv, "--as", "x"], env
            )
        finally:
            os._exit(127)  # never back into pytest
    seen = b""
    deadline = time.monotonic() + 60

    def read_until(wanted: bytes) -> None:
        nonlocal seen
        while wanted not in seen:
            assert time.monotonic() < deadline, seen
            ready, _, _ = select.select([fd], [], [], 1)
            if ready:
                with contextlib.suppress(OSError):
                    chunk = os.read(fd, 1024)
                    if not chunk:
                        raise AssertionError(seen)
                    seen += chunk

    read_until(b"New password for jordan: ")
    os.write(fd, ADMIN_PASSWORD.encode() + b"\n")
    read_until(b"Type the new password again: ")
    os.write(fd, ADMIN_PASSWORD.encode() + b"\n")
    read_until(b"Added jordan (Jordan Price), Administrator.")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    assert ADMIN_PASSWORD.encode() not in seen
