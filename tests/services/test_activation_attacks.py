"""Attacks on activation codes and web sessions (issue 17), in the style of test_portal_attacks.py.

Simultaneous tries come from separate Clinic objects (as several portal processes would),
on SQLite, PostgreSQL and MariaDB.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from clinic_desk import Clinic, NotAllowed
from clinic_desk.services.portal_guard import REFUSED
from tests.conftest import FakeClock
from tests.services.helpers import GOOD_PASSWORD, STAFF, add_ready_patient, newest_token

BORN = "1984-06-02"


def _at_once(
    db_url: str, clock: FakeClock, count: int, call: Callable[[Clinic, int], object]
) -> list[object]:
    """``call(clinic, index)`` in ``count`` threads started together, each with its own Clinic."""
    results: list[object] = [None] * count
    clinics = [Clinic.open(db_url, clock=clock) for _ in range(count)]
    start = threading.Barrier(count)

    def run(index: int) -> None:
        start.wait()
        try:
            results[index] = call(clinics[index], index)
        except Exception as error:  # the test shows what was raised
            results[index] = error

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for opened in clinics:
        opened.close()
    return results


def _refusals(results: list[object]) -> int:
    return sum(isinstance(result, NotAllowed) and result.message == REFUSED for result in results)


def _whys(clinic: Clinic, patient_id: int) -> list[object]:
    return [
        entry.after.get("why")
        for entry in clinic.staff.audit_trail(patient_id)
        if entry.action == "portal_activation_refused"
    ]


def test_one_code_used_at_once_by_many_opens_one_account(db_url: str, clock: FakeClock) -> None:
    with Clinic.open(db_url, clock=clock) as clinic:
        pid = add_ready_patient(clinic)
        code = clinic.staff.issue_activation_code(pid, actor=STAFF).code
        results = _at_once(
            db_url,
            clock,
            6,
            lambda c, n: c.portal.activate(
                code, date_of_birth=BORN, username=f"ana.{n}", password=GOOD_PASSWORD
            ),
        )
        assert results.count(pid) == 1 and _refusals(results) == 5, results
        assert sorted(map(str, _whys(clinic, pid))) == ["code_used"] * 5
        winner = results.index(pid)
        assert clinic.portal.login(f"ana.{winner}", GOOD_PASSWORD)


def test_simultaneous_date_of_birth_guesses_stop_at_the_limit(db_url: str, clock: FakeClock) -> None:
    with Clinic.open(db_url, clock=clock) as clinic:
        pid = add_ready_patient(clinic)
        code = clinic.staff.issue_activation_code(pid, actor=STAFF).code
        results = _at_once(
            db_url,
            clock,
            8,
            lambda c, n: c.portal.activate(
                code, date_of_birth=f"1984-07-{n + 1:02d}", username="ana.l", password=GOOD_PASSWORD
            ),
        )
        assert _refusals(results) == 8, results
        whys = _whys(clinic, pid)
        assert whys.count("wrong_date_of_birth") == 5 and whys.count("too_many_tries") == 3
        try:
            clinic.portal.activate(code, date_of_birth=BORN, username="ana.l", password=GOOD_PASSWORD)
        except NotAllowed as refused:
            assert refused.message == REFUSED
        else:  # pragma: no cover - the failure is the point
            raise AssertionError("the right date of birth got past the lock")


def test_codes_and_link_tokens_do_not_open_each_other(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.send_invitation(pid, actor=STAFF)
    token = newest_token(clinic, pid)
    code = clinic.staff.issue_activation_code(pid, actor=STAFF).code  # the invitation dies here
    for call in (
        lambda: clinic.portal.accept_invitation(code, username="ana.l", password=GOOD_PASSWORD),
        lambda: clinic.portal.confirm_registration(code),
        lambda: clinic.portal.activate(token, date_of_birth=BORN, username="ana.l", password=GOOD_PASSWORD),
    ):
        try:
            call()
        except NotAllowed as refused:
            assert refused.message == REFUSED
        else:  # pragma: no cover - the failure is the point
            raise AssertionError("a code and a link token opened each other's door")
    assert clinic.portal.activate(code, date_of_birth=BORN, username="ana.l", password=GOOD_PASSWORD) == pid


def test_a_web_session_secret_is_no_link_and_no_code(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    code = clinic.staff.issue_activation_code(pid, actor=STAFF).code
    assert clinic.portal.session(code) is None
    clinic.portal.activate(code, date_of_birth=BORN, username="ana.l", password=GOOD_PASSWORD)
    secret = clinic.portal.sign_in("ana.l", GOOD_PASSWORD).token
    for call in (
        lambda: clinic.portal.accept_invitation(secret, username="ana.l", password=GOOD_PASSWORD),
        lambda: clinic.portal.confirm_registration(secret),
    ):
        try:
            call()
        except NotAllowed as refused:
            assert refused.message == REFUSED
        else:  # pragma: no cover - the failure is the point
            raise AssertionError("a session secret worked as a link")
