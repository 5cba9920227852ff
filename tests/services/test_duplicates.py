"""Same name and date of birth: the charts the walk-in form warns about (SQLite, PostgreSQL, MariaDB)."""

from __future__ import annotations

from datetime import date

import pytest

from clinic_desk import Clinic, ValidationError
from tests.services.helpers import add_ready_patient


def test_finds_charts_with_the_same_name_and_birthday_as_the_search_folds_names(clinic: Clinic) -> None:
    first = add_ready_patient(clinic, "José", "O'Neil", date_of_birth="1984-06-02", email="jose@example.com")
    second = add_ready_patient(clinic, "Jose", "ONeil", date_of_birth="06/02/1984", email=None)
    add_ready_patient(clinic, "Jose", "ONeil", date_of_birth="1984-06-03")  # another birthday
    add_ready_patient(
        clinic, "Josefa", "ONeil", date_of_birth="1984-06-02", email="josefa@example.com"
    )  # another first name

    found = clinic.staff.possible_duplicates(
        first_name=" jose ", last_name="o’neil", date_of_birth="6/2/1984"
    )

    assert [chart.patient_id for chart in found] == [first, second]
    assert [chart.full_name for chart in found] == ["José O'Neil", "Jose ONeil"]
    assert found[0].date_of_birth == date(1984, 6, 2)
    assert found[0].mrn == clinic.staff.chart(first).mrn


def test_no_match_is_an_empty_list(clinic: Clinic) -> None:
    add_ready_patient(clinic, "Ana", "Lopez")
    assert (
        clinic.staff.possible_duplicates(first_name="Ana", last_name="Lopes", date_of_birth="1984-06-02")
        == []
    )


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"first_name": "", "last_name": "Lopez", "date_of_birth": "1984-06-02"}, "first_name"),
        ({"first_name": "Ana", "last_name": "123", "date_of_birth": "1984-06-02"}, "last_name"),
        ({"first_name": "Ana", "last_name": "Lopez", "date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"first_name": "Ana", "last_name": "Lopez", "date_of_birth": "soon"}, "date_of_birth"),
        ({"first_name": "Ana\u202e", "last_name": "Lopez", "date_of_birth": "1984-06-02"}, "first_name"),
    ],
)
def test_refuses_what_add_patient_refuses_with_the_same_words(
    clinic: Clinic, values: dict[str, str], field: str
) -> None:
    with pytest.raises(ValidationError) as check:
        clinic.staff.possible_duplicates(**values)
    with pytest.raises(ValidationError) as adding:
        clinic.staff.add_patient(actor="frontdesk", **values)
    assert check.value.field == adding.value.field == field
    assert check.value.message == adding.value.message
