"""The wizard's match check: replaying what a patient typed on "I am a registered patient"."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_desk.domain import codes
from clinic_desk.domain.match_check import (
    ACCESS_OFF,
    CAN_CREATE,
    FIELDS,
    HAS_USERNAME,
    INVALID_INPUT,
    NO_MATCH,
    SEVERAL_MATCH,
    CandidateChart,
    MatchReport,
    check_match,
)

ANA = CandidateChart(
    patient_id=1,
    name="Ana Lopez",
    email="ana.lopez@example.com",
    last_name="López",
    date_of_birth=date(1980, 3, 14),
    zip_code="02139",
    access_enabled=True,
    has_username=False,
    mrn="1001",
)
# A family member: Ana's email and ZIP code, his own name and date of birth.
BEN = dataclasses.replace(
    ANA, patient_id=2, name="Ben Lopez", last_name="Lopez", date_of_birth=date(2010, 5, 1), mrn="1002"
)

TYPED: dict[str, Any] = {
    "email": "ana.lopez@example.com",
    "last_name": "Lopez",
    "date_of_birth": "03/14/1980",
    "zip_code": "02139",
}


def chart(**changes: Any) -> CandidateChart:
    return dataclasses.replace(ANA, **changes)


def check(*candidates: CandidateChart, patient_id: int | None = None, **typed: Any) -> MatchReport:
    values = {**TYPED, **typed}
    return check_match(list(candidates), patient_id=patient_id, **values)


# --- exactly one chart -------------------------------------------------------


def test_exactly_one_chart_matches() -> None:
    report = check(ANA, BEN, patient_id=1)
    assert report.outcome == CAN_CREATE
    assert report.ok
    assert report.verdict == "Exactly one chart matches: the patient can create the account."
    assert report.matches == (ANA,)
    assert report.problems == ()
    comparison = report.comparison_for(1)
    assert comparison is not None and comparison.matches
    assert [item.message for item in comparison.checks] == [
        "Email: matches (ana.lopez@example.com)",
        "Last name: matches (López)",
        "Date of birth: matches (03/14/1980)",
        "ZIP code: matches (02139)",
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "  ANA.Lopez@Example.COM "),
        ("email", "ana.lopez@EXAMPLE.com"),
        ("last_name", "lopez"),
        ("last_name", "  LÓPEZ  "),
        ("last_name", "Lopez"),
        ("date_of_birth", "3/14/1980"),
        ("date_of_birth", "1980-03-14"),
        ("date_of_birth", "March 14, 1980"),
        ("date_of_birth", "14 Mar 1980"),
        ("date_of_birth", "19800314"),
        ("date_of_birth", date(1980, 3, 14)),
        ("zip_code", " 02139 "),
        ("zip_code", "02139-4321"),
        ("zip_code", "021394321"),
    ],
)
def test_matching_uses_the_portals_normalisation(field: str, value: Any) -> None:
    report = check(ANA, **{field: value})
    assert report.outcome == CAN_CREATE, report.verdict


def test_zip_plus_four_on_file_matches_five_digits_typed() -> None:
    assert check(chart(zip_code="02139-1234"), zip_code="02139").ok


def test_accented_last_name_on_file_matches_plain_letters() -> None:
    assert check(chart(last_name="Núñez"), last_name="nunez").ok
    assert check(chart(last_name="Nunez"), last_name="NÚÑEZ").ok


def test_the_matching_chart_is_not_the_patient_on_screen() -> None:
    report = check(ANA, BEN, patient_id=2)
    assert report.outcome == CAN_CREATE
    assert "Note: it is Ana Lopez's chart (MRN 1001), not this patient's." in report.verdict


# --- exactly one chart, but the portal still refuses ----------------------------


def test_the_chart_matches_but_access_is_off() -> None:
    report = check(chart(access_enabled=False))
    assert report.outcome == ACCESS_OFF
    assert not report.ok
    assert report.verdict == "The chart matches but portal access is off: turn it on first."


def test_the_chart_matches_but_the_patient_is_inactive() -> None:
    report = check(chart(patient_status=codes.INACTIVE, access_enabled=False))
    assert report.outcome == ACCESS_OFF
    assert "make the patient active again" in report.verdict


def test_the_chart_matches_but_the_patient_is_deceased() -> None:
    report = check(chart(patient_status=codes.DECEASED, access_enabled=False))
    assert report.outcome == ACCESS_OFF
    assert "deceased" in report.verdict
    assert "turn it on" not in report.verdict


def test_prospective_patients_can_create_the_account() -> None:
    assert check(chart(patient_status=codes.PROSPECTIVE)).ok


def test_the_chart_already_has_a_username() -> None:
    report = check(chart(has_username=True))
    assert report.outcome == HAS_USERNAME
    assert report.verdict.startswith("This chart already has a username: use password reset")


def test_access_is_checked_before_the_username_like_the_portal() -> None:
    assert check(chart(has_username=True, access_enabled=False)).outcome == ACCESS_OFF


# --- several charts ----------------------------------------------------------


def test_several_charts_match_so_the_portal_refuses() -> None:
    twin = chart(patient_id=3, name="Ava Lopez", mrn="1003")
    report = check(ANA, twin, BEN)
    assert report.outcome == SEVERAL_MATCH
    assert report.matches == (ANA, twin)
    assert report.verdict.startswith("2 charts match these details")
    assert "Ana Lopez (MRN 1001)" in report.verdict and "Ava Lopez (MRN 1003)" in report.verdict
    assert "call the clinic" in report.verdict
    assert "own email" in report.verdict


def test_the_same_chart_given_twice_counts_once() -> None:
    report = check(ANA, ANA)
    assert report.outcome == CAN_CREATE
    assert len(report.comparisons) == 1


# --- no chart ----------------------------------------------------------------


def test_no_chart_matches_the_zip_code_differs() -> None:
    report = check(chart(zip_code="02139"), patient_id=1, zip_code="02140")
    assert report.outcome == NO_MATCH
    assert report.verdict == "No chart matches: the ZIP code differs (typed 02140, on file 02139)."
    assert report.matches == ()
    (near,) = report.near_misses
    assert [item.field for item in near.mismatches] == ["zip_code"]
    assert near.mismatches[0].message == "ZIP code: typed 02140, chart has 02139"


def test_one_candidate_needs_no_patient_id_for_the_short_verdict() -> None:
    report = check(ANA, zip_code="02140")
    assert report.verdict == "No chart matches: the ZIP code differs (typed 02140, on file 02139)."


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (
            {"email": "ana.lopez@gmail.com"},
            "the email differs (typed ana.lopez@gmail.com, on file ana.lopez@example.com)",
        ),
        ({"last_name": "Lopes"}, "the last name differs (typed Lopes, on file López)"),
        (
            {"date_of_birth": "3/15/1980"},
            "the date of birth differs (typed 03/15/1980, on file 03/14/1980)",
        ),
    ],
)
def test_no_chart_matches_each_field(typed: dict[str, str], expected: str) -> None:
    report = check(ANA, patient_id=1, **typed)
    assert report.outcome == NO_MATCH
    assert report.verdict == f"No chart matches: {expected}."


def test_several_differences_are_listed_in_the_portals_order() -> None:
    report = check(ANA, patient_id=1, zip_code="02140", date_of_birth="03/15/1980")
    assert report.verdict == (
        "No chart matches: the date of birth differs (typed 03/15/1980, on file 03/14/1980) "
        "and the ZIP code differs (typed 02140, on file 02139)."
    )


def test_a_chart_without_a_zip_code_says_so() -> None:
    report = check(chart(zip_code=None), patient_id=1)
    assert report.outcome == NO_MATCH
    assert "the chart has no ZIP code (typed 02139)" in report.verdict
    comparison = report.comparison_for(1)
    assert comparison is not None
    assert comparison.check("zip_code").message == "ZIP code: typed 02139, chart has none"


def test_a_chart_without_an_email_never_matches() -> None:
    report = check(chart(email=None), patient_id=1)
    assert report.outcome == NO_MATCH
    assert "the chart has no email" in report.verdict


def test_near_misses_are_closest_first_and_skip_charts_with_nothing_in_common() -> None:
    stranger = CandidateChart(
        patient_id=9,
        name="Zoe Park",
        email="zoe@example.org",
        last_name="Park",
        date_of_birth=date(1999, 1, 1),
        zip_code="90210",
        access_enabled=True,
        has_username=False,
    )
    report = check(stranger, BEN, ANA, date_of_birth="05/01/2010", zip_code="02140")
    assert [item.chart.patient_id for item in report.near_misses] == [2, 1]
    assert [len(item.mismatches) for item in report.near_misses] == [1, 2]
    assert len(report.comparisons) == 3
    assert "The closest is Ben Lopez's chart (MRN 1002)" in report.verdict


def test_the_verdict_is_about_the_patient_on_screen_and_names_a_closer_chart() -> None:
    report = check(ANA, BEN, patient_id=1, date_of_birth="05/01/2010", zip_code="02140")
    assert report.verdict.startswith(
        "No chart matches: the date of birth differs (typed 05/01/2010, on file 03/14/1980)"
    )
    assert "Ben Lopez's chart (MRN 1002) is closer (1 detail differs)" in report.verdict
    assert "family member" in report.verdict


def test_no_candidate_at_all() -> None:
    report = check()
    assert report.outcome == NO_MATCH
    assert report.verdict.startswith("No chart matches: no chart has any of these details.")
    assert report.near_misses == ()


def test_candidates_with_nothing_in_common() -> None:
    report = check(BEN, email="x@example.org", last_name="Park", date_of_birth="1/1/1999", zip_code="90210")
    assert report.outcome == NO_MATCH
    assert report.near_misses == ()
    assert "no chart has any of these details" in report.verdict


# --- what the portal cannot read ---------------------------------------------


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ({"date_of_birth": "13/45/1980"}, "Date of birth: '13/45/1980' is not a date we can read"),
        ({"date_of_birth": "03/14/80"}, "four digits"),
        ({"date_of_birth": "yesterday"}, "not a date we can read"),
        ({"date_of_birth": ""}, "Date of birth is required."),
        ({"date_of_birth": None}, "Date of birth is required."),
        ({"date_of_birth": "03/14/1880"}, "before 1900"),
        ({"email": "ana.lopez.example.com"}, "not a valid email address"),
        ({"email": "   "}, "Email is required."),
        ({"email": None}, "Email is required."),
        ({"last_name": ""}, "Last name is required."),
        ({"last_name": "1234"}, "at least one letter"),
        ({"zip_code": "0213"}, "ZIP code"),
        ({"zip_code": "ABCDE"}, "not a US ZIP code"),
        ({"zip_code": None}, "ZIP code is required."),
    ],
)
def test_unreadable_typed_values_give_a_plain_message(typed: dict[str, Any], words: str) -> None:
    report = check(ANA, patient_id=1, **typed)
    assert report.outcome == INVALID_INPUT
    assert not report.ok
    assert report.matches == ()
    assert len(report.problems) == 1
    assert words in report.problems[0]
    assert words in report.verdict
    assert report.verdict.startswith("The portal cannot accept what was typed.")


def test_several_unreadable_values_are_all_listed() -> None:
    report = check(ANA, date_of_birth="31/31/1980", zip_code="12")
    assert report.outcome == INVALID_INPUT
    assert len(report.problems) == 2


def test_an_unreadable_value_is_shown_as_typed_in_the_comparison() -> None:
    report = check(ANA, patient_id=1, date_of_birth="13/45/1980")
    comparison = report.comparison_for(1)
    assert comparison is not None
    dob = comparison.check("date_of_birth")
    assert not dob.matches and not dob.readable
    assert dob.message == "Date of birth: typed 13/45/1980 (the portal cannot read it), chart has 03/14/1980"


def test_a_date_of_birth_in_the_future_is_refused_when_today_is_given() -> None:
    report = check_match(
        [ANA], **{**TYPED, "date_of_birth": "03/14/2090"}, today=date(2026, 11, 3), patient_id=1
    )
    assert report.outcome == INVALID_INPUT
    assert "in the future" in report.verdict


def test_a_placeholder_email_typed_compares_like_any_other() -> None:
    placeholder = chart(email="mrn1001@noemail.invalid")
    assert check(placeholder, email="MRN1001@noemail.invalid").ok


def test_report_comparison_for_an_unknown_chart_is_none() -> None:
    assert check(ANA).comparison_for(99) is None


# --- properties ----------------------------------------------------------------

# What a patient types never spells "None" here: the verdict quotes what was typed, and the
# property below checks that a missing value (Python's None) never leaks into the words.
TEXT = st.one_of(st.none(), st.text(max_size=30).filter(lambda text: "None" not in text))


@settings(max_examples=300, deadline=None)
@given(email=TEXT, last_name=TEXT, born=st.one_of(TEXT, st.dates()), zip_code=TEXT)
def test_never_raises_whatever_is_typed(
    email: str | None, last_name: str | None, born: str | date | None, zip_code: str | None
) -> None:
    report = check_match(
        [ANA, BEN], email=email, last_name=last_name, date_of_birth=born, zip_code=zip_code, patient_id=1
    )
    assert report.outcome in {CAN_CREATE, NO_MATCH, SEVERAL_MATCH, ACCESS_OFF, HAS_USERNAME, INVALID_INPUT}
    assert report.verdict.strip()
    assert "None" not in report.verdict
    assert (report.outcome == INVALID_INPUT) == bool(report.problems)
    for comparison in report.comparisons:
        assert [item.field for item in comparison.checks] == list(FIELDS)


@settings(max_examples=200, deadline=None)
@given(
    email_case=st.sampled_from([str.lower, str.upper, str.title]),
    name_case=st.sampled_from([str.lower, str.upper, str.title]),
    padding=st.sampled_from(["", " ", "  "]),
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 1, 1)),
)
def test_a_chart_always_matches_its_own_details(
    email_case: Any, name_case: Any, padding: str, born: date
) -> None:
    own = chart(date_of_birth=born)
    report = check_match(
        [own],
        email=padding + email_case(own.email or "") + padding,
        last_name=padding + name_case(own.last_name) + padding,
        date_of_birth=f"{born.month}/{born.day}/{born.year}",
        zip_code=padding + (own.zip_code or "") + padding,
    )
    assert report.outcome == CAN_CREATE, report.verdict
