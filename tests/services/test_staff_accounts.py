"""Staff accounts (DESIGN.md section 5): the first administrator, sign-in and lockout, the last
administrator, password resets (break-glass too), changing one's own password, replays."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from clinic_desk import Clinic, ConflictError, NotAllowed, NotFound, ValidationError
from clinic_desk.db.models import DoneRequest
from clinic_desk.domain.roles import Permission
from clinic_desk.services.permissions import TURNED_OFF
from clinic_desk.services.staff_accounts import TEMPORARY_LENGTH, WRONG_PASSWORD, WRONG_SIGN_IN, locked_words
from tests.conftest import FakeClock
from tests.services.staff_helpers import STAFF_PASSWORD, Team, add_team, row_count, table_prints

NEW_PASSWORD = "amber-orchard-31"


def _add_front_desk(clinic: Clinic, team: Team, username: str = "gina.desk", **extra: object) -> None:
    clinic.admin.add_staff(
        username=username,
        full_name="Gina Park",
        role="front_desk",
        password=STAFF_PASSWORD,
        actor=team.admin,
        **extra,
    )


def _fail_sign_ins(clinic: Clinic, username: str, times: int) -> str:
    """Sign in with a wrong password ``times`` times; the last refusal's words."""
    words = ""
    for _ in range(times):
        with pytest.raises(NotAllowed) as refused:
            clinic.admin.sign_in(username, "not-the-password")
        words = refused.value.message
    return words


# -- the first account, usernames and passwords ------------------------------------------------


def test_the_first_account_must_be_an_administrator(clinic: Clinic) -> None:
    for role in ("front_desk", "manager"):
        with pytest.raises(ValidationError) as refused:
            clinic.admin.add_staff(
                username="fred.desk",
                full_name="Fred Ortiz",
                role=role,
                password=STAFF_PASSWORD,
                actor="setup",
            )
        assert refused.value.field == "role"
        assert "first staff account must be an administrator" in refused.value.message
    assert not clinic.admin.has_staff() and row_count(clinic, "audit_log") == 0


def test_usernames_are_unique_whatever_their_case(clinic: Clinic) -> None:
    team = add_team(clinic)
    before = table_prints(clinic)
    for taken in ("FRED.DESK", "Fred.Desk", "  fred.desk "):
        with pytest.raises(ConflictError) as refused:
            _add_front_desk(clinic, team, taken)
        assert "already taken" in refused.value.message
    assert table_prints(clinic) == before
    _add_front_desk(clinic, team, "Gina.Park")
    member = clinic.admin.sign_in("GINA.PARK", STAFF_PASSWORD)
    assert member.username == "Gina.Park"  # kept as typed, matched in any case


PASSWORD_RULES = [
    ("", "required"),
    ("short-1", "too short"),
    ("          ", "only spaces"),
    ("x" * 257, "too long"),
    ("gina.desk-2026", "contain the username"),
]
BAD_FIELDS = [("username", "a"), ("username", "has space"), ("full_name", ""), ("role", "owner")]


@pytest.fixture
def local(sqlite_url: str, clock: FakeClock) -> Iterator[Clinic]:
    """A clinic in a SQLite file, for rules checked before any database work."""
    with Clinic.open(sqlite_url, clock=clock) as clinic:
        yield clinic


def test_password_and_field_rules(local: Clinic) -> None:
    team = add_team(local)
    before = table_prints(local)
    for password, words in PASSWORD_RULES:
        with pytest.raises(ValidationError) as refused:
            local.admin.add_staff(
                username="gina.desk",
                full_name="Gina Park",
                role="front_desk",
                password=password,
                actor=team.admin,
            )
        assert refused.value.field == "password" and words in refused.value.message
        assert password.strip() == "" or password not in refused.value.message
    for field, value in BAD_FIELDS:
        fields = {"username": "gina.desk", "full_name": "Gina Park", "role": "front_desk", field: value}
        with pytest.raises(ValidationError) as refused:
            local.admin.add_staff(**fields, password=STAFF_PASSWORD, actor=team.admin)
        assert refused.value.field == field, (field, value, refused.value.message)
    assert table_prints(local) == before


