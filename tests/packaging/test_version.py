"""``clinic-desk --version``: the package's version, printed without loading Qt, SQLAlchemy or the portal."""

from __future__ import annotations

import subprocess
import sys

from clinic_desk.bundled import installed_version

PROBE = """
import sys
from clinic_desk.cli import main
code = main(["--version"])
heavy = {"PySide6", "sqlalchemy", "alembic", "starlette", "uvicorn"}
heavy = sorted({name.split(".")[0] for name in sys.modules} & heavy)
print("loaded:", ",".join(heavy))
raise SystemExit(code)
"""


def test_version_loads_nothing_heavy() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"clinic-desk {installed_version()}", "loaded: "]
