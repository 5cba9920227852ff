"""`clinic-desk audit verify` and `clinic-desk db secure-audit` on a real SQLite file."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from sqlalchemy import create_engine, text

from clinic_desk import Clinic
from clinic_desk.cli import main
from tests.services.helpers import add_ready_patient


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def test_audit_verify_says_intact_then_names_the_edited_entry(sqlite_url: str) -> None:
    with Clinic.open(sqlite_url) as clinic:
        add_ready_patient(clinic)
        add_ready_patient(clinic, "Ben")
    code, out, err = _run(["audit", "verify", "--db", sqlite_url])
    assert code == 0, err
    assert "The audit log is intact: 2 entries checked." in out and "Newest entry 2, hash " in out

    engine = create_engine(sqlite_url)
    with engine.begin() as connection:  # someone with the file and a SQLite shell
        connection.execute(text("DROP TRIGGER audit_log_no_update"))
        connection.execute(text("UPDATE audit_log SET actor = 'nobody' WHERE id = 1"))
    engine.dispose()
    code, out, err = _run(["audit", "verify", "--db", sqlite_url])
    assert code == 1
    assert "tampered with: entry 1 was changed" in out


def test_audit_verify_never_creates_a_database(tmp_path: Path) -> None:
    path = tmp_path / "typo" / "clinic.db"
    code, _out, err = _run(["audit", "verify", "--db", f"sqlite:///{path}"])
    assert code == 1 and "does not exist" in err
    assert not path.parent.exists()


def test_secure_audit_on_a_local_file_says_what_protects_it(sqlite_url: str) -> None:
    code, out, err = _run(["db", "secure-audit", "--app-role", "desk", "--db", sqlite_url])
    assert code == 0, err
    assert "local file has no database roles" in out
