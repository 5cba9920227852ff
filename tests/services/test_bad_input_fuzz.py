"""Every text argument of every facade call, fed with anything (issue 11).

The calls are found by introspecting ``Clinic``, ``clinic.staff``, ``clinic.portal``,
``clinic.mail``, ``clinic.setup``, ``clinic.admin`` and ``clinic.access``, so a new call (or
a new keyword such as ``request_id=``) is fuzzed without anyone remembering to add it. A
required argument this file does not know how to fill fails the test, with its name: teach it
below.

Rules checked on SQLite, PostgreSQL and MariaDB:
- the only exceptions are the documented ``ClinicDeskError`` kinds;
- a refused call writes nothing (every table's content is compared before and after),
  except that a patient-side refusal keeps its count and audit entry (DESIGN.md section 3),
  and a refused staff sign-in its failure count (and lockout entry).

The clinic has one staff account (``STAFF``, an administrator), as a clinic in use does:
every staff call goes through the actor rule too.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from clinic_desk import Clinic, ClinicDeskError, NotAllowed
from clinic_desk.db.models import Base
from clinic_desk.domain.patient_import import ImportReport
from clinic_desk.domain.roster import RosterFilter
from clinic_desk.domain.settings_rules import LABELS, NUMBER_RANGES
from tests.conftest import FakeClock
from tests.services.helpers import GOOD_PASSWORD, STAFF, add_invited_patient

# Calls that talk to a mail server or loop forever: their text goes through the same gate
# (tests/services/test_text_gate.py), but a fuzzer must not send mail or block.
NOT_FUZZED = {
    "Clinic.open": "opens or creates a database from a URL (the command line's fuzz test covers --db)",
    "mail.deliver_now": "sends mail",
    "mail.send_test_email": "sends mail",
    "setup.send_test_email": "sends mail",
    "mail.run_sender": "runs until stopped",
    "Clinic.run": "plumbing: runs the function it is given (request_id is fuzzed through staff calls)",
}

# A sensible value for each text argument, so that the fuzzed one is what is at fault.
GOOD_TEXT: dict[str, str] = {
    "first_name": "Ana",
    "last_name": "Ruiz",
    "preferred_name": "Annie",
    "date_of_birth": "1980-01-01",
    "email": "ana.ruiz@example.com",
    "zip_code": "02139",
    "phone": "(617) 555-0100",
    "address_line1": "1 Main St",
    "address_line2": "Apt 2",
    "city": "Boston",
    "state": "MA",
    "sex": "F",
    "status": "active",
    "created_via": "staff",
    "actor": STAFF,
    "note": "checked with the patient",
    "reason": "patient_request",
    "username": "ana.ruiz",
    "password": GOOD_PASSWORD,
    "old_password": GOOD_PASSWORD,
    "new_password": "green-valley-77",
    "token": "not-a-real-token",
    "text": "ruiz",
    "ref": "1",
    "to": "desk@example.com",
    "media_type": "image/png",
    "source": "203.0.113.7",
    "request_id": "fuzz-request",
    "action": "update_contact",
    "viewer": STAFF,
    "full_name": "Ana Ruiz",
    "role": "front_desk",
    "permission": "view",
    "kind": "opened",
    "code": "ABCD-EFGH",
    "username_or_email": "ana.ruiz@example.com",
    "what": "form",
    "keep_token": "not-a-real-token",
}
TEXT_SETTINGS = sorted(name for name in LABELS if name not in NUMBER_RANGES)
# What a refused portal call may write: the attempt counts, the event, the account's failed
# logins, and so the kept counts when that moves the account into "recent failed logins".
REFUSAL_TABLES = {"portal_attempts", "portal_events", "audit_log", "portal_accounts", "status_count_deltas"}
# What a refused staff sign-in (or own password change) may write: its count, its lockout entry.
SIGN_IN_CALLS = {"admin.sign_in", "admin.sign_in_again", "admin.change_own_password"}
SIGN_IN_TABLES = {"staff_members", "audit_log"}
APPEND_ONLY = {"audit_log", "portal_events"}

NASTY = [
    "a\x00b",
    "x\udfff",
    "\u200b\u202eevil",
    "\x1b[31mred",
    "²",
    "x@\U0010ffff",
    "line\nbreak",
    "",
    "'; DROP TABLE patients; --",
    "5" * 50_000,
    "\U0001f600" * 100,
]
NASTY_PER_ARGUMENT = 5
# The settings calls other than update_settings share its path: two settings stand for all there.
SAMPLE_SETTINGS = ("clinic_name", "placeholder_addresses")


@dataclass(frozen=True)
class Target:
    """One text argument of one facade call."""

    call: str  # "staff.add_patient"
    argument: str  # "first_name", or "setting:clinic_name" for a settings mapping


def _is_text(annotation: object) -> bool:
    words = str(annotation)
    return bool(re.search(r"\bstr\b", words)) and "Mapping" not in words


def _parts(clinic: Clinic) -> dict[str, object]:
    return {
        "Clinic": clinic,
        "staff": clinic.staff,
        "portal": clinic.portal,
        "mail": clinic.mail,
        "setup": clinic.setup,
        "admin": clinic.admin,
        "access": clinic.access,
    }


def _calls(clinic: Clinic) -> dict[str, Callable[..., Any]]:
    found: dict[str, Callable[..., Any]] = {}
    for part_name, part in _parts(clinic).items():
        for name in dir(type(part)):
            if name.startswith("_") or isinstance(inspect.getattr_static(type(part), name), property):
                continue
            method = getattr(part, name)
            if callable(method) and f"{part_name}.{name}" not in NOT_FUZZED:
                found[f"{part_name}.{name}"] = method
    return found


def _targets(clinic: Clinic) -> list[Target]:
    targets: list[Target] = []
    for call, method in _calls(clinic).items():
        for parameter in inspect.signature(method).parameters.values():
            if parameter.kind is inspect.Parameter.VAR_KEYWORD or "Mapping" in str(parameter.annotation):
                names = TEXT_SETTINGS if call == "Clinic.update_settings" else SAMPLE_SETTINGS
                targets += [Target(call, f"setting:{name}") for name in names]
            elif _is_text(parameter.annotation):
                targets.append(Target(call, parameter.name))
    return targets


def _arguments(method: Callable[..., Any], target: Target, value: str, pid: int) -> dict[str, Any]:
    """Keyword arguments for one call: good values everywhere, ``value`` in the fuzzed place."""
    non_text: dict[str, Any] = {
        "patient_id": pid,
        "enabled": True,
        "color": "red",
        "charts": [],
        "image": b"\x89PNG\r\n\x1a\n",
        "patient_ids": [pid],
        "filter": RosterFilter(),
        "report": ImportReport(rejected=[(2, "MRN is missing")]),
    }
    arguments: dict[str, Any] = {}
    for parameter in inspect.signature(method).parameters.values():
        name = parameter.name
        if parameter.kind is inspect.Parameter.VAR_KEYWORD or "Mapping" in str(parameter.annotation):
            if target.argument.startswith("setting:"):
                setting = target.argument.removeprefix("setting:")
                if parameter.kind is inspect.Parameter.VAR_KEYWORD:
                    arguments[setting] = value
                else:
                    arguments[name] = {setting: value}
            elif (
                parameter.default is inspect.Parameter.empty
                and parameter.kind is not inspect.Parameter.VAR_KEYWORD
            ):
                arguments[name] = {}
        elif name == target.argument:
            arguments[name] = value
        elif name in non_text:
            arguments[name] = non_text[name]
        elif parameter.default is not inspect.Parameter.empty:
            continue
        elif _is_text(parameter.annotation) and name in GOOD_TEXT:
            arguments[name] = GOOD_TEXT[name]
        else:
            pytest.fail(f"{target.call}: teach the fuzz test a value for the required argument {name!r}")
    return arguments


def _fingerprint(clinic: Clinic) -> dict[str, str]:
    """Every table's content hashed; the append-only logs by their row count and newest id."""
    prints: dict[str, str] = {}
    engine = clinic.engine.execution_options(clinic_read_only=True)
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name in APPEND_ONLY:  # they grow with every refusal: keep this cheap
                key = table.c.id
                rows = connection.execute(select(func.count(), func.max(key))).all()
            else:
                rows = connection.execute(select(table).order_by(*table.primary_key.columns)).all()
            prints[table.name] = hashlib.sha256(repr(rows).encode("utf-8", "backslashreplace")).hexdigest()
    return prints


