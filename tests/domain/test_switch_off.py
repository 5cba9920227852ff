"""The staff rules for the access switch and the patient status (DESIGN.md section 3), every input."""

from __future__ import annotations

import pytest

from clinic_desk.domain import codes
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.switch_off import (
    OFF_REASON_LABELS,
    OFF_REASON_WORDS,
    clean_off_reason,
    note_needed_for_status,
    note_needed_to_turn_on,
    off_reason_words,
)


def test_every_reason_has_words_and_a_label() -> None:
    assert set(OFF_REASON_WORDS) == set(OFF_REASON_LABELS) == set(codes.STAFF_OFF_REASONS)
    assert off_reason_words(None) is None and off_reason_words("nonsense") is None


@pytest.mark.parametrize("reason", codes.STAFF_OFF_REASONS)
@pytest.mark.parametrize("note", [None, "Asked by phone."])
def test_clean_off_reason(reason: str, note: str | None) -> None:
    if reason == codes.OFF_OTHER and note is None:
        with pytest.raises(ValidationError) as refused:
            clean_off_reason(reason, note)
        assert refused.value.field == "note"
    else:
        assert clean_off_reason(f" {reason.upper()} ", note) == reason


@pytest.mark.parametrize("reason", [None, "", " ", "because"])
def test_a_missing_or_unknown_reason_names_the_field_and_the_choices(reason: str | None) -> None:
    with pytest.raises(ValidationError) as refused:
        clean_off_reason(reason, "a note")
    assert refused.value.field == "reason"
    message = str(refused.value)
    assert all(f'"{code}"' in message for code in codes.STAFF_OFF_REASONS)
    assert "the patient asked" in message and " or " in message


@pytest.mark.parametrize("off_reason", [*codes.OFF_REASONS, None])
@pytest.mark.parametrize("staff_reason", [*codes.STAFF_OFF_REASONS, None])
@pytest.mark.parametrize("switched_off_by", ["dr.kim", "frontdesk", "FrontDesk", None])
def test_note_needed_to_turn_on(
    off_reason: str | None, staff_reason: str | None, switched_off_by: str | None
) -> None:
    needed = note_needed_to_turn_on(
        access_off_reason=off_reason,
        staff_off_reason=staff_reason,
        switched_off_by=switched_off_by,
        actor="frontdesk",
    )
    colleague = (switched_off_by or "").casefold() != "frontdesk"
    expected = off_reason == codes.OFF_BY_STAFF and (colleague or staff_reason in codes.PROTECTED_OFF_REASONS)
    assert (needed is not None) == expected


@pytest.mark.parametrize("old", codes.PATIENT_STATUSES)
@pytest.mark.parametrize("new", codes.PATIENT_STATUSES)
def test_note_needed_for_status_only_when_leaving_deceased(old: str, new: str) -> None:
    needed = note_needed_for_status(old, new)
    assert (needed is not None) == (old == codes.DECEASED and new != codes.DECEASED)
