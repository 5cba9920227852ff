"""The History card's words: the domain's audit words, with the card's own short times."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clinic_desk.domain import audit_words
from clinic_desk.domain.audit_words import ACCESS_ACTIONS, action_words
from clinic_desk.ui.patient.emails_card import short_time

__all__ = ["ACCESS_ACTIONS", "action_words", "changes", "changes_words"]


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(label, before, after) for each changed field, times as the card says them."""
    return audit_words.changes(before, after, short_time)


def changes_words(before: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    """'Portal access: on → off; Reason: Security', times as the card says them."""
    return audit_words.changes_words(before, after, short_time)
