"""The roster's SQL agrees with the icon's Python rule for every chart, filter and sort.

A clinic with a mix of charts (demo charts of every colour plus hand-made trouble:
an expired invitation, a locked account, a failed email, a placeholder and a mistyped
email, a shared email, a chart written around the services) is paged through with a
small page size for every filter and sort, both ways; each matching chart must come
exactly once, in the order computed in Python from ``clinic.status(pid)``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select, update

from clinic_desk import Clinic
from clinic_desk.db.models import OutboxEmail, Patient, PortalAccount
from clinic_desk.demo.charts import random_charts
from clinic_desk.domain import codes
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.roster import ROSTER_SORTS, ROSTER_TROUBLES, RosterFilter, RosterRow
from clinic_desk.domain.search_keys import name_key
from tests.conftest import FakeClock
from tests.services.helpers import GOOD_PASSWORD, STAFF, add_invited_patient, add_ready_patient, newest_token


def build_clinic(clinic: Clinic, clock: FakeClock) -> None:
    charts = random_charts(40, seed=15, now=clock.now, placeholder_domain="noemail.invalid")
    clinic.load_demo_charts(charts, actor=STAFF, password=GOOD_PASSWORD)
    expired = add_invited_patient(clinic, "Eve", "Expired")
    clock.advance(days=40)  # the invitation ran out
    assert expired
    locked = add_invited_patient(clinic, "Lou", "Locked")
    clinic.portal.accept_invitation(newest_token(clinic, locked), username="lou1", password=GOOD_PASSWORD)
    for _ in range(8):
        clinic.portal.login("lou1", "not-the-password")
    failed = add_invited_patient(clinic, "Fay", "Failed")
    with clinic.transaction() as session:  # as the mail sender records a refused address
        session.execute(
            update(OutboxEmail)
            .where(OutboxEmail.patient_id == failed)
            .values(status="failed", failed_at=clock())
        )
    add_ready_patient(clinic, "Pat", "Placeholder", email="x@noemail.invalid")
    add_ready_patient(clinic, "Ty", "Typo", email="ty@gmial.com")
    add_ready_patient(clinic, "Sam", "Shared", email="family@example.com")
    add_ready_patient(clinic, "Sue", "Shared", email="family@example.com")
    add_ready_patient(clinic, "Ned", "Noemail", email=None)
    blue = add_invited_patient(clinic, "Bea", "Blue")
    clinic.portal.accept_invitation(newest_token(clinic, blue), username="bea1", password=GOOD_PASSWORD)
    assert clinic.portal.login("bea1", GOOD_PASSWORD)
    dead = add_ready_patient(clinic, "Dee", "Deceased")
    clinic.staff.set_patient_status(dead, "deceased", actor=STAFF, note="checked")


def forget_class(clinic: Clinic, last_name: str) -> None:
    """Write a chart's class away, as a load around the services leaves it."""
    with clinic.transaction() as session:
        pid = session.scalar(select(Patient.id).where(Patient.last_name == last_name))
        session.execute(
            update(PortalAccount).where(PortalAccount.patient_id == pid).values(status_class=None)
        )


def expected_rows(clinic: Clinic) -> dict[int, dict[str, Any]]:
    """Each chart's roster line and sort keys, from the icon's own evaluation."""
    with clinic.reading() as session:
        charts = session.execute(
            select(Patient.id, Patient.mrn, Patient.last_key, Patient.first_key, Patient.date_of_birth)
        ).all()
    found = {}
    for pid, mrn, last_key, first_key, born in charts:
        status = clinic.status(pid)
        troubles = [code for code in ROSTER_TROUBLES if code in status.trouble_codes]
        if status.color == codes.RED:
            main = status.reason_codes[0]
        elif troubles:
            main = troubles[0]
        else:
            main = codes.NEVER_LOGGED_IN if status.color == codes.GOLD else codes.HAS_LOGGED_IN
        found[pid] = {
            "color": status.color,
            "reasons": status.reason_codes,
            "troubles": status.trouble_codes,
            "main": main,
            "keys": {
                "name": (last_key, first_key, pid),
                "mrn": (mrn,),
                "date_of_birth": (born, pid),
                "color": (codes.COLORS.index(status.color), last_key, first_key, pid),
            },
            "names": (last_key, first_key),
        }
    return found


def matches(chart: dict[str, Any], wanted: RosterFilter) -> bool:
    if wanted.color is not None and chart["color"] != wanted.color:
        return False
    if wanted.reason is not None and wanted.reason not in chart["reasons"]:
        return False
    if wanted.trouble is not None and wanted.trouble not in chart["troubles"]:
        return False
    if wanted.text:
        word = name_key(wanted.text)
        return any(key.startswith(word) for key in chart["names"])
    return True


def all_pages(clinic: Clinic, wanted: RosterFilter, sort: Any, descending: bool) -> list[RosterRow]:
    rows: list[RosterRow] = []
    after = None
    while True:
        page = clinic.roster(wanted, sort=sort, descending=descending, after=after, limit=7)
        rows.extend(page.rows)
        if page.next_after is None:
            return rows
        after = page.next_after


FILTERS = [
    RosterFilter(),
    *(RosterFilter(color=color) for color in codes.COLORS),
    *(RosterFilter(reason=code) for code in codes.RED_REASONS),
    *(RosterFilter(trouble=code) for code in ROSTER_TROUBLES),
    RosterFilter(text="shared"),
    RosterFilter(color="gold", text="s"),
]


