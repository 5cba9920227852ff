"""Issue 10 part B: the attacks on the patient side, each refused, counted and audited.

Everything goes through the public API, on SQLite, PostgreSQL and MariaDB.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from clinic_desk import Clinic, NotAllowed, ValidationError
from clinic_desk.db.models import PortalEvent
from clinic_desk.services.portal_guard import REFUSED
from tests.conftest import FakeClock
from tests.services.helpers import (
    GOOD_PASSWORD,
    STAFF,
    add_ready_patient,
    make_blue,
    register_online,
)

WRONG = "not-my-password-9"
CLAIM = {"email": "ana.lopez@example.com", "last_name": "Lopez", "zip_code": "02139"}


def _switch_off(clinic: Clinic, patient_id: int) -> None:
    """Staff turn access off: the account may be compromised."""
    clinic.staff.set_portal_access(patient_id, enabled=False, actor=STAFF, reason="security")


def _actions(clinic: Clinic, patient_id: int, action: str) -> list[dict[str, object]]:
    return [entry.after for entry in clinic.staff.audit_trail(patient_id) if entry.action == action]


def _refused(call: object, *args: object, **kwargs: object) -> None:
    assert callable(call)
    with pytest.raises(NotAllowed) as caught:
        call(*args, **kwargs)
    assert caught.value.message == REFUSED


def _claim(clinic: Clinic, born: str, username: str = "ana.l", **changes: str) -> int:
    return clinic.portal.claim_account(
        **{**CLAIM, **changes}, date_of_birth=born, username=username, password=GOOD_PASSWORD
    )


def _no_secret_in(entries: list[dict[str, object]], *secrets: str) -> None:
    text = repr(entries)
    for secret in secrets:
        assert secret not in text


# ----- change_password (item 5) -----


def test_change_password_after_lockout_is_refused_counted_and_audited(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    make_blue(clinic, pid)
    for _ in range(5):
        assert not clinic.portal.login("ana.lopez", WRONG)
    assert "account_locked" in clinic.status(pid).trouble_codes
    for guess in range(20):
        _refused(clinic.portal.change_password, "ana.lopez", f"guess-number-{guess}", "brand-new-pass-1")
    # The right password does not get past the lock either.
    _refused(clinic.portal.change_password, "ana.lopez", GOOD_PASSWORD, "brand-new-pass-1")
    locked = clinic.status(pid).trouble("account_locked")
    assert locked is not None and locked.facts["failed_logins"] == 26
    failures = _actions(clinic, pid, "portal_change_password_failed")
    assert len(failures) == 21 and {entry["why"] for entry in failures} == {"account_locked"}
    _no_secret_in(failures, "guess-number", GOOD_PASSWORD, "brand-new-pass-1")
    clinic.staff.unlock_account(pid, actor=STAFF)
    assert not clinic.portal.login("ana.lopez", "brand-new-pass-1")
    assert clinic.portal.login("ana.lopez", GOOD_PASSWORD)


def test_change_password_counts_wrong_guesses_and_locks(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    make_blue(clinic, pid)
    for guess in range(5):
        _refused(clinic.portal.change_password, "ana.lopez", f"guess-number-{guess}", "brand-new-pass-1")
    assert "account_locked" in clinic.status(pid).trouble_codes
    assert not clinic.portal.login("ana.lopez", GOOD_PASSWORD)


@pytest.mark.parametrize("state", ["access_off", "inactive", "deceased"])
def test_change_password_refused_when_the_chart_may_not_use_the_portal(clinic: Clinic, state: str) -> None:
    pid = add_ready_patient(clinic)
    make_blue(clinic, pid)
    if state == "access_off":
        _switch_off(clinic, pid)
    else:
        clinic.staff.set_patient_status(pid, state, actor=STAFF)
    _refused(clinic.portal.change_password, "ana.lopez", GOOD_PASSWORD, "brand-new-pass-1")
    assert [entry["why"] for entry in _actions(clinic, pid, "portal_change_password_failed")] == [
        "access_off"
    ]


def test_change_password_speaks_about_the_new_password_only(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    make_blue(clinic, pid)
    with pytest.raises(ValidationError, match="too short"):
        clinic.portal.change_password("nobody-at-all", WRONG, "short")
    with pytest.raises(ValidationError, match="too short"):
        clinic.portal.change_password("ana.lopez", GOOD_PASSWORD, "short")
    clinic.portal.change_password("ana.lopez", GOOD_PASSWORD, "brand-new-pass-1", source="198.51.100.7")
    assert clinic.portal.login("ana.lopez", "brand-new-pass-1")
    assert not clinic.portal.login("ana.lopez", GOOD_PASSWORD)


# ----- claim_account (item 6) -----


def test_guessing_the_date_of_birth_stops_at_the_limit_and_is_audited(
    clinic: Clinic, clock: FakeClock
) -> None:
    pid = add_ready_patient(clinic)
    for day in range(1, 6):
        _refused(_claim, clinic, f"1984-01-{day:02d}")
    # The sixth try has the right date of birth: still refused, the identity is locked.
    _refused(_claim, clinic, "1984-06-02")
    refusals = _actions(clinic, pid, "portal_claim_refused")
    assert [entry["why"] for entry in refusals] == ["no_match"] * 5 + ["too_many_tries"]
    _no_secret_in(refusals, GOOD_PASSWORD)
    assert clinic.status(pid).reasons[0].facts.get("username") is None
    # Case and spacing do not make a new identity.
    _refused(_claim, clinic, "1984-06-02", email=" ANA.LOPEZ@EXAMPLE.COM ", last_name="LOPEZ")
    clock.advance(minutes=61)
    assert _claim(clinic, "1984-06-02") == pid
    assert clinic.portal.login("ana.l", GOOD_PASSWORD)


def test_claim_limit_is_a_clinic_setting(db_url: str, clock: FakeClock) -> None:
    with Clinic.open(db_url, clock=clock, claim_attempt_limit=2, attempt_window_minutes=10) as clinic:
        pid = add_ready_patient(clinic)
        _refused(_claim, clinic, "1984-01-01")
        _refused(_claim, clinic, "1984-01-02")
        _refused(_claim, clinic, "1984-06-02")
        clock.advance(minutes=10, seconds=1)
        assert _claim(clinic, "1984-06-02") == pid


def test_registering_again_and_again_cannot_guess_a_date_of_birth(clinic: Clinic) -> None:
    pid = register_online(clinic)
    # A chart with these details exists: the uniform refusal, audited on that chart.
    _refused(register_online, clinic, username="mariag2")
    assert [entry["why"] for entry in _actions(clinic, pid, "portal_register_refused")] == ["chart_exists"]
    for day in range(2, 5):
        register_online(clinic, username=f"maria{day}", date_of_birth=f"1990-02-{day:02d}")
    # Five tries (refused or not) for one identity within the hour: the next one is refused.
    _refused(register_online, clinic, username="maria9", date_of_birth="1990-03-01")


# ----- uniform answers (item 7) -----


def test_claim_gives_one_answer_for_every_reason(clinic: Clinic) -> None:
    has_account = add_ready_patient(clinic, "Bea", "Moss")
    make_blue(clinic, has_account, username="bea.moss")
    access_off = add_ready_patient(clinic, "Cal", "Reed")
    _switch_off(clinic, access_off)
    clinic.staff.add_patient(
        first_name="Dee",
        last_name="Hart",
        date_of_birth="1984-06-02",
        email="dee.hart@example.com",
        actor=STAFF,
    )
    cases = {
        "no chart": {"email": "zed@example.com", "last_name": "Zed"},
        "already has an account": {"email": "bea.moss@example.com", "last_name": "Moss"},
        "access off": {"email": "cal.reed@example.com", "last_name": "Reed"},
        "chart without ZIP": {"email": "dee.hart@example.com", "last_name": "Hart"},
    }
    for details in cases.values():
        _refused(_claim, clinic, "1984-06-02", username="someone.new", **details)


def test_register_gives_the_same_answer_whatever_the_existing_chart(clinic: Clinic) -> None:
    pid = register_online(clinic)
    _refused(register_online, clinic, username="other.user")
    _switch_off(clinic, pid)
    _refused(register_online, clinic, username="other.user", email="MARIA.GARCIA@example.com")


def test_login_is_false_alike_for_unknown_disabled_locked_and_wrong(clinic: Clinic) -> None:
    wrong = add_ready_patient(clinic)
    make_blue(clinic, wrong, username="wrong.one")
    disabled = add_ready_patient(clinic, "Bea", "Moss")
    make_blue(clinic, disabled, username="disabled.one")
    _switch_off(clinic, disabled)
    locked = add_ready_patient(clinic, "Cal", "Reed")
    make_blue(clinic, locked, username="locked.one")
    for _ in range(5):
        clinic.portal.login("locked.one", WRONG)
    assert not clinic.portal.login("nobody.here", GOOD_PASSWORD)
    assert not clinic.portal.login("disabled.one", GOOD_PASSWORD)
    assert not clinic.portal.login("locked.one", GOOD_PASSWORD)
    assert not clinic.portal.login("wrong.one", WRONG)
    assert [e["why"] for e in _actions(clinic, disabled, "portal_login_failed")] == ["access_off"]
    assert _actions(clinic, locked, "portal_login_failed")[-1]["why"] == "account_locked"


def test_unknown_links_and_links_to_switched_off_charts_get_the_uniform_answer(clinic: Clinic) -> None:
    _refused(clinic.portal.accept_invitation, "made-up-token", username="ana.lopez", password=GOOD_PASSWORD)
    _refused(clinic.portal.confirm_registration, "made-up-token")
    pid = register_online(clinic)
    clinic.staff.set_patient_status(pid, "deceased", actor=STAFF)
    token = clinic.mail.outbox(pid)[-1].link
    if token and "?token=" in token:
        _refused(clinic.portal.confirm_registration, token.rsplit("?token=", 1)[1])
        assert _actions(clinic, pid, "portal_link_refused")


@pytest.mark.parametrize(
    ("username", "password"),
    [
        (None, None),
        (12345, ["x"]),
        ("", GOOD_PASSWORD),
        ("ana.lopez", ""),
        ("ana\x00lopez", GOOD_PASSWORD),
        ("ana.lopez", "pass\x00word-123"),
        ("\ud800broken", "\udfffbroken-password"),
        ("x" * 10_000, "y" * 10_000),
        ("' OR 1=1 --", "' OR 1=1 --"),
        ("ANA.LOPEZ@EXAMPLE.COM " * 20, GOOD_PASSWORD),
    ],
)
def test_login_never_raises_whatever_the_input(clinic: Clinic, username: object, password: object) -> None:
    pid = add_ready_patient(clinic)
    make_blue(clinic, pid)
    assert clinic.portal.login(username, password, source="\x00" * 100) is False  # type: ignore[arg-type]


# ----- concurrency and the lockout window (item 8) -----


def _in_threads(db_url: str, clock: FakeClock, count: int, password: str) -> list[object]:
    results: list[object] = [None] * count
    clinics = [Clinic.open(db_url, clock=clock) for _ in range(count)]
    start = threading.Barrier(count)

    def sign_in(index: int) -> None:
        start.wait()
        try:
            results[index] = clinics[index].portal.login("ana.lopez", password)
        except Exception as error:  # the test shows what was raised
            results[index] = error

    threads = [threading.Thread(target=sign_in, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for opened in clinics:
        opened.close()
    return results


def test_thirty_simultaneous_correct_logins_never_raise(db_url: str, clock: FakeClock) -> None:
    with Clinic.open(db_url, clock=clock) as clinic:
        pid = add_ready_patient(clinic)
        make_blue(clinic, pid)
        assert _in_threads(db_url, clock, 30, GOOD_PASSWORD) == [True] * 30
        status = clinic.status(pid)
        assert status.trouble_codes == ()
        assert len(_actions(clinic, pid, "portal_login")) == 31


def test_simultaneous_wrong_guesses_are_each_counted(db_url: str, clock: FakeClock) -> None:
    with Clinic.open(db_url, clock=clock) as clinic:
        pid = add_ready_patient(clinic)
        make_blue(clinic, pid)
        assert _in_threads(db_url, clock, 12, WRONG) == [False] * 12
        locked = clinic.status(pid).trouble("account_locked")
        assert locked is not None and locked.facts["failed_logins"] == 12
        assert len(_actions(clinic, pid, "portal_login_failed")) == 12


def test_after_a_lock_ends_the_count_starts_again_from_zero(clinic: Clinic, clock: FakeClock) -> None:
    pid = add_ready_patient(clinic)
    make_blue(clinic, pid)
    for _ in range(5):
        clinic.portal.login("ana.lopez", WRONG)
    for _ in range(3):  # while locked: counted and refused, the lock is not extended
        clinic.portal.login("ana.lopez", WRONG)
    locked = clinic.status(pid).trouble("account_locked")
    assert locked is not None and locked.facts["locked_until"] == clock.now + timedelta(minutes=15)
    clock.advance(minutes=15, seconds=1)
    for _ in range(4):
        assert not clinic.portal.login("ana.lopez", WRONG)
    assert "account_locked" not in clinic.status(pid).trouble_codes
    assert not clinic.portal.login("ana.lopez", WRONG)
    assert "account_locked" in clinic.status(pid).trouble_codes


def test_a_client_address_is_limited_across_usernames(db_url: str, clock: FakeClock) -> None:
    with Clinic.open(db_url, clock=clock, source_attempt_limit=3) as clinic:
        pid = add_ready_patient(clinic)
        make_blue(clinic, pid)
        attacker, patient = "203.0.113.9", "198.51.100.7"
        for name in ("alice", "bob", "carol"):
            assert not clinic.portal.login(name, WRONG, source=attacker)
        assert not clinic.portal.login("ana.lopez", GOOD_PASSWORD, source=attacker)
        assert _actions(clinic, pid, "portal_login_failed")[-1]["why"] == "too_many_tries"
        assert clinic.portal.login("ana.lopez", GOOD_PASSWORD, source=patient)
        with clinic.reading() as session:
            events = list(session.scalars(select(PortalEvent).order_by(PortalEvent.id)))
        assert [(event.typed_key, event.source) for event in events] == [
            ("alice", attacker),
            ("bob", attacker),
            ("carol", attacker),
        ]


# ----- failures under a wrong username (item 10) -----


def test_sign_ins_with_the_email_as_username_show_on_the_chart(clinic: Clinic, clock: FakeClock) -> None:
    pid = add_ready_patient(clinic)
    make_blue(clinic, pid, username="ana.l")
    other = add_ready_patient(clinic, "Bea", "Moss")
    clock.advance(days=1)
    for _ in range(3):
        assert not clinic.portal.login("Ana.Lopez@example.com", GOOD_PASSWORD)
    spot = clinic.status(pid).trouble("recent_failed_logins")
    assert spot is not None
    assert (
        "3 sign-in attempts used ana.lopez@example.com as the username (the username is ana.l)"
        in spot.message
    )
    assert spot.facts["unknown_username_failures"] == 3
    assert clinic.status(other).trouble("recent_failed_logins") is None
    # Once the patient signs in with the right username, the spot goes.
    clock.advance(minutes=1)
    assert clinic.portal.login("ana.l", GOOD_PASSWORD)
    assert clinic.status(pid).trouble("recent_failed_logins") is None
