"""Patient search: names (any case, any accent), MRN, date of birth, email, phone."""

from __future__ import annotations

import pytest

from clinic_desk import Clinic, NotFound
from clinic_desk.db.search import search_conditions
from tests.services.helpers import STAFF


@pytest.fixture
def charts(clinic: Clinic) -> dict[str, int]:
    def add(first: str, last: str, dob: str, email: str | None, phone: str | None) -> int:
        return clinic.staff.add_patient(
            first_name=first, last_name=last, date_of_birth=dob, email=email, phone=phone, actor=STAFF
        )

    return {
        "jose": add("José", "Núñez", "1975-11-30", "jose.nunez@example.com", "312-555-0182"),
        "john": add("John", "Smith", "1980-03-14", "jsmith@example.org", "(617) 555-0100"),
        "jane": add("Jane", "Smithers", "1992-07-04", None, None),
        "anna": add("Anna", "de la Cruz", "2001-01-09", "anna@example.net", None),
        "smitty": add("Smitty", "Jones", "1966-02-20", None, "617-555-0199"),
    }


def _found(clinic: Clinic, text: str) -> set[int]:
    return {p.patient_id for p in clinic.staff.find_patients(text)}


def test_name_prefix_any_case(clinic: Clinic, charts: dict[str, int]) -> None:
    assert _found(clinic, "smi") == {charts["john"], charts["jane"], charts["smitty"]}
    assert _found(clinic, "SMITH") == {charts["john"], charts["jane"]}


def test_accents_do_not_matter(clinic: Clinic, charts: dict[str, int]) -> None:
    assert _found(clinic, "nunez") == {charts["jose"]}
    assert _found(clinic, "NÚÑ") == {charts["jose"]}
    assert _found(clinic, "jose") == {charts["jose"]}


def test_first_and_last_in_either_order(clinic: Clinic, charts: dict[str, int]) -> None:
    assert _found(clinic, "john smi") == {charts["john"]}
    assert _found(clinic, "smith jo") == {charts["john"]}
    assert _found(clinic, "smith, j") == {charts["john"], charts["jane"]}
    assert _found(clinic, "de la cruz") == {charts["anna"]}


def test_mrn(clinic: Clinic, charts: dict[str, int]) -> None:
    mrn = clinic.staff.chart(charts["anna"]).mrn
    assert charts["anna"] in _found(clinic, mrn)


@pytest.mark.parametrize("typed", ["1980-03-14", "03/14/1980", "3/14/1980", "03-14-1980", "19800314"])
def test_date_of_birth_formats(clinic: Clinic, charts: dict[str, int], typed: str) -> None:
    assert _found(clinic, typed) == {charts["john"]}


def test_email_prefix(clinic: Clinic, charts: dict[str, int]) -> None:
    assert _found(clinic, "JSMITH@EX") == {charts["john"]}
    assert _found(clinic, "jose.nunez@example.com") == {charts["jose"]}


def test_phone_any_format(clinic: Clinic, charts: dict[str, int]) -> None:
    assert _found(clinic, "617-555-01") == {charts["john"], charts["smitty"]}
    assert _found(clinic, "(312) 555 0182") == {charts["jose"]}
    assert _found(clinic, "+1 312 555 0182") == {charts["jose"]}


def test_nothing_typed_finds_nothing(clinic: Clinic, charts: dict[str, int]) -> None:
    assert _found(clinic, "   ") == set()
    assert _found(clinic, "zzzz") == set()


def test_search_text_is_a_parameter_not_sql(clinic: Clinic, charts: dict[str, int]) -> None:
    assert _found(clinic, "'; DROP TABLE patients; --") == set()
    assert _found(clinic, "smi")  # the table is still there
    for condition in search_conditions("o'brien"):
        assert "o'brien" not in str(condition.compile())


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("O’Brien", ["O’Brien", "O'Brien", "OBrien", "o‘brien", "O`Brien", "Oʼbrien", "o'b"]),
        ("D’Angelo", ["D’Angelo", "D'Angelo", "DAngelo"]),
        ("St. John", ["St. John", "St John", "St.John", "st. jo"]),
        ("Smith/Jones", ["Smith/Jones", "Smith Jones", "Smith-Jones", "smith/jo"]),
        ("Smith-Jones", ["Smith-Jones", "Smith/Jones", "Smith Jones"]),
        ("O'Brien", ["O’Brien", "OBrien"]),
    ],
)
def test_a_name_typed_as_stored_is_found(clinic: Clinic, stored: str, typed: list[str]) -> None:
    pid = clinic.staff.add_patient(
        first_name="Pat", last_name=stored, date_of_birth="1970-01-01", actor=STAFF
    )
    for text in typed:
        assert pid in _found(clinic, text), text
    assert pid in _found(clinic, f"pat {typed[0]}")
    assert pid in _found(clinic, f"{typed[0]}, pat")


@pytest.mark.parametrize(
    "typed",
    [
        "²",
        "x@\U0010ffff",
        "\U0010ffff",
        "a\ud800b",
        "smi\x00th",
        "\x1b[31m",
        "\u202esmith",
        "½/¾/1980",
        "x" * 50_000,
        " \t\n ",
        "\ud7ff",
        "@",
        "..",
        "١٢٣",
        "𝟙𝟚𝟛",
    ],
)
def test_search_never_raises(clinic: Clinic, charts: dict[str, int], typed: str) -> None:
    clinic.staff.find_patients(typed)


def test_hidden_characters_are_ignored_by_search(clinic: Clinic, charts: dict[str, int]) -> None:
    assert _found(clinic, "smi\u200bth") == {charts["john"], charts["jane"]}
    assert _found(clinic, "smi\x00th") == {charts["john"], charts["jane"]}


def test_international_email_is_found_either_way(clinic: Clinic) -> None:
    pid = clinic.staff.add_patient(
        first_name="Jo", last_name="Bauer", date_of_birth="1970-01-01", email="jo@bücher.example", actor=STAFF
    )
    assert clinic.staff.chart(pid).email == "jo@xn--bcher-kva.example"
    assert pid in _found(clinic, "jo@bücher.example")
    assert pid in _found(clinic, "jo@xn--bcher")


def test_resolve_patient_says_not_found_for_odd_text(clinic: Clinic, charts: dict[str, int]) -> None:
    for typed in ["²", "١٢", "\x00", "\ud800", "x" * 10_000]:
        with pytest.raises(NotFound) as caught:
            clinic.staff.resolve_patient(typed)
        assert len(caught.value.message) < 120


def test_first_then_last_lists_the_first_charts_in_the_lists_order(clinic: Clinic) -> None:
    """ "maria garcia" with more matches than the list holds: the list shows the first ones by
    last, then first name, not the first ones by first name (an older search took those)."""

    def add(first: str, last: str) -> int:
        return clinic.staff.add_patient(
            first_name=first, last_name=last, date_of_birth="1980-01-01", actor=STAFF
        )

    later_last_names = [add("Maria", "Garciaz") for _ in range(3)]  # first made: lowest ids
    wanted = [add("Mariana", "Garcia"), add("Maria", "Garcia")]
    found = [p.patient_id for p in clinic.staff.find_patients("maria garcia", limit=2)]
    assert found == [wanted[1], wanted[0]]  # Garcia, Maria before Garcia, Mariana
    assert not set(found) & set(later_last_names)
