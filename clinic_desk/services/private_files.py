"""Files of patient data the services write (an exported list, an import's report): created
readable by their owner only (DESIGN.md section 4), whatever the umask, written beside their
final name and moved into place whole, so a failure never leaves half a file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.settings_rules import clean_path


def private_file(path: Path) -> int:
    """A new file only its owner may read (0600); returns its descriptor. Refuses an existing one."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    os.chmod(path, 0o600)  # the umask can only take bits away; say it plainly anyway
    return handle


def checked_target(path: str | Path, *, label: str, what: str) -> Path:
    """The path as typed, checked (ValidationError naming ``label`` when it cannot be a file's)."""
    target = Path(clean_path(str(path), label=label, field="path"))
    if not target.name:
        raise ValidationError(f"{label}: choose a file name to save {what} in.", field="path")
    return target


@contextmanager
def private_text_file(target: Path, *, what: str) -> Iterator[TextIO]:
    """Write ``target`` (owner-only) through the block: it appears only when the block ends well.

    ValidationError when the file cannot be made there, saying ``what`` was not saved.
    """
    partial = target.with_name(target.name + ".part")
    try:
        partial.unlink(missing_ok=True)  # a crash's leftover
        handle = private_file(partial)
    except OSError as error:
        raise ValidationError(
            f"{what[:1].upper()}{what[1:]} cannot be saved there "
            f"({error.strerror or 'the folder cannot be written'}): "
            "choose another folder. Nothing was saved.",
            field="path",
        ) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            yield out
        os.replace(partial, target)
        os.chmod(target, 0o600)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
