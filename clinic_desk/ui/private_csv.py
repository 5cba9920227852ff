"""Files of patient data the desk saves (exports, reports): owner-only, spreadsheet-safe cells.

DESIGN.md section 4: files holding patient data outside the database are created readable
by their owner only. A cell a spreadsheet would run as a formula is kept as text.
"""

from __future__ import annotations

import os
from pathlib import Path

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> object:
    """Text a spreadsheet would run as a formula is kept as text (a leading apostrophe)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def private_file(path: Path) -> int:
    """A new file only its owner may read (0600), whatever the umask; returns its descriptor."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    handle = os.open(path, flags, 0o600)
    os.chmod(path, 0o600)  # umask can only take bits away; say it plainly anyway
    return handle
