"""The import's pure rules: column aliases, dates, languages, statuses, FHIR Patient, re-import rule."""

from __future__ import annotations

from datetime import date

import pytest

from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.fhir_patient import mrn_of, patient_values
from clinic_desk.domain.import_columns import ALIASES, clean_mapping, guess_mapping
from clinic_desk.domain.import_rows import (
    clean_import_status,
    clean_language,
    clean_row,
    fields_to_apply,
    import_date,
    stored_text,
)
from clinic_desk.domain.patient_import import IMPORT_FIELDS, ImportReport, ImportRow, report_rows

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("column", "field"),
    [
        ("DOB", "date_of_birth"), ("Date of Birth", "date_of_birth"), ("BIRTHDATE", "date_of_birth"),
        ("Zip", "zip_code"), ("Postal Code", "zip_code"), ("ZIP", "zip_code"), ("postal_code", "zip_code"),
        ("First", "first_name"), ("FIRST", "first_name"), ("Given Name", "first_name"),
        ("fname", "first_name"), ("LAST", "last_name"), ("Surname", "last_name"), ("pubpid", "mrn"),
        ("Id", "mrn"), ("GENDER", "sex"), ("phone_cell", "phone"), ("ADDRESS", "address_line1"),
        ("DEATHDATE", "status"), ("language", "preferred_language"),
        ("\ufeffmrn", "mrn"), ("Medical-Record_Number", "mrn"),
    ],
)  # fmt: skip
def test_the_aliases_ehr_exports_use(column: str, field: str) -> None:
    assert guess_mapping([column]) == {column: field}


def test_every_field_is_its_own_alias_and_each_field_comes_from_one_column() -> None:
    assert all(ALIASES[field.replace("_", " ")] == field for field in IMPORT_FIELDS)
    assert guess_mapping(["DOB", "BIRTHDATE", "SSN"]) == {"DOB": "date_of_birth"}
    assert guess_mapping(["Kennung", "Zip"], {"kennung": "mrn", "Zip": ""}) == {"Kennung": "mrn"}


def test_a_chosen_mapping_is_checked() -> None:
    assert clean_mapping({"kennung": "mrn"}, ["Kennung"]) == {"Kennung": "mrn"}
    with pytest.raises(ValidationError, match="not a field"):
        clean_mapping({"A": "ssn"})
    with pytest.raises(ValidationError, match="no column 'B'"):
        clean_mapping({"B": "mrn"}, ["A"])
    with pytest.raises(ValidationError, match="two columns"):
        clean_mapping({"A": "mrn", "B": "mrn"})


@pytest.mark.parametrize(
    ("text", "born"),
    [
        ("03/14/1980", date(1980, 3, 14)), ("3/4/85", date(1985, 3, 4)), ("1/2/03", date(2003, 1, 2)),
        ("11/30/26", date(1926, 11, 30)), ("1980-03-14", date(1980, 3, 14)),
        ("1980-03-14T00:00:00Z", date(1980, 3, 14)), ("19800314", date(1980, 3, 14)),
    ],
)  # fmt: skip
def test_us_and_iso_dates(text: str, born: date) -> None:
    assert import_date(text, TODAY) == born


def test_a_two_digit_year_is_never_in_the_future() -> None:
    assert import_date("11/27/26", TODAY) == date(2026, 11, 27)
    assert import_date("11/28/26", TODAY) == date(1926, 11, 28)
    with pytest.raises(ValidationError, match="not a date"):
        import_date("02/30/1980", TODAY)


def test_languages_and_statuses() -> None:
    assert [clean_language(v) for v in ("en", "es-mx", "Spanish", "zh-Hant-tw")] == [
        "en",
        "es-MX",
        "es",
        "zh-Hant-TW",
    ]
    with pytest.raises(ValidationError, match="Preferred language"):
        clean_language("Klingon!")
    assert [clean_import_status(v, TODAY) for v in ("Active", "I", "deceased", "2020-01-02")] == [
        "active", "inactive", "deceased", "deceased",
    ]  # fmt: skip
    with pytest.raises(ValidationError, match="Patient status"):
        clean_import_status("married", TODAY)


