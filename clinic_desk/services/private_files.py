"""Files of patient data the services write (an exported list, an import's report): created
readable by their owner only (DESIGN.md section 4), whatever the umask."""

from __future__ import annotations

import os
from pathlib import Path


def private_file(path: Path) -> int:
    """A new file only its owner may read (0600); returns its descriptor. Refuses an existing one."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    os.chmod(path, 0o600)  # the umask can only take bits away; say it plainly anyway
    return handle
