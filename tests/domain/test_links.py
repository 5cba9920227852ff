"""The life of a link: every combination of used, revoked and expired, and the words for each."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from clinic_desk.domain.facts import LinkFacts
from clinic_desk.domain.links import LinkState, link_state, link_state_words

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
EARLIER = NOW - timedelta(days=1)


@pytest.mark.parametrize(("used", "revoked", "expired"), list(itertools.product([False, True], repeat=3)))
def test_used_beats_revoked_beats_expired(used: bool, revoked: bool, expired: bool) -> None:
    expires_at = EARLIER if expired else NOW + timedelta(days=1)
    state = link_state(
        used_at=EARLIER if used else None,
        revoked_at=EARLIER if revoked else None,
        expires_at=expires_at,
        now=NOW,
    )
    expected = (
        LinkState.USED
        if used
        else LinkState.REVOKED
        if revoked
        else LinkState.EXPIRED
        if expired
        else LinkState.ACTIVE
    )
    assert state is expected
    words = link_state_words(
        state,
        used_at=EARLIER if used else None,
        revoked_at=EARLIER if revoked else None,
        expires_at=expires_at,
    )
    assert (
        words.split()[0]
        == {"used": "used", "revoked": "cancelled", "expired": "expired", "active": "valid"}[state.value]
    )


def test_a_link_expires_at_its_exact_expiry_time() -> None:
    assert link_state(used_at=None, revoked_at=None, expires_at=NOW, now=NOW) is LinkState.EXPIRED
    assert link_state(used_at=None, revoked_at=None, expires_at=NOW, now=EARLIER) is LinkState.ACTIVE


def test_link_facts_ask_the_same_rule() -> None:
    link = LinkFacts(
        kind="invitation", sent_to="a@example.com", created_at=EARLIER, expires_at=NOW, revoked_at=EARLIER
    )
    assert link.state(NOW) is LinkState.REVOKED and not link.expired(NOW)


def test_states_are_stable_strings() -> None:
    assert [state.value for state in LinkState] == ["active", "used", "expired", "revoked"]