def test_a_row_is_cleaned_by_the_staff_rules_and_empty_fields_are_left_out() -> None:
    row = ImportRow(7, {"mrn": " 42 ", "first_name": "ana", "last_name": "Lopez", "date_of_birth": "3/4/85",
                        "sex": "F", "zip_code": "", "phone": "617 555 0100"})  # fmt: skip
    assert clean_row(row, TODAY, "noemail.invalid") == {
        "mrn": "42", "first_name": "ana", "last_name": "Lopez", "date_of_birth": date(1985, 3, 4),
        "sex": "female", "phone": "(617) 555-0100",
    }  # fmt: skip
    with pytest.raises(ValidationError, match="MRN is missing"):
        clean_row(ImportRow(1, {"first_name": "A"}), TODAY, "noemail.invalid")


def test_clear_empty_keeps_mapped_empty_optional_fields_as_none() -> None:
    row = ImportRow(7, {"mrn": "42", "first_name": "Ana", "last_name": "Lopez", "date_of_birth": "1985-03-04",
                        "zip_code": "", "phone": " ", "status": "", "preferred_language": ""})  # fmt: skip
    cleaned = clean_row(row, TODAY, "noemail.invalid", clear_empty=True)
    assert (cleaned["zip_code"], cleaned["phone"]) == (None, None)
    assert not {"status", "preferred_language", "email", "city"} & cleaned.keys()  # never, or not in the file
    assert stored_text(cleaned)["phone"] == ""
    # A cleared field applies unless the last import brought the same emptiness (or the chart has none).
    brought = {"mrn": "42", "phone": ""}
    assert fields_to_apply(brought, {"phone": "(617) 555-0100"}, {"phone": "(617) 555-0100"}) == ["phone"]
    assert fields_to_apply(brought, {"phone": ""}, {"phone": "(617) 555-0199"}) == []
    assert fields_to_apply(brought, None, {}) == []


def test_the_re_import_rule() -> None:
    brought = {"mrn": "1", "city": "Salem", "phone": "(617) 555-0100"}
    assert fields_to_apply(brought, None, {"city": "Boston", "phone": "(617) 555-0100"}) == ["city"]
    # Staff changed the phone since; the file still brings what it brought last time: kept.
    previous = {"city": "Salem", "phone": "(617) 555-0100"}
    assert fields_to_apply(brought, previous, {"city": "Salem", "phone": "(617) 555-0199"}) == []
    # The other system changed the phone: its new value applies over the staff's.
    changed = {**brought, "phone": "(617) 555-0111"}
    assert fields_to_apply(changed, previous, {"city": "Salem", "phone": "(617) 555-0199"}) == ["phone"]


def test_a_fhir_patient() -> None:
    patient = {
        "resourceType": "Patient",
        "identifier": [
            {"system": "urn:ssn", "value": "999"},
            {"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]},
             "value": "M-1"},
            {"system": "https://clinic.example/mrn", "value": "C-9"},
        ],
        "name": [{"use": "maiden", "family": "Old"},
                 {"use": "official", "family": "Ng", "given": ["Bo", "Li"]}],
        "telecom": [{"system": "phone", "value": "617-555-0100", "use": "old"},
                    {"system": "phone", "value": "617-555-0111"}, {"system": "email", "value": "bo@x.org"}],
        "address": [{"use": "old", "postalCode": "11111"},
                    {"use": "home", "line": ["1 A St", "Apt 2"], "postalCode": "02139"}],
        "deceasedDateTime": "2020-01-01",
        "communication": [{"language": {"coding": [{"code": "fr"}]}},
                          {"language": {"coding": [{"code": "es"}]}, "preferred": True}],
    }  # fmt: skip
    values = patient_values(patient)
    assert (values["mrn"], values["first_name"], values["last_name"]) == ("M-1", "Bo Li", "Ng")
    assert (values["phone"], values["email"], values["zip_code"]) == ("617-555-0111", "bo@x.org", "02139")
    assert (values["address_line1"], values["address_line2"]) == ("1 A St", "Apt 2")
    assert (values["status"], values["preferred_language"]) == ("deceased", "es")
    assert mrn_of(patient, "https://clinic.example/mrn") == "C-9"
    assert patient_values({"resourceType": "Patient", "active": False})["status"] == "inactive"


