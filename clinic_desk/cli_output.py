"""What the command line prints: data with its control characters shown as escapes, short echoes.

Text in the database or on the command line can hold ANSI escape sequences, carriage
returns, right-to-left overrides or zero-width characters; printed raw they would
repaint or reorder the terminal. Every line the CLI prints with such text goes through
``shown`` (plain text) or ``json_text`` (JSON), and anything the user typed is echoed
back at most ``ECHO_LIMIT`` characters long.
"""

from __future__ import annotations

import logging
import sys
import unicodedata
from collections.abc import Iterable
from typing import Any

from clinic_desk.domain.errors import ClinicDeskError

ECHO_LIMIT = 40  # characters of typed input an error line repeats
WORD_LIMIT = 200  # longer "words" (paths, addresses) in a problem line are cut to ECHO_LIMIT
LINE_LIMIT = 500  # no problem line is longer than this, whatever a message holds

# Control, format (bidi overrides, zero-width), surrogate and line/paragraph separators.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def is_hidden(character: str) -> bool:
    """True for a character a terminal would act on or hide instead of showing."""
    return unicodedata.category(character) in _HIDDEN_CATEGORIES


def _escape(character: str) -> str:
    if character in _NAMED:
        return _NAMED[character]
    code = ord(character)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def shown(text: str) -> str:
    """``text`` with each hidden character written as an escape (``\\x1b``, ``\\u202e``)."""
    if text.isprintable():  # the common case, and fast
        return text
    return "".join(_escape(character) if is_hidden(character) else character for character in text)


def echo(text: str, limit: int = ECHO_LIMIT) -> str:
    """What was typed, as an error line may repeat it: at most ``limit`` characters, escaped."""
    if len(text) <= limit:
        return shown(text)
    return shown(text[:limit]) + "…"


def tame(message: str, typed: Iterable[str] = ()) -> str:
    """A problem line safe to print: long typed arguments cut to a short prefix, escapes, a length cap.

    ``typed`` is the command line; an argument the message repeats (as typed, stripped, or
    as Python shows it) is cut to its prefix when longer than ``ECHO_LIMIT``, and escaped
    before the message's own line breaks are joined (a typed "\n" stays visible).
    """
    for argument in sorted(set(typed), key=len, reverse=True):
        if len(argument) <= ECHO_LIMIT and argument.isprintable():
            continue
        short = echo(argument)
        for form in {argument, argument.strip(), repr(argument)[1:-1]}:
            if form and (len(form) > ECHO_LIMIT or not form.isprintable()):
                message = message.replace(form, short)
    # A typed value can also come back changed (a path out of a --db address): no word is that long.
    words = [word if len(word) <= WORD_LIMIT else word[:ECHO_LIMIT] + "…" for word in message.split()]
    line = shown(" ".join(words))
    return line if len(line) <= LINE_LIMIT else line[: LINE_LIMIT - 1] + "…"


def _json_escape(character: str) -> str:
    code = ord(character)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # outside the BMP JSON writes a surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_text(document: Any) -> str:
    """``document`` as indented JSON, readable (é stays é) but with hidden characters escaped.

    JSON itself escapes only U+0000-U+001F; DEL, the C1 controls, bidi overrides and
    lone surrogates are escaped here too (still valid JSON, read back unchanged).
    """
    import json  # only for --json output: not loaded when the window starts

    text = json.dumps(document, ensure_ascii=False, indent=2)
    if text.isprintable():
        return text
    return "".join(
        _json_escape(character) if character != "\n" and is_hidden(character) else character
        for character in text
    )


def say(line: str = "") -> None:
    """Print one line of output on stdout, data escaped."""
    print(shown(line), flush=True)


def say_json(document: Any) -> None:
    """Print a JSON document on stdout, hidden characters escaped."""
    print(json_text(document), flush=True)


def complain(prog: str, message: str, typed: Iterable[str] = ()) -> None:
    """Print one problem line on stderr: '<prog>: <message>' (see ``tame``)."""
    print(f"{prog}: {tame(message, typed)}", file=sys.stderr, flush=True)


class PlainLogFormatter(logging.Formatter):
    """Log lines like problem lines: escaped, and no traceback (its text can quote patient data)."""

    def __init__(self, prog: str, *, debug: bool) -> None:
        super().__init__(f"{prog}: %(levelname)s: %(message)s")
        self._debug = debug

    def format(self, record: logging.LogRecord) -> str:
        if self._debug:
            return super().format(record)
        plain = logging.makeLogRecord(
            {**record.__dict__, "exc_info": None, "exc_text": None, "stack_info": None}
        )
        return tame(super().format(plain))


def use_plain_logging(prog: str, *, debug: bool = False) -> None:
    """Warnings from the layers below go to stderr as one escaped line each (with --debug: in full)."""
    root = logging.getLogger()
    if root.handlers:  # someone (a test runner, an embedding app) already decided
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(PlainLogFormatter(prog, debug=debug))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.WARNING)


class CommandProblem(ClinicDeskError):
    """Something about the command line or this computer that stops the command (said in one line)."""
