"""The text gate: caps and hidden characters refused at the door, before any database work."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import event, text

from clinic_desk import Clinic, DatabaseUnavailable, NotAllowed, ValidationError
from clinic_desk.db import engine as engine_module
from clinic_desk.db.engine import SQLITE_BUSY_TIMEOUT_MS
from clinic_desk.domain.email_idn import readable_email
from tests.conftest import FakeClock
from tests.services.helpers import GOOD_PASSWORD, STAFF, add_ready_patient

ESSAY = "5" * 40_000  # the phone check once took 40 s on this, holding the write lock


@pytest.fixture
def statements(clinic: Clinic) -> Iterator[list[str]]:
    """Every SQL statement the clinic's engine sends, as it sends it."""
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        sent.append(statement)

    event.listen(clinic.engine, "before_cursor_execute", record)
    yield sent
    event.remove(clinic.engine, "before_cursor_execute", record)


def _refused_calls(clinic: Clinic, pid: int) -> dict[str, tuple[Callable[[], object], str]]:
    staff, portal = clinic.staff, clinic.portal
    return {
        "add_patient phone": (
            lambda: staff.add_patient(
                first_name="Ana", last_name="Ruiz", date_of_birth="1980-01-01", phone=ESSAY, actor=STAFF
            ),
            "phone",
        ),
        "update_contact phone": (lambda: staff.update_contact(pid, phone=ESSAY, actor=STAFF), "phone"),
        "update_contact city NUL": (
            lambda: staff.update_contact(pid, city="Bos\x00ton", actor=STAFF),
            "city",
        ),
        "zero-width last name": (
            lambda: staff.add_patient(
                first_name="Ana", last_name="Ru\u200biz", date_of_birth="1980-01-01", actor=STAFF
            ),
            "last_name",
        ),
        "note essay": (
            lambda: staff.set_portal_access(
                pid, enabled=False, reason="other", note="n" * 10_000, actor=STAFF
            ),
            "note",
        ),
        "password surrogate": (
            lambda: staff.set_credentials(pid, username="ana.ruiz", password="pass\ud800word1", actor=STAFF),
            "password",
        ),
        "status essay": (lambda: staff.set_patient_status(pid, "x" * 5_000, actor=STAFF), "status"),
        "actor escape": (lambda: staff.send_invitation(pid, actor="\x1b[31mfrontdesk"), "actor"),
        "settings essay": (
            lambda: clinic.update_settings(actor=STAFF, clinic_name="c" * 50_000),
            "clinic_name",
        ),
        "register email": (
            lambda: portal.self_register(
                first_name="Ana",
                last_name="Ruiz",
                date_of_birth="1980-01-01",
                email="a" * 5_000 + "@example.com",
                zip_code="02139",
                username="ana.ruiz",
                password=GOOD_PASSWORD,
            ),
            "email",
        ),
    }


NAMES = [
    "add_patient phone",
    "update_contact phone",
    "update_contact city NUL",
    "zero-width last name",
    "note essay",
    "password surrogate",
    "status essay",
    "actor escape",
    "settings essay",
    "register email",
]


@pytest.mark.parametrize("name", NAMES)
def test_bad_text_is_refused_before_any_statement(clinic: Clinic, statements: list[str], name: str) -> None:
    pid = add_ready_patient(clinic)
    call, field = _refused_calls(clinic, pid)[name]
    statements.clear()
    started = time.perf_counter()
    with pytest.raises(ValidationError) as caught:
        call()
    assert caught.value.field == field
    assert statements == []  # refused at the door: no lock taken, nothing read or written
    assert time.perf_counter() - started < 1.0  # a cap before any parsing (it once took 40 s)
    assert len(caught.value.message) < 140  # never the pasted text itself
    assert "\x00" not in caught.value.message and "\x1b" not in caught.value.message


def test_a_refused_essay_does_not_block_another_workstation(sqlite_url: str, clock: FakeClock) -> None:
    """While one desk pastes an essay into the phone field, the other desk's saves go through."""
    with Clinic.open(sqlite_url, clock=clock) as desk1, Clinic.open(sqlite_url, clock=clock) as desk2:
        pid = add_ready_patient(desk1)
        stop = threading.Event()
        refusals: list[str] = []

        def paste_essays() -> None:
            while not stop.is_set():
                try:
                    desk1.staff.update_contact(pid, phone=ESSAY, actor=STAFF)
                except ValidationError as error:
                    refusals.append(error.message)

        paster = threading.Thread(target=paste_essays)
        paster.start()
        try:
            started = time.perf_counter()
            for number in range(20):
                desk2.staff.update_contact(pid, city=f"Town {number}", actor=STAFF)
            elapsed = time.perf_counter() - started
        finally:
            stop.set()
            paster.join()
        assert desk2.staff.chart(pid).city == "Town 19"
        assert refusals and set(refusals) == {"Phone: at most 40 characters."}
        # No save waited for the busy timeout: the refused calls never held the lock.
        assert elapsed < SQLITE_BUSY_TIMEOUT_MS / 1000


