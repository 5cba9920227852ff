"""Any text typed as a backup folder or a backup file gives one of the documented errors, never a crash."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_desk import Clinic, ClinicDeskError, ConflictError, NotAllowed, NotFound, ValidationError
from clinic_desk.services.clinic import workstation

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX paths")
DOCUMENTED = (ValidationError, NotAllowed, ConflictError, NotFound)
# Arbitrary Unicode (lone surrogates, NUL, controls, right-to-left marks) and very long names.
ODD_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec=None, categories=("Cc", "Cf", "Cs", "Zs", "Lo")), max_size=20),
    st.integers(min_value=200, max_value=3000).map(lambda n: "x" * n),
    st.sampled_from(["..", "../..", "~", "a/b/c", "\x00", "\ud800", "clinic.db", " ", "//", "x" * 256]),
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=ODD_TEXT)
def test_odd_backup_and_restore_paths_give_documented_errors(
    sqlite_url: str, tmp_path: Path, text: str
) -> None:
    folder = tmp_path / "work"
    folder.mkdir(exist_ok=True)
    clinic_file = Path(sqlite_url.removeprefix("sqlite:///"))
    typed = f"{folder}/{text}"
    with Clinic.open(sqlite_url) as clinic:
        for call in (
            lambda: clinic.backups.back_up_now(typed),
            lambda: clinic.update_settings(actor="desk", backup_folder=typed),
            lambda: clinic.update_settings(actor="desk", backup_folder=text),
        ):
            try:
                call()
            except ClinicDeskError as problem:
                assert isinstance(problem, DOCUMENTED), problem
                assert len(problem.message) < 400
    url = workstation.database_url(sqlite_url)
    empty = tmp_path / "empty"
    empty.mkdir(exist_ok=True)
    asked = f"{empty}/{text}"
    before = clinic_file.read_bytes()
    asides = set(clinic_file.parent.glob("*before-restore*"))
    try:
        workstation.restore_backup(asked, url)
    except ClinicDeskError as problem:
        assert isinstance(problem, DOCUMENTED), problem
        assert clinic_file.read_bytes() == before  # a refused restore leaves the clinic file alone
        assert set(clinic_file.parent.glob("*before-restore*")) == asides
    else:  # only a real backup this test made (text like '../work/0') may be restored
        assert Path(asked).resolve().parent == folder.resolve()
