"""A local clinic file holds patient data: it is created readable by its owner only."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from clinic_desk import Clinic
from tests.services.helpers import add_ready_patient

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_clinic_file_and_its_wal_files_are_private(tmp_path: Path) -> None:
    path = tmp_path / "new" / "clinic.db"
    previous = os.umask(0o022)  # the usual umask would make a file everyone can read
    try:
        clinic = Clinic.open(f"sqlite:///{path}")
        try:
            add_ready_patient(clinic)  # a write: the -wal and -shm files exist now
            companions = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
            assert any(p.exists() for p in companions)
            assert mode(path) == 0o600
            assert all(mode(p) == 0o600 for p in companions if p.exists())
        finally:
            clinic.close()
    finally:
        os.umask(previous)
