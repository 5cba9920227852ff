"""PgBouncer on loopback for scripts/load.py --pgbouncer: Debian's package, a config in a temp folder.

Transaction mode: each transaction borrows a server connection and gives it back at COMMIT,
so fifty desks' pools share ``POOL_SIZE`` server connections. LISTEN cannot work through it
(a notification arrives on a server connection nobody holds), so the desks' live updates go
straight to PostgreSQL (``listen_host``/``listen_port`` in the URL: one connection per desk).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

#: Server connections PgBouncer keeps for the clinic's database (every desk's and worker's actions).
POOL_SIZE = 20
MAX_CLIENTS = 1000


def ensure_installed() -> str:
    """The pgbouncer program; installs Debian's package when it is missing (needs root)."""
    found = shutil.which("pgbouncer") or (
        "/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None
    )
    if found:
        return found
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "pgbouncer"], check=True)
    return shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"


class PgBouncer:
    """One PgBouncer process for one database, on a free loopback port."""

    def __init__(self, work: Path, database: str, host: str, port: int) -> None:
        from scripts.load_web import free_port

        del work  # PgBouncer runs as another user: its own folder, that user may enter
        self.folder = Path(tempfile.mkdtemp(prefix="clinic-load-pgbouncer-"))
        self.database = database
        self.server = (host, port)
        self.port = free_port()
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> PgBouncer:
        program = ensure_installed()
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "users.txt").write_text('"postgres" ""\n', encoding="utf-8")
        host, port = self.server
        (self.folder / "pgbouncer.ini").write_text(
            "\n".join(
                [
                    "[databases]",
                    f"{self.database} = host={host} port={port} dbname={self.database} user=postgres",
                    "[pgbouncer]",
                    "listen_addr = 127.0.0.1",
                    f"listen_port = {self.port}",
                    "unix_socket_dir =",
                    "auth_type = trust",
                    f"auth_file = {self.folder / 'users.txt'}",
                    "pool_mode = transaction",
                    f"default_pool_size = {POOL_SIZE}",
                    f"max_client_conn = {MAX_CLIENTS}",
                    "server_idle_timeout = 30",
                    f"logfile = {self.folder / 'pgbouncer.log'}",
                    "",
                ]
            ),
            encoding="utf-8",
        )
        command = [program, str(self.folder / "pgbouncer.ini")]
        if os.geteuid() == 0:  # PgBouncer will not run as root
            self.folder.chmod(0o755)
            shutil.chown(self.folder, "postgres")
            for path in self.folder.iterdir():
                shutil.chown(path, "postgres")
            command[1:1] = ["-u", "postgres"]
        self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        import socket

        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"PgBouncer did not start (see {self.folder / 'pgbouncer.log'})")

    def client_url(self, database: str) -> str:
        """Desks and workers go through PgBouncer; their live updates LISTEN on the server itself."""
        host, port = self.server
        return (
            f"postgresql://postgres@127.0.0.1:{self.port}/{database}"
            f"?pooler=transaction&listen_host={host}&listen_port={port}"
        )

    def describe(self) -> dict[str, Any]:
        return {"port": self.port, "pool_mode": "transaction", "default_pool_size": POOL_SIZE}

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(10)
            self._process = None
        shutil.rmtree(self.folder, ignore_errors=True)