class Prints:
    """The clinic's fingerprint, read again only after a call that may have written."""

    def __init__(self, clinic: Clinic) -> None:
        self.clinic = clinic
        self.last: dict[str, str] | None = None

    def before(self) -> dict[str, str]:
        known = self.last if self.last is not None else _fingerprint(self.clinic)
        self.last = None  # the call may go through and write
        return known

    def after(self) -> dict[str, str]:
        self.last = _fingerprint(self.clinic)
        return self.last


def _attempt(
    prints: Prints, calls: dict[str, Callable[..., Any]], target: Target, value: str, pid: int
) -> None:
    method = calls[target.call]
    arguments = _arguments(method, target, value, pid)
    before = prints.before()
    try:
        method(**arguments)
    except ClinicDeskError as refused:
        after = prints.after()
        changed = {name for name in before if before[name] != after[name]}
        if target.call.startswith("portal.") and isinstance(refused, NotAllowed):
            changed -= REFUSAL_TABLES
        if target.call in SIGN_IN_CALLS and isinstance(refused, NotAllowed):
            changed -= SIGN_IN_TABLES
        assert not changed, f"{target} refused ({refused.message}) but wrote to {sorted(changed)}"
        assert len(refused.message) < 400, f"{target}: the message repeats what was typed"
        assert "\x00" not in refused.message and "\x1b" not in refused.message
    except Exception as error:  # pragma: no cover - the failure message is the point
        pytest.fail(
            f"{target} with {value[:40]!r}…: {type(error).__name__} is not a documented error: {error}"
        )


