"""The settings form says what the settings rules say: captions, number ranges, security choices."""

from __future__ import annotations

from clinic_desk.domain.settings_rules import LABELS, NUMBER_RANGES, SECURITY_CHOICES
from clinic_desk.ui.settings.fields import (
    CLINIC_FIELDS,
    LINK_FIELDS,
    SECURITY_LABELS,
    SERVER_TEXT_FIELDS,
    STAFF_FIELDS,
)


def test_captions_are_the_names_the_rules_use_in_their_messages():
    for field in (*CLINIC_FIELDS, *LINK_FIELDS, *STAFF_FIELDS, *SERVER_TEXT_FIELDS):
        assert field.label.replace("&", "") == LABELS[field.name]


def test_number_ranges_and_security_choices_come_from_the_rules():
    for field in (*LINK_FIELDS, *STAFF_FIELDS):
        allowed = NUMBER_RANGES[field.name]
        assert (field.minimum, field.maximum) == (allowed.minimum, allowed.maximum)
        assert field.suffix.strip() == allowed.unit
    assert tuple(SECURITY_LABELS) == SECURITY_CHOICES
