"""Everything the clinic-desk command prints shows control characters as escapes and echoes little.

Names with escape sequences cannot be typed through the facade any more, but an older
version, an import or a hand edit may have stored them: they are written here with SQL.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from clinic_desk import Clinic
from clinic_desk.cli import main
from clinic_desk.cli_output import ECHO_LIMIT, LINE_LIMIT, echo, is_hidden, json_text, shown, tame
from tests.services.helpers import add_ready_patient

HOSTILE_LAST_NAME = "Lopez\x1b[2J\x1b]0;pwned\x07\r\u202eZ\u200b\x9b31m"


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _store_last_name(url: str, patient_id: int, last_name: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE patients SET last_name = :name WHERE id = :id"),
            {"name": last_name, "id": patient_id},
        )
    engine.dispose()


def test_shown_escapes_what_a_terminal_would_act_on() -> None:
    assert shown("José Núñez O’Brien") == "José Núñez O’Brien"
    assert shown("a\x1b[31mb") == "a\\x1b[31mb"
    assert shown("x\r\ny\tz\x7f\x9b") == "x\\r\\ny\\tz\\x7f\\x9b"
    assert shown("\u202eevil\u200b\u2028") == "\\u202eevil\\u200b\\u2028"
    assert shown("\udcff") == "\\udcff"
    assert shown("\U000e0001") == "\\U000e0001"


def test_echo_keeps_a_short_prefix() -> None:
    assert echo("x" * ECHO_LIMIT) == "x" * ECHO_LIMIT
    assert echo("x" * 10_000) == "x" * ECHO_LIMIT + "…"
    assert echo("\x1b" * 100) == "\\x1b" * ECHO_LIMIT + "…"


def test_tame_cuts_typed_arguments_and_caps_the_line() -> None:
    typed = ["status", "9" * 5000]
    line = tame(f"No patient with id or MRN '{'9' * 5000}' was found.", typed)
    assert line == f"No patient with id or MRN '{'9' * ECHO_LIMIT}…' was found."
    assert len(tame("word " * 1000)) == LINE_LIMIT
    # The message's own line breaks are joined; a typed one stays visible.
    assert tame("No patient with id or MRN 'a\nb'\nwas found.", ["a\nb"]) == (
        "No patient with id or MRN 'a\\nb' was found."
    )
    # A path taken out of a typed --db address is not the argument itself, but is cut all the same.
    path = "/x" * 3000
    assert tame(f"Local file {path}: the database cannot be opened.", [f"sqlite:///{path}"]) == (
        f"Local file {path[:ECHO_LIMIT]}… the database cannot be opened."
    )


@settings(max_examples=200)
@given(st.recursive(st.text(st.characters(exclude_categories=())), lambda inner: st.lists(inner, max_size=3)))
def test_json_text_is_valid_json_without_hidden_characters(value: object) -> None:
    document = {"name": value}
    written = json_text(document)
    assert json.loads(written) == document
    assert not any(is_hidden(character) for character in written.replace("\n", ""))


@settings(max_examples=300)
@given(st.text(st.characters(exclude_categories=())))
def test_shown_never_leaves_a_hidden_character(value: str) -> None:
    assert not any(is_hidden(character) for character in shown(value))
    assert not any(is_hidden(character) for character in echo(value))
    assert len(echo(value)) <= ECHO_LIMIT * 10 + 1


def test_status_never_prints_escape_sequences_from_the_data(sqlite_url: str) -> None:
    with Clinic.open(sqlite_url) as clinic:
        patient_id = add_ready_patient(clinic)
    _store_last_name(sqlite_url, patient_id, HOSTILE_LAST_NAME)

    code, out, err = _run(["status", str(patient_id), "--db", sqlite_url])
    assert code == 0, err
    first = out.splitlines()[0]
    assert first.startswith("Ana Lopez\\x1b[2J\\x1b]0;pwned\\x07\\r\\u202eZ\\u200b\\x9b31m (MRN ")
    assert not any(is_hidden(character) for character in out.replace("\n", ""))

    code, out, err = _run(["status", str(patient_id), "--db", sqlite_url, "--json"])
    assert code == 0, err
    assert not any(is_hidden(character) for character in out.replace("\n", ""))
    assert json.loads(out)["name"] == f"Ana {HOSTILE_LAST_NAME}"  # escaped on screen, intact as JSON


def test_log_lines_are_escaped_and_carry_no_traceback() -> None:
    import logging

    from clinic_desk.cli_output import PlainLogFormatter

    try:
        raise RuntimeError("row for ana.lopez@example.com")
    except RuntimeError:
        record = logging.LogRecord(
            "clinic_desk.x", logging.WARNING, __file__, 1, "run failed for %s", ("a\x1b[2Jb",), sys.exc_info()
        )
    line = PlainLogFormatter("clinic-desk", debug=False).format(record)
    assert line == "clinic-desk: WARNING: run failed for a\\x1b[2Jb"
    full = PlainLogFormatter("clinic-desk", debug=True).format(record)
    assert "ana.lopez@example.com" in full  # --debug: the developer asked for everything
