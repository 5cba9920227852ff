"""parse_roster_filter: the command line's roster filter, every key and every refusal."""

from __future__ import annotations

import pytest

from clinic_desk.domain import codes
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.roster import ROSTER_TROUBLES, RosterFilter, parse_roster_filter


def test_empty_is_the_whole_roster():
    assert parse_roster_filter("") == RosterFilter()
    assert parse_roster_filter("   ") == RosterFilter()


def test_every_key_sets_its_field():
    assert parse_roster_filter('color=gold trouble=no_invitation_sent text="ana lopez"') == RosterFilter(
        color="gold", trouble="no_invitation_sent", text="ana lopez"
    )
    assert parse_roster_filter("COLOUR=Red reason=missing_email search=smith") == RosterFilter(
        color="red", reason="missing_email", text="smith"
    )


@pytest.mark.parametrize("color", codes.COLORS)
def test_every_color(color):
    assert parse_roster_filter(f"color={color}").color == color


@pytest.mark.parametrize("reason", codes.RED_REASONS)
def test_every_red_reason(reason):
    assert parse_roster_filter(f"reason={reason}").reason == reason


@pytest.mark.parametrize("trouble", ROSTER_TROUBLES)
def test_every_roster_trouble(trouble):
    assert parse_roster_filter(f"trouble={trouble}").trouble == trouble


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("color=purple", "choose one of red, gold, blue"),
        ("reason=never_logged_in", "reason 'never_logged_in' is not one the roster knows"),
        ("trouble=recent_failed_logins", "trouble 'recent_failed_logins'"),  # not a roster trouble
        ("size=9", "'size=9' is not one of"),
        ("gold", "'gold' is not one of"),
        ("color=gold color=red", "color is given twice"),
        ('text="ana', "a quote is not closed"),
    ],
)
def test_refusals_say_what_to_type(text, words):
    with pytest.raises(ValidationError, match=words) as refused:
        parse_roster_filter(text)
    assert refused.value.field == "filter"
