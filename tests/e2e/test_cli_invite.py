"""`clinic-desk invite`, in-process on a real SQLite file: preview, confirmation, sending, refusals."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from clinic_desk import Clinic
from clinic_desk.cli import main
from clinic_desk.db.models import AuditEntry, OutboxEmail
from tests.conftest import FakeClock
from tests.services.helpers import STAFF, add_ready_patient
from tests.services.staff_helpers import STAFF_PASSWORD, add_team


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _emails_and_entries(url: str) -> tuple[int, int]:
    with Clinic.open(url) as clinic, clinic.reading() as session:
        return (
            session.scalar(select(func.count()).select_from(OutboxEmail)) or 0,
            session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
        )


@pytest.fixture
def clinic_file(sqlite_url: str, clock: FakeClock) -> dict[str, object]:
    """Three patients ready to invite, one without email, one deceased; their MRNs by name."""
    with Clinic.open(sqlite_url, clock=clock) as clinic:
        ids = {
            "ana": add_ready_patient(clinic, "Ana", "Lopez"),
            "ben": add_ready_patient(clinic, "Ben", "Smith"),
            "cy": add_ready_patient(clinic, "Cy", "Smithers"),
            "nia": add_ready_patient(clinic, "Nia", "Noemail", email=None),
            "dan": add_ready_patient(clinic, "Dan", "Dead"),
        }
        clinic.staff.set_patient_status(ids["dan"], "deceased", actor=STAFF)
        mrns = {name: clinic.staff.chart(pid).mrn for name, pid in ids.items()}
    return {"url": sqlite_url, "mrns": mrns}


def test_dry_run_previews_the_batch_and_writes_nothing(clinic_file: dict[str, object]) -> None:
    url = str(clinic_file["url"])
    mrns = clinic_file["mrns"]
    assert isinstance(mrns, dict)
    before = _emails_and_entries(url)

    code, out, err = _run(["invite", "--db", url, "--as", "mia", "--dry-run"])

    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "5 patients asked for: 3 will get an invitation, 2 will be skipped."
    assert f"  MRN {mrns['nia']}: Nia Noemail has no email on file, so no email can be sent." in lines
    assert any(line.startswith(f"  MRN {mrns['dan']}: Dan Dead is deceased") for line in lines)
    assert lines[-1] == "Dry run: nothing was sent."
    assert "5 of 5 patients checked" in err
    assert _emails_and_entries(url) == before


def test_yes_sends_and_a_second_run_finds_nobody(clinic_file: dict[str, object]) -> None:
    url = str(clinic_file["url"])

    code, out, err = _run(["invite", "--db", url, "--as", "mia", "--filter", "text=smith", "--yes"])

    assert code == 0, err
    assert out.splitlines()[0] == "2 patients asked for: 2 will get an invitation, 0 will be skipped."
    assert "Queued 2 invitations; 0 skipped" in out
    assert "2 of 2 patients done" in err
    assert _emails_and_entries(url)[0] == 2
    code, out, _ = _run(["invite", "--db", url, "--as", "mia", "--search", "smith", "--yes"])
    assert code == 0
    assert "Nobody to invite: nothing was sent." in out
    assert "Ben Smith already has an invitation waiting to be sent." in out
    assert _emails_and_entries(url)[0] == 2


def test_filter_words_and_options_combine(clinic_file: dict[str, object]) -> None:
    url = str(clinic_file["url"])
    code, out, _ = _run(
        [
            "invite",
            "--db",
            url,
            "--as",
            "mia",
            "--filter",
            "color=gold trouble=no_invitation_sent",
            "--dry-run",
        ]
    )
    assert code == 0 and out.startswith("3 patients asked for: 3 will get an invitation")
    code, out, _ = _run(["invite", "--db", url, "--as", "mia", "--color", "red", "--dry-run"])
    assert code == 0 and out.startswith("2 patients asked for: 0 will get an invitation, 2 will be skipped.")


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--filter", "colour=purple"], "color 'purple' is not one the roster knows"),
        (["--filter", "shoe=9"], "'shoe=9' is not one of color="),
        (["--filter", "color=gold", "--color", "red"], "disagree"),
        (["--mrn", "1", "--color", "red"], "either --mrn or a filter"),
    ],
)
def test_a_bad_filter_is_one_line_and_sends_nothing(
    clinic_file: dict[str, object], argv: list[str], words: str
) -> None:
    url = str(clinic_file["url"])
    code, out, err = _run(["invite", "--db", url, "--as", "mia", *argv, "--yes"])
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and words in err
    assert _emails_and_entries(url)[0] == 0


def test_mrns_unknown_ones_said(clinic_file: dict[str, object]) -> None:
    url = str(clinic_file["url"])
    mrns = clinic_file["mrns"]
    assert isinstance(mrns, dict)
    code, out, _ = _run(["invite", "--db", url, "--as", "mia", "--mrn", mrns["ana"], "NOPE-1", "--yes"])
    assert code == 0
    assert out.splitlines()[:2] == [
        "2 patients asked for: 1 will get an invitation, 1 will be skipped.",
        "  MRN NOPE-1: no chart has this MRN.",
    ]
    assert _emails_and_entries(url)[0] == 1


def test_without_a_terminal_it_asks_for_yes(clinic_file: dict[str, object]) -> None:
    url = str(clinic_file["url"])
    code, _out, err = _run(["invite", "--db", url, "--as", "mia"])
    assert code == 1 and "add --yes" in err
    assert _emails_and_entries(url)[0] == 0


@pytest.mark.parametrize(("answer", "code", "sent"), [("n", 1, 0), ("", 1, 0), ("y", 0, 3)])
def test_the_question_decides(
    clinic_file: dict[str, object], monkeypatch: pytest.MonkeyPatch, answer: str, code: int, sent: int
) -> None:
    url = str(clinic_file["url"])
    monkeypatch.setattr("clinic_desk.cli_sign_in.can_ask", lambda: True)
    asked: list[str] = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or answer)
    got, out, _ = _run(["invite", "--db", url, "--as", "mia"])
    assert asked == ["Send 3 invitations? [y/N] "]
    assert got == code and _emails_and_entries(url)[0] == sent
    assert ("Nothing was sent." in out) == (sent == 0)


def test_front_desk_is_refused_a_manager_signs_in(clinic_file: dict[str, object], tmp_path: Path) -> None:
    url = str(clinic_file["url"])
    with Clinic.open(url) as clinic:
        team = add_team(clinic)
    password_file = tmp_path / "password"
    password_file.write_text(STAFF_PASSWORD + "\n")
    password_file.chmod(0o600)
    sign_in = ["--password-file", str(password_file), "--yes"]

    code, out, err = _run(["invite", "--db", url, "--as", team.front_desk, *sign_in])
    assert code == 1 and out == ""
    assert "Only a manager or an administrator may send invitations in bulk." in err
    assert _emails_and_entries(url)[0] == 0

    code, out, err = _run(["invite", "--db", url, "--as", team.manager, *sign_in])
    assert code == 0, err
    assert _emails_and_entries(url)[0] == 3
    with Clinic.open(url) as clinic:
        [batch] = clinic.audit(action="send_invitations")
    assert batch.actor == team.manager and batch.after["queued"] == 3