def test_short_staff_usernames_like_initials_are_fine(local: Clinic) -> None:
    team = add_team(local)
    _add_front_desk(local, team, "al")
    assert local.admin.sign_in("AL", STAFF_PASSWORD).username == "al"


def test_accounts_made_by_an_administrator_must_change_their_password(clinic: Clinic) -> None:
    team = add_team(clinic)
    _add_front_desk(clinic, team)
    member = clinic.admin.sign_in("gina.desk", STAFF_PASSWORD)
    assert member.must_change_password and member.role == "front_desk" and member.role_label == "Front desk"
    listed = {account.username: account for account in clinic.admin.list_staff()}
    assert set(listed) == {team.admin, team.manager, team.front_desk, team.colleague, "gina.desk"}
    assert [account.full_name for account in clinic.admin.list_staff()] == sorted(
        account.full_name for account in listed.values()
    )


# -- signing in ---------------------------------------------------------------------------------


def test_sign_in_right_wrong_and_unknown(clinic: Clinic, clock: FakeClock) -> None:
    team = add_team(clinic)
    member = clinic.admin.sign_in(team.front_desk, STAFF_PASSWORD)
    assert (member.username, member.full_name, member.role) == (team.front_desk, "Fred Ortiz", "front_desk")
    assert member.last_sign_in_at == clock.now
    newest = clinic.audit(limit=1)[0]
    assert (newest.actor, newest.action, newest.workstation) == (
        team.front_desk,
        "staff_signed_in",
        clinic.workstation,
    )
    for username, password in ((team.front_desk, "not-the-password"), ("nobody.here", STAFF_PASSWORD)):
        with pytest.raises(NotAllowed) as refused:
            clinic.admin.sign_in(username, password)
        assert refused.value.message == WRONG_SIGN_IN  # one answer: no hint which part was wrong


def test_the_lock_screen_speaks_of_the_password_alone_and_counts_toward_lockout(clinic: Clinic) -> None:
    team = add_team(clinic)
    assert clinic.admin.sign_in_again(team.front_desk, STAFF_PASSWORD).username == team.front_desk
    for attempt in range(4):
        with pytest.raises(NotAllowed) as refused:
            clinic.admin.sign_in_again(team.front_desk, f"not-the-password-{attempt}")
        assert refused.value.message == WRONG_PASSWORD
    with pytest.raises(NotAllowed) as locked:
        clinic.admin.sign_in_again(team.front_desk, "not-the-password-5")
    assert "locked until" in locked.value.message  # the fifth wrong password locks, as at sign-in
    with pytest.raises(NotAllowed):
        clinic.admin.sign_in(team.front_desk, STAFF_PASSWORD)


def test_lockout_after_five_failures_for_fifteen_minutes(clinic: Clinic, clock: FakeClock) -> None:
    _check_lockout(clinic, clock, add_team(clinic), 5)


def test_lockout_follows_the_clinics_settings(local: Clinic, clock: FakeClock) -> None:
    team = add_team(local)
    local.update_settings(actor=team.admin, staff_lockout_threshold=3, staff_lockout_minutes=30)
    assert local.settings.staff_lockout_minutes == 30
    _check_lockout(local, clock, team, 3)


def _check_lockout(clinic: Clinic, clock: FakeClock, team: Team, threshold: int) -> None:
    minutes = clinic.settings.staff_lockout_minutes
    assert _fail_sign_ins(clinic, team.front_desk, threshold - 1) == WRONG_SIGN_IN
    ends = clock.now + timedelta(minutes=minutes)
    words = _fail_sign_ins(clinic, team.front_desk, 1)
    assert words == locked_words(ends)
    assert ends.astimezone().strftime("%H:%M") in words
    locked = {a.username: a for a in clinic.admin.list_staff()}[team.front_desk]
    assert locked.locked_until == ends
    assert clinic.audit(action="staff_locked")[0].actor == team.front_desk
    clock.advance(minutes=minutes - 1)
    with pytest.raises(NotAllowed) as refused:
        clinic.admin.sign_in(team.front_desk, STAFF_PASSWORD)  # the right password, still locked
    assert refused.value.message == words
    clock.advance(minutes=1, seconds=1)
    assert clinic.admin.sign_in(team.front_desk, STAFF_PASSWORD).username == team.front_desk
    # A success starts the count again.
    assert _fail_sign_ins(clinic, team.front_desk, threshold - 1) == WRONG_SIGN_IN
    clinic.admin.sign_in(team.front_desk, STAFF_PASSWORD)
    assert _fail_sign_ins(clinic, team.front_desk, threshold - 1) == WRONG_SIGN_IN


