"""Reading a FHIR Bundle's entries one at a time, so a bundle of any size keeps memory flat.

The standard `json` module reads a whole document. Here the top-level object is walked key by
key with `JSONDecoder.raw_decode`: the `entry` array's elements are decoded and handed out one
by one, every other value is decoded whole (they are small: `type`, `total`, `meta`). When a
value runs past what has been read so far, more of the file is read and the value decoded again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Final

from clinic_desk.domain.errors import ValidationError

_CHUNK: Final = 1 << 20
_SPACE: Final = " \t\r\n"
_NUMBER: Final = "0123456789+-.eE"
_NOT_JSON: Final = "This file is not valid FHIR JSON: it could not be read as JSON."


class _Reader:
    """A window on the file's text that grows when a value is cut off by its end."""

    def __init__(self, handle: IO[str], chunk: int) -> None:
        self._handle = handle
        self._chunk = chunk
        self._decoder = json.JSONDecoder()
        self.text = ""
        self.at = 0
        self.ended = False

    def _more(self, size: int = 0) -> bool:
        if self.ended:
            return False
        chunk = self._handle.read(size or self._chunk)
        if not chunk:
            self.ended = True
            return False
        if self.at > self._chunk:  # drop what has been read, so the window stays small
            self.text, self.at = self.text[self.at :], 0
        self.text += chunk
        return True

    def next_char(self) -> str:
        """The next character that is not white space ('' at the end), left unread."""
        while True:
            while self.at < len(self.text) and self.text[self.at] in _SPACE:
                self.at += 1
            if self.at < len(self.text):
                return self.text[self.at]
            if not self._more():
                return ""

    def expect(self, allowed: str) -> str:
        char = self.next_char()
        if not char or char not in allowed:
            raise ValidationError(_NOT_JSON, field="path")
        self.at += 1
        return char

    def value(self) -> Any:
        """Decode the next JSON value, reading more of the file while it is cut short."""
        self.next_char()
        size = self._chunk
        while True:
            try:
                value, end = self._decoder.raw_decode(self.text, self.at)
            except json.JSONDecodeError:
                if self._more(size):
                    size *= 2  # a huge value: read in growing steps, not decode again per MB
                    continue
                raise ValidationError(_NOT_JSON, field="path") from None
            # A number cut by the window's end decodes as a shorter one ("12" of "125", "0" of
            # "0.5"): while only number characters follow it, read on and decode again.
            is_number = isinstance(value, int | float) and not isinstance(value, bool)
            if is_number and not self.text[end:].strip(_NUMBER) and self._more(size):
                continue
            self.at = end
            return value


def bundle_resources(file: Path, *, chunk: int = _CHUNK) -> Iterator[tuple[int, dict[str, Any]]]:
    """The Patient resources of a Bundle (numbered by entry, from 1) or of one Patient document,
    reading `chunk` characters at a time.

    ValidationError when the file is not JSON, or not a Bundle or a Patient resource.
    """
    try:
        with file.open(encoding="utf-8-sig") as handle:
            yield from _walk(_Reader(handle, chunk))
    except UnicodeDecodeError:
        raise ValidationError(_NOT_JSON, field="path") from None


def _walk(reader: _Reader) -> Iterator[tuple[int, dict[str, Any]]]:
    first = reader.next_char()
    if first != "{":
        if first and first in '["-0123456789':  # JSON, but not an object
            raise ValidationError("This file is not a FHIR Bundle or Patient resource.", field="path")
        raise ValidationError(_NOT_JSON, field="path")
    reader.expect("{")
    document: dict[str, Any] = {}
    if reader.next_char() == "}":
        reader.expect("}")
    else:
        while True:
            key = reader.value()
            if not isinstance(key, str):
                raise ValidationError(_NOT_JSON, field="path")
            reader.expect(":")
            if (
                key == "entry"
                and reader.next_char() == "["
                and document.get("resourceType", "Bundle") == "Bundle"
            ):
                yield from _entries(reader)
            else:
                document[key] = reader.value()
            if reader.expect(",}") == "}":
                break
    if reader.next_char():
        raise ValidationError(_NOT_JSON, field="path")  # something after the document
    kind = document.get("resourceType")
    if kind == "Patient":
        yield 1, document
    elif kind != "Bundle":
        raise ValidationError("This file is not a FHIR Bundle or Patient resource.", field="path")


def _entries(reader: _Reader) -> Iterator[tuple[int, dict[str, Any]]]:
    reader.expect("[")
    if reader.next_char() == "]":
        reader.expect("]")
        return
    number = 0
    while True:
        number += 1
        entry = reader.value()
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(resource, dict) and resource.get("resourceType") == "Patient":
            yield number, resource
        if reader.expect(",]") == "]":
            return
