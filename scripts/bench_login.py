"""Time portal sign-ins: an unknown username against an existing one, on a SQLite file.

    .venv/bin/python scripts/bench_login.py [--repeat 30] [--db sqlite:////tmp/bench-login.db]

Uses the production Argon2 profile (argon2-cffi's defaults). Each round signs in once with
a username nobody has, once with an existing username and a wrong password, and once with
the right one, in that order (the right one clears the failure count, so the account never
locks). Prints the median of each and the ratio to the existing-username median: near 1
means the answer time does not tell whether a username exists. Numbers, never a pass/fail.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from clinic_desk import Clinic

USERNAME = "bench.patient"
PASSWORD = "bench-harbor-42"
ACTOR = "bench"


def _timed(call: Callable[[], bool], expected: bool) -> float:
    start = time.perf_counter()
    answer = call()
    elapsed = time.perf_counter() - start
    if answer is not expected:
        raise SystemExit(f"login answered {answer}, expected {expected}")
    return elapsed * 1000


def main() -> int:
    """Sign in many times each way and print the medians."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", help="SQLAlchemy URL of a SQLite file (default: a new file in a temp folder)")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{Path(folder) / 'bench-login.db'}"
        with Clinic.open(url) as clinic:
            pid = clinic.staff.add_patient(
                first_name="Bench",
                last_name="Patient",
                date_of_birth="1980-01-01",
                email="bench.patient@example.com",
                zip_code="02139",
                actor=ACTOR,
            )
            clinic.staff.set_credentials(pid, username=USERNAME, password=PASSWORD, actor=ACTOR)
            clinic.portal.login(USERNAME, PASSWORD)  # warm up (the dummy hash is made once)
            clinic.portal.login("warm.up.unknown", PASSWORD)
            unknown: list[float] = []
            wrong: list[float] = []
            right: list[float] = []
            for round_number in range(args.repeat):
                typed = f"nobody.{round_number}"
                unknown.append(_timed(lambda typed=typed: clinic.portal.login(typed, PASSWORD), False))
                wrong.append(_timed(lambda: clinic.portal.login(USERNAME, "wrong-password-1"), False))
                right.append(_timed(lambda: clinic.portal.login(USERNAME, PASSWORD), True))
    existing = statistics.median(wrong)
    print(f"portal login on SQLite, production Argon2 profile, median of {args.repeat}:")
    for label, times in (
        ("unknown username", unknown),
        ("existing, wrong password", wrong),
        ("existing, right password", right),
    ):
        median = statistics.median(times)
        print(f"  {label:<26} {median:8.1f} ms   ratio to existing/wrong {median / existing:5.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
