"""The import-linter contracts in pyproject.toml (layers, Qt only in ui, the one door) hold."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_import_contracts_are_kept() -> None:
    # In its own process: import-linter reconfigures logging, which would silence later tests' logs.
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "One door" in result.stdout
    assert "BROKEN" not in result.stdout
