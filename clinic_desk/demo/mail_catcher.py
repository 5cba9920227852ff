"""The demo's mail catcher: the demo mail sink, keeping each message as an ``.eml`` file in a folder.

``clinic-desk demo-mail`` runs it for ``scripts/run-demo.sh``; the portal's demo mailbox
(``clinic_desk.portal.demo_mailbox``) shows the folder. A file appears whole or not at
all (written aside, then renamed), so the mailbox never shows half a message.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from clinic_desk.demo.mail_sink import mail_sink

_numbers = itertools.count(1)
_naming = threading.Lock()


def save_message(folder: Path, data: bytes) -> Path:
    """Write ``data`` as ``folder/<UTC time>-<n>.eml`` (names sort oldest first); returns the file."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    with _naming:
        while (path := folder / f"{stamp}-{next(_numbers):04d}.eml").exists():
            pass  # a catcher started again within the same second
        aside = path.with_name(f".{path.name}.part")
        with open(aside, "xb") as file:
            file.write(data)
        os.replace(aside, path)
    return path


@contextmanager
def catch_mail(folder: Path, port: int = 0) -> Iterator[tuple[str, int]]:
    """Take every email sent to 127.0.0.1:``port`` into ``folder`` (made if missing) while the block runs.

    Yields the catcher's ``(host, port)`` (``port`` 0: a free one).

    Raises:
        OSError: the port is taken, or the folder cannot be made.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with mail_sink({}, keep=lambda data: _keep(folder, data), port=port) as address:
        yield address


def _keep(folder: Path, data: bytes) -> None:
    save_message(folder, data.replace(b"\r\n", b"\n"))  # a file on this computer: its own line ends
