"""The hash chain's rule: canonical content, and which link breaks first and how."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_desk.domain.audit_chain import GENESIS, ChainLink, check_chain

START = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def _chain(count: int) -> list[ChainLink]:
    links: list[ChainLink] = []
    previous = GENESIS
    for n in range(1, count + 1):
        link = ChainLink(
            n, START + timedelta(minutes=n), "frontdesk", "add_patient", n, None, '{"a": 1}', None, previous
        )
        previous = link.computed_hash()
        links.append(replace(link, entry_hash=previous))
    return links


def test_the_time_is_hashed_in_utc_to_the_second() -> None:
    link = _chain(1)[0]
    elsewhere = link.at.astimezone(timezone(timedelta(hours=-5))).replace(microsecond=999_999)
    naive_utc = link.at.replace(tzinfo=None)
    assert replace(link, at=elsewhere).computed_hash() == link.computed_hash()
    assert replace(link, at=naive_utc).computed_hash() == link.computed_hash()


def test_a_workstation_only_changes_the_hash_when_there_is_one() -> None:
    link = _chain(1)[0]
    assert replace(link, workstation=None).computed_hash() == link.computed_hash()
    assert replace(link, workstation="desk-2").computed_hash() != link.computed_hash()


def test_an_intact_chain_reports_its_end() -> None:
    links = _chain(5)
    report = check_chain(links)
    assert (report.ok, report.entries_checked, report.last_id, report.last_hash) == (
        True,
        5,
        5,
        links[-1].entry_hash,
    )


def test_an_empty_log_is_fine_only_for_an_empty_clinic() -> None:
    assert check_chain([]).ok
    report = check_chain([], clinic_has_data=True)
    assert not report.ok and report.problem == "missing"


@settings(max_examples=60)
@given(count=st.integers(2, 8), data=st.data())
def test_each_kind_of_tampering_is_named_at_its_entry(count: int, data: st.DataObject) -> None:
    links = _chain(count)
    at = data.draw(st.integers(0, count - 1))
    field = data.draw(st.sampled_from(["actor", "action", "before", "after", "note", "patient_id", "at"]))
    new_value: object = START if field == "at" else 999 if field == "patient_id" else "edited"
    changed = [*links[:at], replace(links[at], **{field: new_value}), *links[at + 1 :]]
    report = check_chain(changed)
    assert (report.ok, report.broken_at, report.problem) == (False, at + 1, "changed")

    missing = [*links[:at], *links[at + 1 :]]
    if at < count - 1:  # removing the newest entry leaves a shorter, intact chain: compare last_id
        report = check_chain(missing)
        assert (report.broken_at, report.problem) == (at + 2, "missing")

    forged = replace(links[-1], id=count + 1, actor="intruder")
    report = check_chain([*links, forged])
    assert (report.broken_at, report.problem) == (count + 1, "inserted")


def test_an_entry_slipped_into_an_old_gap_is_inserted() -> None:
    # Entries from before the chain may have id gaps (sequences skip on rollback).
    first, second = _chain(2)
    gap = replace(second, id=5)
    relinked = replace(gap, entry_hash=replace(gap, entry_hash="").computed_hash())
    assert check_chain([first, relinked]).ok
    slipped = replace(first, id=3, actor="intruder")
    report = check_chain([first, slipped, relinked])
    assert (report.broken_at, report.problem) == (3, "inserted")
