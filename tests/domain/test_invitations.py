"""why_skip_in_bulk: who a batch of invitations leaves out, at the edges of each rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from clinic_desk.domain.invitations import why_skip_in_bulk

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def why(**facts):
    given = {
        "name": "Ana Lopez",
        "now": NOW,
        "skip_days": 7,
        "last_login_at": None,
        "invitation_queued": False,
        "live_link_until": None,
        "last_invited_at": None,
    }
    return why_skip_in_bulk(**(given | facts))


def test_never_invited_gets_one():
    assert why() is None


def test_a_portal_user_is_skipped_first():
    said = why(last_login_at=NOW - timedelta(days=3), invitation_queued=True)
    assert said.startswith("Ana Lopez already uses the portal (last signed in ")


def test_a_queued_invitation_comes_before_its_link():
    said = why(invitation_queued=True, live_link_until=NOW + timedelta(days=7))
    assert said == "Ana Lopez already has an invitation waiting to be sent."


def test_a_live_link_until_its_last_moment():
    assert "link that works until" in why(live_link_until=NOW + timedelta(seconds=1))
    assert why(live_link_until=NOW) is None  # it ended now


@pytest.mark.parametrize(
    ("days_ago", "skip_days", "skipped"),
    [(6.99, 7, True), (7, 7, False), (8, 7, False), (8, 10, True), (0.5, 0, False), (0.5, 1, True)],
)
def test_the_skip_window(days_ago, skip_days, skipped):
    said = why(last_invited_at=NOW - timedelta(days=days_ago), skip_days=skip_days)
    assert (said is not None) == skipped
    if skipped:
        unit = "1 day" if skip_days == 1 else f"{skip_days} days"
        assert said.endswith(f"less than {unit} ago.")
