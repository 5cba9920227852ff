"""The clinic-desk command, end to end on a real SQLite file and real PostgreSQL and MariaDB databases.

The demo seed is the proof that every colour, reason and trouble spot of DESIGN.md is
reachable through the public facade: each showcase patient's status is read back
through `clinic-desk status --json` and compared with what the contract says.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from clinic_desk import Clinic
from clinic_desk.cli import main
from clinic_desk.db import schema
from clinic_desk.domain.text_rules import PATIENT_ACTOR
from tests import databases
from tests.e2e.showcase import EXPECTED

HEAD = schema.head_revision()  # the newest schema this version knows

DEMO_PATIENTS = 60
SHOWCASE_LINE = re.compile(r"^\s+(?P<key>[a-z_]+)\s+id (?P<id>\d+)\s+MRN (?P<mrn>\d+)\s+(?P<name>.+)$")


class Demo:
    """A seeded demo clinic and what `seed-demo` printed about it."""

    def __init__(self, url: str, output: str) -> None:
        self.url = url
        self.output = output
        self.ids: dict[str, int] = {}
        self.mrns: dict[str, str] = {}
        self.names: dict[str, str] = {}
        for line in output.splitlines():
            match = SHOWCASE_LINE.match(line)
            if match:
                self.ids[match["key"]] = int(match["id"])
                self.mrns[match["key"]] = match["mrn"]
                self.names[match["key"]] = match["name"]


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module", params=["sqlite", "postgresql", "mariadb"])
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[Demo]:
    """A demo clinic of 60 patients seeded by `clinic-desk seed-demo`, once per database."""
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            url = databases.copy_sqlite(sqlite_template, tmp_path_factory.mktemp("demo") / "clinic.db")
        elif request.param == "postgresql":
            url = stack.enter_context(databases.postgres_database())
        else:
            url = stack.enter_context(databases.mariadb_database())
        code, out, err = _run(["--db", url, "seed-demo", "--patients", str(DEMO_PATIENTS)])
        assert code == 0, err
        yield Demo(url, out)


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("clinic-desk: ")
    assert "Traceback" not in err
    return lines[0]


# --- seed-demo and status -----------------------------------------------------------------


def test_seed_demo_prints_every_showcase_patient_and_the_colour_counts(demo: Demo) -> None:
    assert set(demo.ids) == set(EXPECTED)
    assert len(set(demo.ids.values())) == len(EXPECTED)
    assert f"Built a demo clinic of {DEMO_PATIENTS} patients in " in demo.output
    counts = re.search(r"Patients by colour: red (\d+), gold (\d+), blue (\d+) \((\d+) in all\)", demo.output)
    assert counts is not None, demo.output
    red, gold, blue, total = map(int, counts.groups())
    assert red + gold + blue == total == DEMO_PATIENTS
    assert min(red, gold, blue) > 0
    assert re.search(r"Done in \d+\.\d s\.", demo.output)
    # Names with accents and preferred names survive the round trip.
    assert demo.names["expired_invite"] == "José Núñez"
    assert demo.names["red_unconfirmed"] == "María González"
    assert demo.names["gold_invited"] == 'Robert "Bob" Miller'


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_every_showcase_patient_has_its_colour_reasons_and_trouble_spots(demo: Demo, key: str) -> None:
    code, out, err = _run(["--db", demo.url, "status", str(demo.ids[key]), "--json"])
    assert code == 0, err
    document = json.loads(out)
    color, reasons, troubles = EXPECTED[key]
    assert document["patient_id"] == demo.ids[key]
    assert document["mrn"] == demo.mrns[key]
    assert document["color"] == color
    assert tuple(item["code"] for item in document["reasons"]) == reasons
    assert tuple(item["code"] for item in document["trouble_spots"]) == troubles
    assert document["headline"]
    assert all(item["message"] for item in document["reasons"] + document["trouble_spots"])


def _status_json(demo: Demo, key: str) -> dict[str, object]:
    code, out, err = _run(["--db", demo.url, "status", demo.mrns[key], "--json"])
    assert code == 0, err
    document: dict[str, object] = json.loads(out)
    return document


def _facts(document: dict[str, object], group: str, code: str) -> dict[str, object]:
    items = document[group]
    assert isinstance(items, list)
    found: dict[str, object] = next(item for item in items if item["code"] == code)["facts"]
    return found


def test_status_json_carries_the_facts_behind_each_item(demo: Demo) -> None:
    disabled = _facts(_status_json(demo, "red_disabled"), "reasons", "access_disabled_by_staff")
    assert disabled["note"] == "Parent asked to turn the portal off while custody is reviewed."
    assert str(disabled["disabled_at"]).endswith("+00:00")  # ISO, with the time zone

    unconfirmed = _facts(_status_json(demo, "red_unconfirmed"), "reasons", "registration_unconfirmed")
    assert unconfirmed["confirmation_sent_to"] == "maria.gonzalez@gmial.com"
    assert unconfirmed["suggestion"] == "maria.gonzalez@gmail.com"

    bounced = _facts(_status_json(demo, "delivery_failed"), "trouble_spots", "email_delivery_failed")
    assert str(bounced["failure_reason"]).startswith("550 5.1.1 ")
    assert "mailbox unavailable" in str(bounced["failure_reason"])

    shared = _facts(_status_json(demo, "shared_email"), "trouble_spots", "shared_email")
    charts = shared["charts"]
    assert isinstance(charts, list)
    assert [chart["username"] for chart in charts] == ["priya.patel", None]

    old = _facts(_status_json(demo, "old_email_username"), "trouble_spots", "username_is_old_email")
    assert old == {"username": "linda.carter@aol.com", "email": "linda.carter@outlook.com"}

    locked = _facts(_status_json(demo, "locked"), "trouble_spots", "account_locked")
    assert locked["failed_logins"] == 5

    expired = _status_json(demo, "expired_invite")
    assert expired["name"] == "José Núñez"


def test_status_text_names_the_patient_and_every_code(demo: Demo, capsys: pytest.CaptureFixture[str]) -> None:
    # By MRN, with --db after the command.
    assert main(["status", demo.mrns["shared_email"], "--db", demo.url]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == f"Arjun Patel (MRN {demo.mrns['shared_email']}, patient id {demo.ids['shared_email']})"
    assert lines[1] == "GOLD: Portal access is on, but the patient has never logged in"
    assert "Reasons:" in lines and "Trouble spots:" in lines
    assert any(line.startswith("  never_logged_in: ") for line in lines)
    assert any(line.startswith("  no_invitation_sent: ") for line in lines)
    assert any(line.startswith("  shared_email: ") and "priya.patel" in line for line in lines)

    assert main(["--db", demo.url, "status", str(demo.ids["blue"])]) == 0
    out = capsys.readouterr().out
    assert "Trouble spots:\n  none\n" in out


def test_status_in_a_real_process(demo: Demo) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "clinic_desk",
            "--db",
            demo.url,
            "status",
            demo.mrns["expired_invite"],
            "--json",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["name"] == "José Núñez"
    assert document["color"] == "gold"
    assert [item["code"] for item in document["trouble_spots"]] == ["invitation_expired"]

    missing = subprocess.run(
        [sys.executable, "-m", "clinic_desk", "--db", demo.url, "status", "999999"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert missing.returncode == 1
    assert missing.stdout == ""
    assert _one_line(missing.stderr) == "clinic-desk: No patient with id or MRN '999999' was found."


DEMO_STAFF_LINE = re.compile(
    r"^  (?P<username>[a-z]+)\s+password (?P<password>\S+)\s+(?P<name>[^,]+), (?P<role>.+)$"
)


def _demo_staff(output: str) -> dict[str, tuple[str, str]]:
    """username -> (password, role label), from the lines after 'Demo staff'."""
    after = output.split("Demo staff", 1)[1].splitlines()[1:]
    return {m["username"]: (m["password"], m["role"]) for m in map(DEMO_STAFF_LINE.match, after) if m}


def test_seed_demo_prints_demo_staff_of_each_role_once_and_they_sign_in(demo: Demo) -> None:
    assert demo.output.count("Demo staff") == 1
    assert demo.output.rstrip().splitlines()[-4].startswith("Demo staff (sign in at the window")
    staff = _demo_staff(demo.output)
    assert sorted(role for _password, role in staff.values()) == ["Administrator", "Front desk", "Manager"]
    with Clinic.open(demo.url) as clinic:
        for username, (password, _role) in staff.items():
            member = clinic.admin.sign_in(username, password)
            assert not member.must_change_password
        # The demo's history names people who can sign in (or the portal, for what patients did).
        actors = {record.actor for record in clinic.audit(limit=500)}
    assert actors - {PATIENT_ACTOR} <= set(staff), actors


def test_seeding_again_on_the_demo_builds_nothing_and_says_who_signs_in(demo: Demo) -> None:
    code, out, err = _run(["--db", demo.url, "seed-demo", "--patients", "10"])
    assert code == 0, err
    assert f"is already a demo clinic ({DEMO_PATIENTS} patients): nothing to build." in out.splitlines()[0]
    assert _demo_staff(out) == _demo_staff(demo.output)


def test_seeding_a_clinic_that_has_patients_is_refused(sqlite_url: str) -> None:
    with Clinic.open(sqlite_url) as clinic:
        for first in ("Ada", "Alan"):
            clinic.staff.add_patient(
                first_name=first, last_name="Turing", date_of_birth="1990-01-02", actor="desk"
            )
    code, out, err = _run(["--db", sqlite_url, "seed-demo", "--patients", "10"])
    assert code == 1
    assert out == ""
    assert "already has 2 patients" in _one_line(err)
    with Clinic.open(sqlite_url) as clinic:
        assert not clinic.admin.has_staff()


# --- problems: one line, exit 1, never a password -------------------------------------


def test_unknown_patient_is_one_line(sqlite_url: str) -> None:
    code, out, err = _run(["--db", sqlite_url, "status", "424242"])
    assert code == 1
    assert out == ""
    assert _one_line(err) == "clinic-desk: No patient with id or MRN '424242' was found."


@pytest.mark.parametrize(
    "url",
    [
        "not a database address",
        "postgress://frontdesk:hunter2@db.example/clinic",  # typo in the scheme
        "nosuchdb+driver://frontdesk:hunter2@localhost/clinic",
    ],
)
def test_a_bad_db_url_is_one_line_without_the_password(url: str) -> None:
    code, out, err = _run(["--db", url, "status", "1"])
    assert code == 1
    line = _one_line(err)
    assert "not a database address" in line
    assert "hunter2" not in out + err


def test_an_unreachable_server_is_one_line_without_the_password() -> None:
    code, _out, err = _run(["--db", "postgresql://frontdesk:hunter2@127.0.0.1:1/clinic", "status", "1"])
    assert code == 1
    line = _one_line(err)
    assert line == (
        "clinic-desk: Server 127.0.0.1:1/clinic: the server cannot be reached "
        "(check the address, the port and the network)."
    )
    assert "hunter2" not in err


def test_a_missing_database_on_a_running_server_is_one_line() -> None:
    databases.require_server("PostgreSQL", databases.PG_HOST, databases.PG_PORT)
    url = f"postgresql://postgres@{databases.PG_HOST}:{databases.PG_PORT}/clinic_desk_no_such_database"
    code, _out, err = _run(["--db", url, "status", "1"])
    assert code == 1
    assert "there is no database of that name on the server" in _one_line(err)


def test_a_file_that_is_not_a_database_is_one_line(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n" * 100)
    code, _out, err = _run(["--db", f"sqlite:///{notes}", "status", "1"])
    assert code == 1
    assert _one_line(err).startswith(f"clinic-desk: Local file {notes}: ")


def test_command_line_mistakes_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-command"]) == 2
    assert main(["status"]) == 2
    assert main(["seed-demo", "--patients", "-5"]) == 2
    assert main(["screenshot", "--patient", "1", "--out", "x.png", "--scale", "zero"]) == 2
    assert main(["db"]) == 2
    err = capsys.readouterr().err
    assert "usage: clinic-desk" in err
    assert "Traceback" not in err
    assert main(["--help"]) == 0
    assert "seed-demo" in capsys.readouterr().out


def test_ctrl_c_exits_130(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import clinic_desk.demo

    def interrupted(*_args: object, **_kwargs: object) -> dict[str, int]:
        raise KeyboardInterrupt

    monkeypatch.setattr(clinic_desk.demo, "seed_demo", interrupted)
    code, _out, err = _run(["--db", sqlite_url, "seed-demo"])
    assert code == 130
    assert _one_line(err) == "clinic-desk: interrupted"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the no-screen check is for Linux")
def test_the_window_without_a_screen_says_how_to_run_it(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    for argv in (["--db", sqlite_url], ["--db", sqlite_url, "gui"]):
        code, out, err = _run(argv)
        assert code == 2
        assert out == ""
        assert "xvfb-run" in _one_line(err)


# --- the schema -------------------------------------------------------------------------


def test_db_upgrade_twice_is_fine(db_url: str) -> None:
    for _ in range(2):
        code, out, err = _run(["--db", db_url, "db", "upgrade"])
        assert code == 0, err
        assert f"the schema is already current (revision {HEAD}); nothing to do." in out
    code, out, err = _run(["db", "check", "--db", db_url])
    assert code == 0, err
    assert f"the schema is current (revision {HEAD})" in out


def test_db_upgrade_creates_a_new_file_then_has_nothing_to_do(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'clinic.db'}"
    code, out, err = _run(["db", "check", "--db", url])
    assert code == 1
    assert "does not exist yet" in _one_line(err)
    code, out, err = _run(["db", "upgrade", "--db", url])
    assert code == 0, err
    assert out.strip() == (
        f"Local file {tmp_path / 'new' / 'clinic.db'}: schema upgraded from empty (new database) to {HEAD} "
        "(the newest this version knows)."
    )
    code, out, err = _run(["db", "upgrade", "--db", url])
    assert code == 0, err
    assert "nothing to do" in out


@pytest.fixture(params=["sqlite", "postgresql", "mariadb"])
def newer_database(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """A clinic database stamped by a (pretend) newer Clinic Desk."""
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            url = databases.copy_sqlite(sqlite_template, tmp_path / "clinic.db")
        else:
            make = (
                databases.postgres_database if request.param == "postgresql" else databases.mariadb_database
            )
            url = stack.enter_context(make())
            Clinic.open(url).close()
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '0042_from_the_future'"))
        engine.dispose()
        yield url


@pytest.mark.parametrize("command", [["status", "1"], ["db", "upgrade"], ["db", "check"], ["seed-demo"]])
def test_a_database_from_a_newer_version_is_refused(newer_database: str, command: list[str]) -> None:
    code, out, err = _run(["--db", newer_database, *command])
    assert code == 1
    assert out == ""
    assert _one_line(err) == (
        "clinic-desk: This database was set up by a newer version of Clinic Desk (schema "
        "0042_from_the_future). Update Clinic Desk on this computer before using it."
    )
    engine = create_engine(newer_database)
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == "0042_from_the_future"
    engine.dispose()


# --- the screenshot -----------------------------------------------------------------------


@pytest.mark.slow
def test_screenshot_in_a_real_process(demo: Demo, tmp_path: Path) -> None:
    out = tmp_path / "shots" / "locked.png"
    password = tmp_path / "dana.txt"  # the demo's front desk signs in, as at the window
    password.write_text(_demo_staff(demo.output)["dana"][0] + "\n")
    password.chmod(0o600)
    env = {key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)  # the command must pick offscreen by itself
    done = subprocess.run(
        [
            sys.executable, "-m", "clinic_desk", "--db", demo.url, "screenshot",
            "--patient", demo.mrns["locked"], "--out", str(out), "--hover", "--scale", "2",
            "--as", "dana", "--password-file", str(password),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Saved {out}"
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    # Twice the 1280x800 window: crisp for a HiDPI screen.
    assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == (2560, 1600)


def test_screenshot_of_a_clinic_with_staff_needs_a_sign_in(demo: Demo, tmp_path: Path) -> None:
    code, out, err = _run(
        ["--db", demo.url, "screenshot", "--patient", "1", "--out", str(tmp_path / "x.png")]
    )
    assert code == 2 and out == ""
    assert "this clinic has staff accounts: say who you are with --as USERNAME" in _one_line(err)
    assert not (tmp_path / "x.png").exists()
