"""Clinic.open(url, create=False): open only a clinic that is there; a mistyped path makes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_desk import Clinic, NotFound


def test_a_missing_file_is_not_found_and_nothing_is_made(tmp_path: Path) -> None:
    where = tmp_path / "no" / "such" / "clinic.db"
    with pytest.raises(NotFound) as caught:
        Clinic.open(f"sqlite:///{where}", create=False)
    assert str(caught.value) == f"Local file {where}: there is no clinic database there."
    assert not (tmp_path / "no").exists()


def test_an_existing_clinic_opens(db_url: str) -> None:
    with Clinic.open(db_url, create=False) as clinic:
        assert clinic.count_by_color() == {"red": 0, "gold": 0, "blue": 0}


def test_by_default_a_new_file_and_its_folder_are_made(tmp_path: Path) -> None:
    where = tmp_path / "new" / "clinic.db"
    Clinic.open(f"sqlite:///{where}").close()
    assert where.is_file()
