"""The portal pages' rate limit (issue 17): 60 form POSTs a minute per client address, in the database."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from clinic_desk import Clinic
from tests.conftest import FakeClock, emptied_server_url

LIMIT = 60


def test_sixty_a_minute_per_address(clinic: Clinic, clock: FakeClock) -> None:
    answers = [clinic.portal.take_request("203.0.113.7", "form") for _ in range(LIMIT + 3)]
    assert answers == [True] * LIMIT + [False] * 3
    assert clinic.portal.take_request("203.0.113.8", "form")  # another address has its own count
    clock.advance(seconds=59)
    assert not clinic.portal.take_request("203.0.113.7", "form")
    clock.advance(seconds=2)  # a new minute
    assert all(clinic.portal.take_request("203.0.113.7", "form") for _ in range(LIMIT))
    assert not clinic.portal.take_request("203.0.113.7", "form")


def test_odd_input_never_raises(clinic: Clinic) -> None:
    assert clinic.portal.take_request(None, "form")  # no address: nothing to count
    assert clinic.portal.take_request("", "form")
    for what in ("", "Form", "get", "x" * 10_000, None, 7):
        assert clinic.portal.take_request("203.0.113.7", what) is False  # type: ignore[arg-type]
    for source in ("\x00\udfff", "x" * 100_000, "::1", "\u202e1.2.3.4", 12345):
        assert clinic.portal.take_request(source, "form") is True  # type: ignore[arg-type]
    # A long address is counted by its first characters: a longer one is no way around the limit.
    long_address = "2001:db8::" + "f" * 200
    results = [clinic.portal.take_request(long_address + str(n % 10), "form") for n in range(LIMIT + 1)]
    assert results[-1] is False


@pytest.fixture(params=["postgresql", "mariadb"])
def server_url(request: pytest.FixtureRequest) -> str:
    return emptied_server_url(request, request.param)


@pytest.fixture
def two_portals(server_url: str, clock: FakeClock) -> Iterator[tuple[Clinic, Clinic]]:
    """Two portal processes' Clinic objects on one database server."""
    with Clinic.open(server_url, clock=clock) as one, Clinic.open(server_url, clock=clock) as two:
        yield one, two


def test_portal_processes_share_the_count(two_portals: tuple[Clinic, Clinic]) -> None:
    one, two = two_portals
    assert all(one.portal.take_request("203.0.113.7", "form") for _ in range(LIMIT // 2))
    assert all(two.portal.take_request("203.0.113.7", "form") for _ in range(LIMIT // 2))
    assert not one.portal.take_request("203.0.113.7", "form")
    assert not two.portal.take_request("203.0.113.7", "form")


def test_simultaneous_requests_are_counted_exactly(two_portals: tuple[Clinic, Clinic]) -> None:
    one, two = two_portals
    answers: list[object] = []
    lock = threading.Lock()
    start = threading.Barrier(4)

    def hammer(clinic: Clinic) -> None:
        start.wait()
        for _ in range(20):
            try:
                allowed: object = clinic.portal.take_request("198.51.100.9", "form")
            except Exception as error:  # the test shows what was raised
                allowed = error
            with lock:
                answers.append(allowed)

    threads = [threading.Thread(target=hammer, args=(clinic,)) for clinic in (one, two, one, two)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 80 and set(answers) == {True, False}, [
        a for a in answers if not isinstance(a, bool)
    ]
    assert answers.count(True) == LIMIT
