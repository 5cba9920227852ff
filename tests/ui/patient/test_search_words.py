"""What the search list's status line says, and what Enter opens with no row picked."""

from __future__ import annotations

from datetime import date

from clinic_desk.domain.chart import PatientSummary
from clinic_desk.ui.patient.search_results import enter_target, status_words


def summary(patient_id: int, first: str, mrn: str) -> PatientSummary:
    return PatientSummary(
        patient_id=patient_id,
        mrn=mrn,
        first_name=first,
        last_name="Nguyen",
        date_of_birth=date(1970, 1, 1),
        email=None,
        phone=None,
        status="active",
    )


ANH = summary(1, "Anh", "100001")
BAO = summary(2, "Bao", "100002")
CHI = summary(3, "Chi", "1000021")


def test_several_patients_and_none_picked():
    assert status_words(12, False, None) == "12 patients — use ↓ to pick one"


def test_a_picked_row_is_named_with_its_mrn():
    assert status_words(12, False, BAO) == "12 patients — Enter opens Bao Nguyen, MRN 100002"
    assert status_words(1, False, ANH) == "1 patient — Enter opens Anh Nguyen, MRN 100001"


def test_a_cut_list_says_so_and_what_enter_does():
    assert status_words(20, True, None) == (
        "Showing the first 20 — type more of the name or the date of birth\nUse ↓ to pick one"
    )
    assert status_words(20, True, ANH).endswith("\nEnter opens Anh Nguyen, MRN 100001")


def test_enter_opens_the_only_match():
    assert enter_target("Anh", [ANH]) is ANH
    assert enter_target("whatever", [BAO]) is BAO


def test_enter_opens_the_chart_whose_mrn_was_typed_in_full():
    assert enter_target(" 100002 ", [ANH, BAO, CHI]) is BAO
    assert enter_target("10000", [ANH, BAO, CHI]) is None  # a prefix is not an MRN


def test_enter_opens_nothing_of_several_names():
    assert enter_target("Nguyen", [ANH, BAO, CHI]) is None
    assert enter_target("Nguyen", []) is None