def test_failed_sign_ins_count_together_across_desks(db_url: str, clock: FakeClock) -> None:
    with Clinic.open(db_url, clock=clock) as one, Clinic.open(db_url, clock=clock) as two:
        team = add_team(one)
        desks = [one, two] * 3
        words = [_fail_sign_ins(desk, team.manager, 1) for desk in desks[:5]]
        assert words[:4] == [WRONG_SIGN_IN] * 4 and words[4].startswith("Too many wrong passwords")
        with pytest.raises(NotAllowed, match="locked until"):
            desks[5].admin.sign_in(team.manager, STAFF_PASSWORD)


def test_a_disabled_member_cannot_sign_in(clinic: Clinic) -> None:
    team = add_team(clinic)
    clinic.admin.disable_staff(team.front_desk, actor=team.admin)
    with pytest.raises(NotAllowed) as refused:
        clinic.admin.sign_in(team.front_desk, STAFF_PASSWORD)
    assert refused.value.message == TURNED_OFF
    # A wrong password says nothing about the account being off.
    assert _fail_sign_ins(clinic, team.front_desk, 1) == WRONG_SIGN_IN
    listed = {a.username: a for a in clinic.admin.list_staff()}
    assert not listed[team.front_desk].active and not listed[team.front_desk].may(Permission.VIEW)
    clinic.admin.enable_staff(team.front_desk, actor=team.admin)
    assert clinic.admin.sign_in(team.front_desk, STAFF_PASSWORD).active
    assert [e.action for e in clinic.audit(actor=team.admin, limit=2)] == ["staff_enabled", "staff_disabled"]


# -- the last administrator ---------------------------------------------------------------------


def test_the_last_active_administrator_is_never_disabled_or_demoted(clinic: Clinic) -> None:
    team = add_team(clinic)
    before = table_prints(clinic)
    for attempt in (
        lambda: clinic.admin.disable_staff(team.admin, actor=team.admin),
        lambda: clinic.admin.set_staff_role(team.admin, "manager", actor=team.admin),
    ):
        with pytest.raises(NotAllowed) as refused:
            attempt()
        assert "last active administrator" in refused.value.message
        assert "Bea Oswald" in refused.value.message
    assert table_prints(clinic) == before
    # A disabled administrator does not count as another one.
    clinic.admin.set_staff_role(team.manager, "admin", actor=team.admin)
    clinic.admin.disable_staff(team.manager, actor=team.admin)
    with pytest.raises(NotAllowed):
        clinic.admin.disable_staff(team.admin, actor=team.admin)
    clinic.admin.enable_staff(team.manager, actor=team.admin)
    clinic.admin.set_staff_role(team.admin, "front_desk", actor=team.admin)
    assert {a.username: a.role for a in clinic.admin.list_staff()}[team.admin] == "front_desk"
    with pytest.raises(NotAllowed, match="last active administrator"):
        clinic.admin.disable_staff(team.manager, actor=team.manager)


def test_two_administrators_disabling_each_other_at_once_leave_one(db_url: str, clock: FakeClock) -> None:
    with Clinic.open(db_url, clock=clock) as setup:
        team = add_team(setup)
        setup.admin.set_staff_role(team.manager, "admin", actor=team.admin)
    for _round in range(4):
        desks = [Clinic.open(db_url, clock=clock) for _ in range(2)]
        pairs = [(desks[0], team.admin, team.manager), (desks[1], team.manager, team.admin)]
        outcomes = _at_once([lambda d=d, a=a, t=t: d.admin.disable_staff(t, actor=a) for d, a, t in pairs])
        try:
            active = [a.username for a in desks[0].admin.list_staff() if a.role == "admin" and a.active]
            assert len(active) == 1, f"both went through: {outcomes}"
            assert sum(isinstance(outcome, NotAllowed) for outcome in outcomes) == 1, outcomes
            [left] = active
            other = team.manager if left == team.admin else team.admin
            desks[0].admin.enable_staff(other, actor=left)
        finally:
            for desk in desks:
                desk.close()