def test_every_filter_and_sort_pages_each_chart_once_in_python_order(db_url: str, clock: FakeClock) -> None:
    with Clinic.open(db_url, clock=clock) as clinic:
        build_clinic(clinic, clock)
        forget_class(clinic, "Blue")
        forget_class(clinic, "Noemail")
        expected = expected_rows(clinic)
        seen_troubles = set()
        for wanted in FILTERS:
            want_ids = {pid for pid, chart in expected.items() if matches(chart, wanted)}
            seen_troubles.update(wanted.trouble for _ in want_ids)
            assert sorted(clinic.roster_ids(wanted)) == sorted(want_ids), wanted
            for sort in ROSTER_SORTS:
                for descending in (False, True):
                    rows = all_pages(clinic, wanted, sort, descending)
                    order = sorted(want_ids, key=lambda pid: expected[pid]["keys"][sort], reverse=descending)
                    assert [row.patient_id for row in rows] == order, (wanted, sort, descending)
                    for row in rows:
                        chart = expected[row.patient_id]
                        assert (row.color, row.main_reason) == (chart["color"], chart["main"]), row
                        assert row.main_reason_words
        # The hand-made charts made every roster trouble spot hold for someone.
        assert set(ROSTER_TROUBLES) <= seen_troubles


def test_rows_say_dates_and_reasons_in_plain_words(clinic: Clinic, clock: FakeClock) -> None:
    blue = add_invited_patient(clinic, "Bea", "Blue")
    invited_at = clock()
    clinic.portal.accept_invitation(newest_token(clinic, blue), username="bea1", password=GOOD_PASSWORD)
    clock.advance(days=1)
    assert clinic.portal.login("bea1", GOOD_PASSWORD)
    never = add_ready_patient(clinic, "Ned", "Never", date_of_birth="1970-03-04")
    rows = {row.patient_id: row for row in clinic.roster().rows}
    assert rows[blue].color == "blue"
    assert rows[blue].main_reason == codes.HAS_LOGGED_IN
    assert rows[blue].last_invited_at == invited_at
    assert rows[blue].last_login_at == clock()
    assert rows[never].main_reason == codes.NO_INVITATION_SENT
    assert rows[never].main_reason_words == "Never invited"
    assert rows[never].last_invited_at is None and rows[never].last_login_at is None
    assert rows[never].date_of_birth == date(1970, 3, 4)


def test_counts_equal_python_with_and_without_text(db_url: str, clock: FakeClock) -> None:
    with Clinic.open(db_url, clock=clock) as clinic:
        build_clinic(clinic, clock)
        expected = expected_rows(clinic)
        for text in ("", "shared", "l", "zzz"):
            charts = [chart for chart in expected.values() if matches(chart, RosterFilter(text=text))]
            counts = clinic.roster_counts(text)
            assert counts.total == len(charts) == len(clinic.roster_ids(RosterFilter(text=text)))
            assert counts.by_color == {c: sum(ch["color"] == c for ch in charts) for c in codes.COLORS}
            assert counts.by_reason == {
                r: sum(r in ch["reasons"] for ch in charts) for r in codes.RED_REASONS
            }
            assert counts.by_trouble == {
                t: sum(t in ch["troubles"] for ch in charts) for t in ROSTER_TROUBLES
            }


def test_unknown_filter_codes_are_refused_in_plain_words(clinic: Clinic) -> None:
    with pytest.raises(ValidationError, match="no portal colour"):
        clinic.roster(RosterFilter(color="purple"))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="no red reason"):
        clinic.roster_ids(RosterFilter(reason="bored"))
    with pytest.raises(ValidationError, match="does not list"):
        clinic.roster(RosterFilter(trouble=codes.RECENT_FAILED_LOGINS))


def test_a_page_key_of_another_sort_is_refused(clinic: Clinic) -> None:
    add_ready_patient(clinic)
    with pytest.raises(ValidationError, match="does not fit this sort"):
        clinic.roster(sort="color", after=("x",))


def test_by_colour_a_pinned_colour_continues_from_a_place_of_any_colour(
    db_url: str, clock: FakeClock
) -> None:
    # A scroll bar dragged by colour may land on another colour's place: the page continues from
    # there whichever colour it is (the rank is left out of the keyset when the filter pins it).
    with Clinic.open(db_url, clock=clock) as clinic:
        build_clinic(clinic, clock)
        expected = expected_rows(clinic)
        places = [chart["keys"]["color"] for chart in expected.values()]
        assert {place[0] for place in places} == {0, 1, 2}
        pinned = [
            *(RosterFilter(color=color) for color in codes.COLORS),
            RosterFilter(reason=codes.MISSING_EMAIL),
        ]
        for wanted in pinned:
            keys = sorted(chart["keys"]["color"] for chart in expected.values() if matches(chart, wanted))
            assert keys, wanted
            for place in places:
                for descending in (False, True):
                    page = clinic.roster(wanted, sort="color", descending=descending, after=place, limit=500)
                    after = [key for key in keys if (key < place if descending else key > place)]
                    want = [key[-1] for key in (reversed(after) if descending else after)]
                    assert [row.patient_id for row in page.rows] == want, (wanted, place, descending)
