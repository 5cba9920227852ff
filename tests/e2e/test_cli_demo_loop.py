"""``seed-demo --portal-url --mail-port``: the demo clinic's emails go to its own catcher and portal."""

from __future__ import annotations

import contextlib
import io

from clinic_desk import Clinic
from clinic_desk.cli import main
from clinic_desk.demo.people import ADMIN


def _run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(argv)
    return code, out.getvalue()


def test_seed_demo_points_the_demo_at_its_own_portal_and_catcher(sqlite_url: str) -> None:
    code, said = _run(
        [
            "--db",
            sqlite_url,
            "seed-demo",
            "--patients",
            "30",
            "--as",
            "installer",
            "--portal-url",
            "http://127.0.0.1:8080",
            "--mail-port",
            "8025",
        ]
    )
    assert code == 0, said
    assert "sends its emails to the demo mail catcher on 127.0.0.1:8025" in said
    # Run again on the built demo (what run-demo.sh does every time): only the settings change.
    code, said = _run(
        ["--db", sqlite_url, "seed-demo", "--portal-url", "http://127.0.0.1:8181", "--mail-port", "8026"]
    )
    assert code == 0, said
    assert "nothing to build" in said
    with Clinic.open(sqlite_url) as clinic:
        settings = clinic.settings
        assert (settings.portal_url, settings.smtp_host, settings.smtp_port) == (
            "http://127.0.0.1:8181",
            "127.0.0.1",
            8026,
        )
        assert (settings.smtp_security, settings.smtp_username) == ("none", "")
        changes = clinic.audit(action="update_settings")
        assert changes and {entry.actor for entry in changes} == {ADMIN}


def test_a_bad_portal_address_is_refused_before_anything_is_built(sqlite_url: str) -> None:
    seed = ["seed-demo", "--patients", "30", "--as", "installer"]
    code, said = _run(["--db", sqlite_url, *seed, "--portal-url", "not an address"])
    assert code == 1
    assert "Portal web address" in said, said
    assert "Traceback" not in said
    with Clinic.open(sqlite_url) as clinic:
        assert sum(clinic.count_by_color().values()) == 0