def test_a_held_write_lock_does_not_delay_a_refusal(sqlite_url: str, clock: FakeClock) -> None:
    with Clinic.open(sqlite_url, clock=clock) as desk1, Clinic.open(sqlite_url, clock=clock) as desk2:
        pid = add_ready_patient(desk1)
        with desk2.transaction() as session:  # desk 2 is in the middle of a save
            session.execute(text("UPDATE counters SET value = value"))
            started = time.perf_counter()
            with pytest.raises(ValidationError):
                desk1.staff.update_contact(pid, phone=ESSAY, actor=STAFF)
            # Asking for the lock would have waited SQLITE_BUSY_TIMEOUT_MS (10 s) here.
            assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize(
    "actor",
    [
        "front\x00desk",
        "front\u200bdesk",
        "\x1b[2Jadmin",
        "\u202eksedtnorf",
        "portal",
        "Patient (Portal)",
        "patient  (portal)",
        "a" * 65,
        "front\ndesk",
        "front\u2028desk",
        "\ud800",
        "",
        "   ",
    ],
)
def test_the_actor_is_plain_printable_text(clinic: Clinic, actor: str) -> None:
    with pytest.raises(ValidationError) as caught:
        clinic.staff.add_patient(first_name="Ana", last_name="Ruiz", date_of_birth="1980-01-01", actor=actor)
    assert caught.value.field == "actor"
    assert clinic.staff.find_patients("ruiz") == []


def test_plain_actors_are_kept(clinic: Clinic) -> None:
    for actor in ("frontdesk", "Dr. Kim (desk 2)", "José Núñez", "a" * 64):
        clinic.staff.add_patient(first_name="Ana", last_name="Ruiz", date_of_birth="1980-01-01", actor=actor)


def test_registration_is_still_recorded_as_the_portal(clinic: Clinic) -> None:
    pid = clinic.portal.self_register(
        first_name="Ana",
        last_name="Ruiz",
        date_of_birth="1980-01-01",
        email="ana@example.com",
        zip_code="02139",
        username="ana.ruiz",
        password=GOOD_PASSWORD,
    )
    assert {entry.actor for entry in clinic.staff.audit_trail(pid)} == {"patient (portal)"}


@pytest.mark.parametrize("garbage", ["\ud800", "a\x00b", "x" * 5_000, "\u202e", ""])
def test_patient_side_answers_stay_uniform(clinic: Clinic, garbage: str) -> None:
    assert clinic.portal.login(garbage, GOOD_PASSWORD) is False
    assert clinic.portal.login("ana.ruiz", garbage) is False
    with pytest.raises(NotAllowed) as first:
        clinic.portal.confirm_registration(garbage)
    with pytest.raises(NotAllowed) as second:
        clinic.portal.accept_invitation(garbage, password=GOOD_PASSWORD)
    with pytest.raises(NotAllowed) as third:
        clinic.portal.change_password(garbage or "nobody", "old-password-1", GOOD_PASSWORD)
    assert first.value.message == second.value.message == third.value.message


def test_a_new_password_with_hidden_characters_is_about_the_password(clinic: Clinic) -> None:
    with pytest.raises(ValidationError) as caught:
        clinic.portal.change_password("ana.ruiz", "old-password-1", "new\x00password-1")
    assert caught.value.field == "new_password"


def test_international_domain_is_kept_in_ascii_and_shown_readable(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic, email="Ana@Bücher.Example")
    stored = clinic.staff.chart(pid).email
    assert stored == "Ana@xn--bcher-kva.example"
    assert readable_email(stored) == "Ana@bücher.example"
    with pytest.raises(ValidationError) as caught:
        clinic.staff.update_contact(pid, email="anä@example.com", actor=STAFF)
    assert "before the @" in caught.value.message


def test_a_busy_file_says_another_workstation_is_saving(
    sqlite_url: str, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 300)  # not the real 10 s wait
    with Clinic.open(sqlite_url, clock=clock) as desk1, Clinic.open(sqlite_url, clock=clock) as desk2:
        pid = add_ready_patient(desk1)
        with desk2.transaction() as session:  # desk 2's save holds the file
            session.execute(text("UPDATE counters SET value = value"))
            with pytest.raises(DatabaseUnavailable) as caught:
                desk1.staff.update_contact(pid, city="Cambridge", actor=STAFF)
        assert caught.value.message == "Another workstation is saving — try again. Nothing was saved."
        assert desk1.staff.chart(pid).city is None
        desk1.staff.update_contact(pid, city="Cambridge", actor=STAFF)  # trying again works
        assert desk1.staff.chart(pid).city == "Cambridge"
