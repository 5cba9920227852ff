"""Who may use the portal, and why the icon is red: the one home of these rules (DESIGN.md section 1).

The red reasons are a table of plain conditions on a patient's stored facts. Python
evaluates the table here; ``clinic_desk.db.status_sql`` compiles the *same* table to
SQL, so a count by colour can never disagree with the icon. The colour is derived
from the table: red exactly when a red reason holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from clinic_desk.domain import codes
from clinic_desk.domain.codes import Color

Fact = Literal["patient_status", "access_enabled", "access_off_reason", "email", "zip_code"]
Test = Literal["is", "is_not", "in", "not_in", "blank"]


@dataclass(frozen=True)
class Condition:
    """One test on one stored fact. ``not_in`` holds for a missing (None) value too."""

    fact: Fact
    test: Test
    value: object = None

    def holds(self, facts: RuleFacts) -> bool:
        """Whether the condition holds for these facts."""
        actual = getattr(facts, self.fact)
        if self.test == "blank":
            return is_blank(actual)
        if self.test == "is":
            return bool(actual == self.value)
        if self.test == "is_not":
            return bool(actual != self.value)
        values = self.value if isinstance(self.value, tuple) else (self.value,)
        return (actual in values) if self.test == "in" else (actual not in values)


@dataclass(frozen=True)
class RedRule:
    """A red reason and the conditions that all hold when it applies."""

    code: str
    when: tuple[Condition, ...]

    def holds(self, facts: RuleFacts) -> bool:
        """Whether this red reason applies."""
        return all(condition.holds(facts) for condition in self.when)


class RuleFacts(Protocol):
    """The stored facts the rules read (PortalFacts has them; so does any row-like object)."""

    @property
    def patient_status(self) -> str: ...
    @property
    def access_enabled(self) -> bool: ...
    @property
    def access_off_reason(self) -> str | None: ...
    @property
    def email(self) -> str | None: ...
    @property
    def zip_code(self) -> str | None: ...


def is_blank(text: object) -> bool:
    """Nothing on file: None, or only spaces (SQL's TRIM strips spaces only, so this does too)."""
    return text is None or (isinstance(text, str) and text.strip(" ") == "")


_SWITCH_OFF = Condition("access_enabled", "is", False)

#: The red reasons, in contract order. Exactly one of the three switch reasons holds
#: whenever the switch is off.
RED_RULES: tuple[RedRule, ...] = (
    RedRule(codes.PATIENT_DECEASED, (Condition("patient_status", "is", codes.DECEASED),)),
    RedRule(codes.PATIENT_INACTIVE, (Condition("patient_status", "is", codes.INACTIVE),)),
    RedRule(
        codes.ACCESS_DISABLED_BY_STAFF,
        (_SWITCH_OFF, Condition("access_off_reason", "is", codes.OFF_BY_STAFF)),
    ),
    RedRule(
        codes.REGISTRATION_UNCONFIRMED,
        (_SWITCH_OFF, Condition("access_off_reason", "is", codes.OFF_UNCONFIRMED)),
    ),
    RedRule(codes.MISSING_EMAIL, (Condition("email", "blank"),)),
    RedRule(codes.MISSING_ZIP, (Condition("zip_code", "blank"),)),
    RedRule(
        codes.ACCESS_NOT_ENABLED,
        (_SWITCH_OFF, Condition("access_off_reason", "not_in", (codes.OFF_BY_STAFF, codes.OFF_UNCONFIRMED))),
    ),
)
assert tuple(rule.code for rule in RED_RULES) == codes.RED_REASONS, "the table follows the contract order"


def red_reason_codes(facts: RuleFacts) -> tuple[str, ...]:
    """Every red reason that holds, in contract order."""
    return tuple(rule.code for rule in RED_RULES if rule.holds(facts))


def has_logged_in(last_login_at: datetime | None, login_count: int) -> bool:
    """Whether the patient ever logged in (blue rather than gold)."""
    return last_login_at is not None or login_count > 0


def color_from(red_codes: tuple[str, ...], logged_in: bool) -> Color:
    """Red when any red reason holds; else blue after a first login; else gold."""
    if red_codes:
        return codes.RED
    return codes.BLUE if logged_in else codes.GOLD


# -- may this patient use the portal? --------------------------------------------------------


def status_allows_portal(patient_status: str) -> bool:
    """Only active and prospective patients may use the portal."""
    return patient_status in codes.PORTAL_STATUSES


def can_sign_in(patient_status: str, access_enabled: bool) -> bool:
    """Whether the portal lets this patient in (and lets their links work): status allows it, switch on."""
    return status_allows_portal(patient_status) and access_enabled


def why_access_cannot_turn_on(patient_status: str, email: str | None, zip_code: str | None) -> str | None:
    """The red reason code that stops staff turning access on, or None when it may be turned on."""
    if patient_status == codes.DECEASED:
        return codes.PATIENT_DECEASED
    if not status_allows_portal(patient_status):
        return codes.PATIENT_INACTIVE
    if is_blank(email):
        return codes.MISSING_EMAIL
    if is_blank(zip_code):
        return codes.MISSING_ZIP
    return None