def test_the_report_as_rows() -> None:
    report = ImportReport(
        created=[1], updated=[2], unchanged=[3], rejected=[(4, "Row 4: no")], flagged=[(1, "dup")],
        warnings=[(5, "Phone '555-0100' was not imported: …")],
    )  # fmt: skip
    assert report_rows(report) == [
        ("outcome", "patient_id", "row", "message"), ("created", "1", "", ""), ("updated", "2", "", ""),
        ("unchanged", "3", "", ""), ("rejected", "", "4", "Row 4: no"),
        ("warning", "", "5", "Phone '555-0100' was not imported: …"), ("flagged", "1", "", "dup"),
    ]  # fmt: skip


def test_the_summary_says_what_was_done_or_would_be_in_plain_grammar() -> None:
    done = ImportReport(created=[1, 2, 3], updated=[4], unchanged=[5] * 5, rejected=[(6, "r"), (7, "r")])
    assert done.summary() == "Created 3, updated 1, 5 unchanged, 2 rejected."
    dry = ImportReport(**{**done.__dict__, "dry_run": True})
    assert dry.summary() == "Would create 3, update 1, leave 5 unchanged, reject 2."
    done.warnings, done.flagged, done.cancelled = [(2, "w")], [(1, "d"), (2, "d")], True
    assert done.summary() == (
        "Created 3, updated 1, 5 unchanged, 2 rejected; 1 value not imported; "
        "2 possible duplicates flagged (cancelled)."
    )
    dry.warnings, dry.flagged = [(2, "w"), (3, "w")], [(1, "d")]
    assert dry.summary() == (
        "Would create 3, update 1, leave 5 unchanged, reject 2; 2 values would not be imported; "
        "1 possible duplicate flagged."
    )


def test_a_column_named_as_the_field_wins_over_an_alias_wherever_it_stands() -> None:
    # The hietesttool sample's header: patient_id (an alias of mrn) comes before mrn itself.
    header = ["first_name", "last_name", "dob", "gender", "patient_id_oid", "patient_id", "mrn", "ssn",
              "address", "city", "state", "zip", "phone", "email"]  # fmt: skip
    mapping = guess_mapping(header)
    assert mapping["mrn"] == "mrn" and "patient_id" not in mapping
    assert list(mapping) == [c for c in header if c in mapping]  # in the file's order
    assert guess_mapping(["mrn", "Id"]) == guess_mapping(["Id", "mrn"]) == {"mrn": "mrn"}
    assert guess_mapping(["DOB", "Date_of_Birth"]) == {"Date_of_Birth": "date_of_birth"}
    # Among aliases the first column still wins; a saved mapping wins over everything.
    assert guess_mapping(["patient_id", "Id"]) == {"patient_id": "mrn"}
    assert guess_mapping(["patient_id", "mrn"], {"patient_id": "mrn"}) == {"patient_id": "mrn"}


def test_a_bad_optional_value_is_left_out_with_plain_words_and_the_row_kept() -> None:
    row = ImportRow(3, {"mrn": "7", "first_name": "Jo", "last_name": "Ek", "date_of_birth": "1980-01-02",
                        "phone": "555-0100", "zip_code": "LA4", "state": "Stockholm", "email": "x@y.invalid",
                        "sex": "Q", "status": "married", "city": "Huddinge"})  # fmt: skip
    warnings: list[str] = []
    assert clean_row(row, TODAY, "noemail.invalid", warnings) == {
        "mrn": "7", "first_name": "Jo", "last_name": "Ek", "date_of_birth": date(1980, 1, 2),
        "city": "Huddinge",
    }  # fmt: skip
    assert warnings[0] == (
        "Sex 'Q' was not imported: it is not one of female, male, other or unknown (F, M, O or U)."
    )
    assert [w.split(" was not imported: ")[0] for w in warnings] == [
        "Sex 'Q'", "Email 'x@y.invalid'", "Phone '555-0100'", "State 'Stockholm'", "ZIP code 'LA4'",
        "Status 'married'",
    ]  # fmt: skip
    assert "it is not a US phone number" in warnings[2] and "it is not a US ZIP code" in warnings[4]
    # A hidden character is never echoed; the check's own words say what is wrong.
    warnings.clear()
    clean_row(
        ImportRow(4, {**row.values, "phone": "617\x1b555", "sex": "", "zip_code": ""}), TODAY, "x", warnings
    )
    assert "\x1b" not in warnings[1] and warnings[1].startswith("Phone '617?555' was not imported: ")
    # Required fields still reject the row.
    with pytest.raises(ValidationError, match="Date of birth"):
        clean_row(ImportRow(5, {**row.values, "date_of_birth": "1980-02-30"}), TODAY, "x", [])
