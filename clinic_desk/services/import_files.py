"""Reading an import file a row at a time: CSV (UTF-8 with or without BOM, or Windows-1252),
FHIR R4 NDJSON (a bulk export) and FHIR JSON (a Bundle or one Patient).

All three are streamed, so memory stays flat: a Bundle's entries are read one at a time
(bundle_stream.py).
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.fhir_patient import patient_values
from clinic_desk.domain.import_columns import clean_mapping, guess_mapping
from clinic_desk.domain.patient_import import ImportFormat, ImportRow
from clinic_desk.domain.settings_rules import clean_path
from clinic_desk.domain.text_rules import printable_prefix
from clinic_desk.services.bundle_stream import bundle_resources

_CHUNK: Final = 1 << 20
_FIRST_LINE_LIMIT: Final = 1 << 20  # no Patient resource on one NDJSON line is anywhere near this
_FORMAT_WORDS: Final[dict[str, ImportFormat | None]] = {
    "csv": "csv",
    "fhir": None,
    "fhir-ndjson": "fhir-ndjson",
    "ndjson": "fhir-ndjson",
    "fhir-bundle": "fhir-bundle",
    "json": "fhir-bundle",
}
csv.field_size_limit(1 << 20)


@dataclass(frozen=True)
class ImportSource:
    """An opened import file: what it is, and a way to read its rows from the start."""

    format: ImportFormat
    encoding: str
    columns: tuple[str, ...]
    mapping: dict[str, str]
    total: int | None  # rows to expect (for a progress bar), when known up front
    rows: Callable[[], Iterator[ImportRow]]


def open_source(
    path: str | Path,
    *,
    format: str | None = None,
    mapping: Mapping[str, str] | None = None,
    saved_mapping: Mapping[str, str] | None = None,
    mrn_system: str = "",
) -> ImportSource:
    """Look at the file and say how it will be read; ValidationError when it cannot be."""
    file = Path(clean_path(str(path), label="File to import", field="path"))
    try:
        readable = file.is_file()
    except OSError:  # a name too long for the file system, say
        readable = False
    if not readable:
        raise ValidationError(
            f"The file '{printable_prefix(str(file), 80)}' does not exist or is not a file.", field="path"
        )
    kind = _format_of(file, format)
    if kind == "csv":
        return _csv_source(file, mapping, saved_mapping)
    if kind == "fhir-ndjson":
        total = _count_lines(file)
        return ImportSource(kind, "utf-8", (), {}, total, lambda: _ndjson_rows(file, mrn_system))
    total = sum(1 for _ in bundle_resources(file))  # checks the whole file before any row is stored

    def rows() -> Iterator[ImportRow]:
        for number, resource in bundle_resources(file):
            yield _fhir_row(number, resource, mrn_system)

    return ImportSource(kind, "utf-8", (), {}, total, rows)


def _format_of(file: Path, format: str | None) -> ImportFormat:
    if format is not None and format.lower() not in _FORMAT_WORDS:
        raise ValidationError(
            f"Format: '{printable_prefix(format, 40)}' is not one of csv, fhir, fhir-ndjson or fhir-bundle.",
            field="format",
        )
    chosen = _FORMAT_WORDS.get((format or "").lower())
    if chosen is not None:
        return chosen
    suffix = file.suffix.lower()
    if format is None and suffix in (".csv", ".txt", ".tsv"):
        return "csv"
    if suffix in (".ndjson", ".jsonl"):
        return "fhir-ndjson"
    with file.open("rb") as handle:  # a bounded read: a Bundle may be one 100 MB line
        first_line = handle.readline(_FIRST_LINE_LIMIT).lstrip(codecs.BOM_UTF8).strip()
    if not first_line.startswith(b"{"):
        if format is None:
            return "csv"
        raise ValidationError("This file is not FHIR JSON: it does not start with '{'.", field="format")
    try:  # NDJSON: the first line alone is a whole resource (a pretty-printed or long one's is not)
        first = json.loads(first_line)
    except ValueError:
        return "fhir-bundle"
    is_bundle = isinstance(first, dict) and first.get("resourceType") == "Bundle"
    return "fhir-bundle" if is_bundle else "fhir-ndjson"


def _csv_encoding(file: Path) -> tuple[str, int]:
    """utf-8-sig, utf-8 or cp1252 (whatever is not valid UTF-8), and the number of lines."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    valid, lines, first, last = True, 0, b"", b""
    with file.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            first = first or chunk[:3]
            lines += chunk.count(b"\n")
            if valid:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    valid = False
            last = chunk
        if valid:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                valid = False
    if last and not last.endswith(b"\n"):  # the last row has no line break
        lines += 1
    if first.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", lines
    return ("utf-8" if valid else "cp1252"), lines


def _csv_source(
    file: Path, mapping: Mapping[str, str] | None, saved: Mapping[str, str] | None
) -> ImportSource:
    encoding, lines = _csv_encoding(file)
    with file.open(encoding=encoding, errors="replace", newline="") as handle:
        header = next(csv.reader(handle), None)
    if not header or not any(column.strip() for column in header):
        raise ValidationError(
            "The CSV file is empty: it needs a header row naming its columns.", field="path"
        )
    columns = tuple(column.strip() for column in header)
    chosen = clean_mapping(mapping, columns) if mapping is not None else None
    applied = guess_mapping(columns, chosen if chosen is not None else saved)
    # No MRN column: every row is read and rejected with that reason (the preview shows it).

    def rows() -> Iterator[ImportRow]:
        with file.open(encoding=encoding, errors="replace", newline="") as handle:
            reader = csv.reader(handle)
            next(reader, None)
            wanted = [(n, applied[c]) for n, c in enumerate(columns) if applied.get(c)]
            for number, record in enumerate(reader, start=2):
                if not any(value.strip() for value in record):
                    continue  # a blank line
                values = {field: record[n] if n < len(record) else "" for n, field in wanted}
                yield ImportRow(number, values)

    return ImportSource("csv", encoding, columns, applied, max(lines - 1, 0), rows)


def _count_lines(file: Path) -> int:
    count = 0
    with file.open("rb") as handle:
        for line in handle:
            count += bool(line.strip())
    return count


def _ndjson_rows(file: Path, mrn_system: str) -> Iterator[ImportRow]:
    with file.open(encoding="utf-8-sig", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                resource = json.loads(line)
            except ValueError:
                yield ImportRow(
                    number, {}, f"Line {number} is not a JSON resource (the file may be cut short)."
                )
                continue
            if isinstance(resource, dict) and resource.get("resourceType") == "Patient":
                yield _fhir_row(number, resource, mrn_system)


def _fhir_row(number: int, resource: dict[str, Any], mrn_system: str) -> ImportRow:
    try:
        return ImportRow(number, patient_values(resource, mrn_system))
    except (AttributeError, TypeError):  # elements of the wrong JSON type
        return ImportRow(number, {}, "This Patient resource is malformed (an element has the wrong type).")
