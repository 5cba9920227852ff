"""The command line's parser pieces: values it checks itself, and mistakes said without long echoes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from clinic_desk.cli_output import echo, is_hidden


class Mistyped(Exception):
    """argparse found a mistake; main() says it (typed values cut short) and exits 2."""

    def __init__(self, parser: argparse.ArgumentParser, message: str) -> None:
        super().__init__(message)
        self.parser = parser
        self.message = message


class ShowVersion(argparse.Action):
    """``--version``: the installed version, read only when asked (reading the package metadata
    would cost every start of the window)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **_: Any) -> None:
        super().__init__(
            option_strings, dest, nargs=0, default=argparse.SUPPRESS, help="show the version and exit"
        )

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        from clinic_desk.bundled import installed_version

        print(f"{parser.prog} {installed_version()}", file=sys.stdout, flush=True)
        parser.exit()


class ClinicParser(argparse.ArgumentParser):
    """An ArgumentParser whose mistakes reach main() instead of printing a 10,000-character value."""

    def error(self, message: str) -> NoReturn:
        raise Mistyped(self, message)


def count(text: str) -> int:
    """A whole number of 0 or more ('1,000' and '1_000' too)."""
    try:
        value = int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{echo(text)}' is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def scale(text: str) -> float:
    """A screen scale factor from 0.25 to 8."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{echo(text)}' is not a number like 1.5") from None
    if not 0.25 <= value <= 8:
        raise argparse.ArgumentTypeError("choose a scale from 0.25 to 8")
    return value


def seconds(text: str) -> float:
    """A polling interval from 0.1 s to an hour."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{echo(text)}' is not a number of seconds") from None
    if not 0.1 <= value <= 3600:
        raise argparse.ArgumentTypeError("choose from 0.1 to 3600 seconds")
    return value


def database_address(text: str) -> str:
    """A --db value; an empty one (an unset shell variable, say) must not quietly mean the local file."""
    if not text.strip():
        raise argparse.ArgumentTypeError(
            "is empty; give an address like sqlite:///path/to/clinic.db, or leave --db out "
            "for this computer's clinic"
        )
    if any(is_hidden(character) for character in text):
        raise argparse.ArgumentTypeError(
            "holds control or invisible characters, which no database address has; type it again"
        )
    return text