@pytest.fixture
def fuzzed(
    db_url: str, clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Clinic, dict[str, Callable[..., Any]], list[Target], int]]:
    # Calls that write or read a file (exports, imports) do it in this test's own folder.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(GOOD_TEXT, "path", str(tmp_path / "roster.csv"))
    with Clinic.open(db_url, clock=clock) as clinic:
        clinic.admin.add_staff(
            username=STAFF, full_name="Front Desk", role="admin", password=GOOD_PASSWORD, actor=STAFF
        )
        pid = add_invited_patient(clinic)
        calls = _calls(clinic)
        yield clinic, calls, _targets(clinic), pid


def test_every_text_argument_is_found(fuzzed: tuple[Clinic, Any, list[Target], int]) -> None:
    _clinic, _calls_found, targets, _pid = fuzzed
    found = {(target.call, target.argument) for target in targets}
    for expected in [
        ("staff.add_patient", "first_name"),
        ("staff.update_contact", "phone"),
        ("staff.find_patients", "text"),
        ("staff.resolve_patient", "ref"),
        ("portal.login", "password"),
        ("portal.confirm_registration", "token"),
        ("portal.accept_invitation", "token"),
        ("portal.check_match", "last_name"),
        ("Clinic.update_settings", "actor"),
        ("Clinic.update_settings", "setting:portal_url"),
        ("setup.save", "setting:placeholder_addresses"),
        ("admin.add_staff", "full_name"),
        ("admin.sign_in", "password"),
        ("admin.change_own_password", "new_password"),
        ("admin.set_staff_role", "role"),
        ("admin.break_glass_reset", "actor"),
        ("admin.check_may", "permission"),
        ("Clinic.audit", "actor"),
        ("Clinic.audit", "action"),
        ("Clinic.audit", "viewer"),
        ("access.note", "kind"),
    ]:
        assert expected in found


def test_known_nasty_text_in_every_argument(fuzzed: tuple[Clinic, Any, list[Target], int]) -> None:
    clinic, calls, targets, pid = fuzzed
    prints = Prints(clinic)
    for number, target in enumerate(targets):
        # In CI each argument gets a rotating share of the list; every string still meets
        # dozens of calls (the gate is shared). Locally, every argument gets all of it.
        share = range(number, number + NASTY_PER_ARGUMENT) if os.environ.get("CI") else range(len(NASTY))
        for index in share:
            _attempt(prints, calls, target, NASTY[index % len(NASTY)], pid)


# The troublemakers (NUL, lone surrogates, zero-width, direction override, escape, the
# last code point...) are put into good values on purpose: drawn as any code point they
# would turn up once in a million.
TROUBLE = ["\x00", "\ud800", "\udfff", "\u200b", "\u202e", "\x1b", "\U0010ffff", "²", "\x85", "\ufeff"]
ANY_CHARACTER = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())


def _spliced(good: str, bad: str, at: int) -> str:
    return good[:at] + bad + good[at:]


GOOD_VALUES = st.sampled_from(sorted(GOOD_TEXT.values()))
ANY_TEXT = st.one_of(
    st.builds(_spliced, GOOD_VALUES, st.sampled_from(TROUBLE), st.integers(0, 20)),
    st.builds(_spliced, GOOD_VALUES, st.text(ANY_CHARACTER, min_size=1, max_size=3), st.integers(0, 20)),
    st.text(ANY_CHARACTER, max_size=30),
    st.builds(
        lambda piece, times: piece * times,
        st.text(ANY_CHARACTER, min_size=1, max_size=4),
        st.integers(1, 15_000),
    ),
)
EXAMPLES = 100 if os.environ.get("CI") else 300


def test_arbitrary_text_in_every_argument(fuzzed: tuple[Clinic, Any, list[Target], int]) -> None:
    clinic, calls, targets, pid = fuzzed
    prints = Prints(clinic)

    @settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.too_slow])
    @given(target=st.sampled_from(targets), value=ANY_TEXT)
    def attempt(target: Target, value: str) -> None:
        _attempt(prints, calls, target, value, pid)

    attempt()
