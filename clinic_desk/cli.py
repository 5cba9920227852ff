"""The ``clinic-desk`` command: the window (default), a patient's portal status, a demo, the schema.

Every problem Clinic Desk expects (a bad database address, a patient who is not
there, a database from a newer version) is said in one line on stderr with exit
code 1; a mistyped command line, or a refused ``--as`` sign-in, exits 2; Ctrl+C
exits 130. Anything unexpected is one generic line too (exit 1): never a traceback,
whose text could hold patient data (``--debug`` shows it to a developer). Database
addresses are only ever shown as "Local file ..." or "Server host:port/name", never
with their password. Every line of data goes through ``cli_output`` (control
characters escaped, short echoes).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Callable, Sequence

from clinic_desk.cli_arguments import Mistyped
from clinic_desk.cli_output import complain, use_plain_logging
from clinic_desk.cli_window import (
    EXIT_INTERRUPTED,
    EXIT_PROBLEM,
    EXIT_USAGE,
    PROG,
    window_only,
)
from clinic_desk.domain.errors import ClinicDeskError


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser: every command (``--db`` works before or after the command)."""
    from clinic_desk.cli_commands import build_parser as every_command

    return every_command()


def _tolerant_output() -> None:
    """Print names like 'Núñez' even to a console that cannot show them, instead of crashing."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            with contextlib.suppress(ValueError, io.UnsupportedOperation):
                stream.reconfigure(errors="backslashreplace")


def _undecodable(typed: Sequence[str]) -> bool:
    """True when an argument holds bytes the terminal's encoding could not decode (surrogate escapes)."""
    return any("\ud800" <= character <= "\udfff" for argument in typed for character in argument)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code. Never a traceback (unless --debug)."""
    _tolerant_output()
    typed = list(sys.argv[1:] if argv is None else argv)
    try:
        return _run(typed)
    except Exception as error:
        if "--debug" in typed:
            raise
        # Never the exception's text: a database error can quote a patient's data.
        complain(
            PROG,
            f"something unexpected went wrong ({type(error).__name__}); nothing more is shown because "
            "the details could contain patient data. Run the command again with --debug to see them.",
        )
        return EXIT_PROBLEM


def _run(typed: list[str]) -> int:
    if _undecodable(typed):
        complain(
            PROG,
            "an argument holds characters that are not text in this terminal's encoding; "
            "check what was typed or pasted.",
        )
        return EXIT_USAGE
    args = window_only(typed)
    try:
        if args is None:
            args = build_parser().parse_args(typed)
    except Mistyped as mistake:
        mistake.parser.print_usage(sys.stderr)
        complain(f"{mistake.parser.prog}: error", mistake.message, typed)
        return EXIT_USAGE
    except SystemExit as stop:  # --help or --version (already printed)
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    handler: Callable[[argparse.Namespace], int] = args.handler
    use_plain_logging(PROG, debug=getattr(args, "debug", False))
    try:
        return handler(args)
    except KeyboardInterrupt:
        complain(PROG, "interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`clinic-desk status 1 | head -1`): stop quietly.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PROBLEM
    except ClinicDeskError as problem:
        complain(PROG, str(problem) or problem.__class__.__name__, typed)
        return int(getattr(problem, "exit_code", EXIT_PROBLEM))  # a refused --as sign-in: 2
    except OSError as error:
        # A file or folder named on the command line (screenshot --out, say) cannot be used.
        if getattr(args, "debug", False):
            raise
        where = f"{error.filename}: " if isinstance(error.filename, str) else ""
        complain(PROG, f"{where}{error.strerror or 'the file or folder cannot be used'}.", typed)
        return EXIT_PROBLEM
