"""`clinic-desk import FILE`: the report on the terminal, --dry-run, --map, --report, --as, exit codes."""

from __future__ import annotations

import contextlib
import csv
import io
import stat
from pathlib import Path

from clinic_desk import Clinic
from clinic_desk.cli import main
from tests.services.import_helpers import HEADER, person, write_csv
from tests.services.staff_helpers import STAFF_PASSWORD, add_team


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def test_import_prints_the_report_and_saves_it(sqlite_url: str, tmp_path: Path) -> None:
    rows = [person("C-1", Phone="555-0100\x1b[2J"), person("C-2", "Bo", "Ek\x1b[31m", DOB="not a date")]
    file = write_csv(tmp_path / "ehr.csv", rows, header=("Kennung", *HEADER[1:]))
    code, out, err = _run(["--db", sqlite_url, "import", str(file), "--dry-run", "--map", "Kennung=mrn"])
    assert (code, err) == (0, "")
    assert (
        out.splitlines()[0]
        == "Would create 1, update 0, leave 0 unchanged, reject 1; 1 value would not be imported."
    )
    assert "Row 3: Last name: remove the invisible" in out and "\x1b" not in out
    assert "  Row 2: Phone '555-0100?[2J' was not imported: " in out
    with Clinic.open(sqlite_url) as clinic:
        assert clinic.count_by_color() == {"red": 0, "gold": 0, "blue": 0}
    report = tmp_path / "report.csv"
    code, out, err = _run(
        ["--db", sqlite_url, "import", str(file), "--map", "Kennung=mrn", "--report", str(report)]
    )
    assert (
        code == 0
        and out.startswith("Created 1, updated 0, 0 unchanged, 1 rejected; 1 value not imported.")
        and "\x1b" not in out
    )
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    saved = list(csv.reader(report.open(encoding="utf-8")))
    assert saved[0] == ["outcome", "patient_id", "row", "message"] and [r[0] for r in saved[1:]] == [
        "created",
        "rejected",
        "warning",
    ]


def test_a_file_without_mrns_and_a_bad_map_are_said_plainly(sqlite_url: str, tmp_path: Path) -> None:
    file = write_csv(tmp_path / "ehr.csv", [person("C-1")], header=("Kennung", *HEADER[1:]))
    code, out, _err = _run(["--db", sqlite_url, "import", str(file)])
    assert code == 0 and "Row 2: MRN is missing" in out
    code, _out, err = _run(["--db", sqlite_url, "import", str(file), "--map", "Kennung"])
    assert code == 1 and "write COLUMN=FIELD" in err and "Traceback" not in err
    code, _out, err = _run(["--db", sqlite_url, "import", str(tmp_path / "missing.csv")])
    assert code == 1 and "does not exist" in err


def test_front_desk_may_not_import(sqlite_url: str, tmp_path: Path) -> None:
    with Clinic.open(sqlite_url) as clinic:
        team = add_team(clinic)
    secret = tmp_path / "pw"
    secret.write_text(STAFF_PASSWORD)
    secret.chmod(0o600)
    file = write_csv(tmp_path / "ehr.csv", [person("C-1")])
    sign_in = ["--password-file", str(secret)]
    code, _out, err = _run(["--db", sqlite_url, "import", str(file), "--as", team.front_desk, *sign_in])
    assert code != 0 and "import patients" in err
    code, out, _err = _run(["--db", sqlite_url, "import", str(file), "--as", team.manager, *sign_in])
    assert code == 0 and out.startswith("Created 1")


def test_clear_empty_clears_an_empty_phone_and_is_off_by_default(sqlite_url: str, tmp_path: Path) -> None:
    first = write_csv(tmp_path / "1.csv", [person("C-1")])
    assert _run(["--db", sqlite_url, "import", str(first)])[0] == 0
    empty = write_csv(tmp_path / "2.csv", [person("C-1", Phone="")])
    code, out, _err = _run(["--db", sqlite_url, "import", str(empty)])
    assert code == 0 and out.startswith("Created 0, updated 0, 1 unchanged")
    code, out, _err = _run(["--db", sqlite_url, "import", str(empty), "--clear-empty"])
    assert code == 0 and out.startswith("Created 0, updated 1, 0 unchanged")
    with Clinic.open(sqlite_url) as clinic:
        assert clinic.staff.find_patients("C-1")[0].phone is None