def _at_once(calls: list[Callable[[], object]]) -> list[object]:
    """Run the calls in threads started together; each one's result or exception."""
    start = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def work(index: int) -> None:
        start.wait()
        try:
            outcomes[index] = calls[index]()
        except BaseException as error:
            outcomes[index] = error

    threads = [threading.Thread(target=work, args=(index,)) for index in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_desks_adding_the_same_username_at_once_make_one_account(db_url: str, clock: FakeClock) -> None:
    with Clinic.open(db_url, clock=clock) as setup:
        team = add_team(setup)
    for round_number in range(3):
        desks = [Clinic.open(db_url, clock=clock) for _ in range(2)]
        username = f"twin.{round_number}"
        try:
            outcomes = _at_once(
                [
                    lambda desk=desk, case=case, name=username: desk.admin.add_staff(
                        username=case(name),
                        full_name="Twin",
                        role="front_desk",
                        password=STAFF_PASSWORD,
                        actor=team.admin,
                    )
                    for desk, case in zip(desks, (str.lower, str.upper), strict=True)
                ]
            )
            errors = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
            assert len(errors) == 1 and isinstance(errors[0], ConflictError), outcomes
            listed = [a for a in desks[0].admin.list_staff() if a.username.lower() == username]
            assert len(listed) == 1
            assert len(desks[0].audit(action="staff_added", actor=team.admin, limit=1000)) == 5 + round_number
        finally:
            for desk in desks:
                desk.close()


# -- resets, unlocks, own passwords -------------------------------------------------------------


def test_reset_gives_a_temporary_password_that_must_be_changed(clinic: Clinic) -> None:
    team = add_team(clinic)
    _fail_sign_ins(clinic, team.front_desk, 5)
    temporary = clinic.admin.reset_staff_password(team.front_desk, actor=team.admin)
    assert len(temporary) == TEMPORARY_LENGTH and not set(temporary) & set("0O1lI")
    with pytest.raises(NotAllowed):
        clinic.admin.sign_in(team.front_desk, STAFF_PASSWORD)  # the old password stops working
    member = clinic.admin.sign_in(team.front_desk, temporary)  # and the lockout is gone
    assert member.must_change_password and member.locked_until is None
    changed = clinic.admin.change_own_password(team.front_desk, temporary, NEW_PASSWORD)
    assert not changed.must_change_password
    with pytest.raises(NotAllowed):
        clinic.admin.sign_in(team.front_desk, temporary)  # the temporary password was good for one change
    assert not clinic.admin.sign_in(team.front_desk, NEW_PASSWORD).must_change_password
    entry = clinic.audit(action="staff_password_reset")[0]
    assert entry.actor == team.admin and temporary not in repr(entry)


def test_a_retried_reset_never_stores_the_temporary_password(clinic: Clinic) -> None:
    team = add_team(clinic)
    first = clinic.admin.reset_staff_password(team.front_desk, actor=team.admin, request_id="reset-1")
    again = clinic.admin.reset_staff_password(team.front_desk, actor=team.admin, request_id="reset-1")
    with clinic.engine.connect() as connection:
        kept = connection.execute(select(DoneRequest.result)).scalars().all()
    assert not any(first in result or again in result for result in kept)
    # The retry hands out a password that works (the first one cannot be shown again).
    assert clinic.admin.sign_in(team.front_desk, again).must_change_password


def test_break_glass_reset_needs_no_sign_in_and_says_so(clinic: Clinic) -> None:
    team = add_team(clinic)
    temporary = clinic.admin.break_glass_reset(team.admin, actor="root on clinic-server")
    assert clinic.admin.sign_in(team.admin, temporary).must_change_password
    entry = clinic.audit(action="staff_password_reset")[0]
    assert entry.actor == "break-glass: root on clinic-server"
    assert entry.note == "Run without a sign-in (break-glass)."
    with pytest.raises(NotFound):
        clinic.admin.break_glass_reset("nobody.here", actor="root")
    with pytest.raises(ValidationError):
        clinic.admin.break_glass_reset(team.admin, actor="\x1b[2J")


def test_unlock_ends_a_lockout_now(clinic: Clinic) -> None:
    team = add_team(clinic)
    _fail_sign_ins(clinic, team.manager, 5)
    with pytest.raises(NotAllowed, match="locked until"):
        clinic.admin.sign_in(team.manager, STAFF_PASSWORD)
    unlocked = clinic.admin.unlock_staff(team.manager.upper(), actor=team.admin)
    assert unlocked.locked_until is None
    assert clinic.admin.sign_in(team.manager, STAFF_PASSWORD).username == team.manager
    entry = clinic.audit(action="staff_unlocked")[0]
    assert entry.actor == team.admin and entry.before["username"] == team.manager
    with pytest.raises(NotFound):
        clinic.admin.unlock_staff("nobody.here", actor=team.admin)


def test_change_own_password(clinic: Clinic, clock: FakeClock) -> None:
    team = add_team(clinic)
    before = table_prints(clinic, ("staff_members",))
    with pytest.raises(ValidationError) as refused:
        clinic.admin.change_own_password(team.front_desk, STAFF_PASSWORD, STAFF_PASSWORD)
    assert refused.value.field == "new_password" and "different" in refused.value.message
    with pytest.raises(ValidationError) as refused:
        clinic.admin.change_own_password(team.front_desk, STAFF_PASSWORD, "short")
    assert refused.value.field == "password"
    assert table_prints(clinic, ("staff_members",)) == before
    # A wrong current password counts toward the lockout, like a wrong sign-in.
    for _ in range(4):
        with pytest.raises(NotAllowed) as wrong:
            clinic.admin.change_own_password(team.front_desk, "not-the-password", NEW_PASSWORD)
        assert wrong.value.message == WRONG_SIGN_IN
    assert _fail_sign_ins(clinic, team.front_desk, 1).startswith("Too many wrong passwords")
    with pytest.raises(NotAllowed, match="locked until"):
        clinic.admin.change_own_password(team.front_desk, STAFF_PASSWORD, NEW_PASSWORD)
    clock.advance(minutes=16)
    changed = clinic.admin.change_own_password(team.front_desk, STAFF_PASSWORD, NEW_PASSWORD)
    assert changed.username == team.front_desk
    assert clinic.admin.sign_in(team.front_desk, NEW_PASSWORD)
    with pytest.raises(NotAllowed):
        clinic.admin.sign_in(team.front_desk, STAFF_PASSWORD)
    assert clinic.audit(action="staff_password_changed")[0].actor == team.front_desk
    with pytest.raises(NotAllowed) as unknown:
        clinic.admin.change_own_password("nobody.here", STAFF_PASSWORD, NEW_PASSWORD)
    assert unknown.value.message == WRONG_SIGN_IN


def test_admin_writes_replay_their_request_id(clinic: Clinic) -> None:
    team = add_team(clinic)
    calls: list[Callable[[str], object]] = [
        lambda rid: clinic.admin.add_staff(
            username="gina.desk",
            full_name="Gina Park",
            role="front_desk",
            password=STAFF_PASSWORD,
            actor=team.admin,
            request_id=rid,
        ),
        lambda rid: clinic.admin.set_staff_role("gina.desk", "manager", actor=team.admin, request_id=rid),
        lambda rid: clinic.admin.disable_staff("gina.desk", actor=team.admin, request_id=rid),
        lambda rid: clinic.admin.enable_staff("gina.desk", actor=team.admin, request_id=rid),
        lambda rid: clinic.admin.unlock_staff("gina.desk", actor=team.admin, request_id=rid),
    ]
    for number, call in enumerate(calls):
        rid = f"admin-{number}"
        first = call(rid)
        entries = row_count(clinic, "audit_log")
        assert call(rid) == first
        assert row_count(clinic, "audit_log") == entries, f"call {number} was done twice"
    assert [a.username for a in clinic.admin.list_staff()].count("gina.desk") == 1
    with pytest.raises(ValidationError) as reused:
        clinic.admin.disable_staff("gina.desk", actor=team.admin, request_id="admin-0")
    assert reused.value.field == "request_id"
