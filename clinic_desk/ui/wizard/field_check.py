"""The rule each wizard box is checked with as staff type: the domain function the service runs.

The functions are pure (no database), so they are safe on the GUI thread; the service
checks again when the action is confirmed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from clinic_desk.domain.email_checks import DEFAULT_PLACEHOLDER_DOMAIN, is_placeholder
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.troubleshooting import StepField
from clinic_desk.domain.validation import clean_email, clean_optional_text, clean_username, clean_zip

#: What is wrong with a value (in the service's words), or None when it would be accepted.
FieldRule = Callable[[str], str | None]

#: The longest note the audit log takes (the services' clean_note).
NOTE_MAX_LENGTH = 500


def _problem(clean: Callable[[str], object]) -> FieldRule:
    """A rule from a domain function that raises ValidationError on a bad value."""

    def rule(value: str) -> str | None:
        try:
            clean(value)
        except ValidationError as error:
            return str(error)
        return None

    return rule


@dataclass(frozen=True)
class FieldRules:
    """The clinic's side of the rules: its placeholder domain and dummy addresses."""

    placeholder_domain: str = DEFAULT_PLACEHOLDER_DOMAIN
    placeholder_check: Callable[[str], bool] = is_placeholder

    @classmethod
    def for_settings(cls, settings: Any) -> FieldRules:
        """The rules by the clinic's settings (``clinic.settings``)."""
        return cls(
            placeholder_domain=settings.placeholder_domain,
            placeholder_check=lambda email: is_placeholder(
                email, settings.placeholder_domain, settings.placeholder_addresses
            ),
        )

    def rule_for(self, field: StepField) -> FieldRule | None:
        """The check for ``field``'s box as typed (None: nothing to check, like a read-only box)."""
        if field.read_only:
            return None
        if field.kind == "email":
            return _problem(lambda value: clean_email(value, self.placeholder_domain))
        if field.kind == "zip_code":
            return _problem(clean_zip)
        if field.kind == "username":
            return _problem(clean_username)
        if field.kind == "note":
            return _problem(lambda value: clean_optional_text(value, "Note", NOTE_MAX_LENGTH))
        return None
