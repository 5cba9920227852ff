"""Opening the window reads its command line without loading every other command's code."""

from __future__ import annotations

import pytest

from clinic_desk import cli, cli_window


@pytest.mark.parametrize(
    "typed",
    [
        [],
        ["--db", "sqlite:///clinic.db"],
        ["--db=sqlite:///clinic.db"],
        ["--debug", "--db", "sqlite:///c.db"],
    ],
)
def test_the_window_alone_is_read_without_the_commands(typed: list[str]) -> None:
    args = cli_window.window_only(typed)
    assert args is not None and args.handler is cli_window.open_window
    assert getattr(args, "db", None) == (typed[-1].removeprefix("--db=") if typed else None)
    assert getattr(args, "debug", False) == ("--debug" in typed)


@pytest.mark.parametrize(
    "typed",
    [
        ["gui"],
        ["--help"],
        ["--version"],
        ["--db", "sqlite:///clinic.db", "status", "1"],
        ["--db"],
        ["--db", "--debug"],
        ["--db", ""],
        ["--db", "sqlite:///clinic.db", "--db", "sqlite:///other.db", "--colour"],
    ],
)
def test_anything_else_goes_to_the_full_parser(typed: list[str]) -> None:
    assert cli_window.window_only(typed) is None


def test_a_bad_address_gets_the_full_parsers_words(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--db", " "]) == cli_window.EXIT_USAGE
    err = capsys.readouterr().err
    assert "usage: clinic-desk [-h] [--db URL] [--debug] [--version] COMMAND" in err
    assert "--db: is empty" in err


def test_version_is_read_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("clinic-desk ")
