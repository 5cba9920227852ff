"""``clinic-desk seed-demo``: build the demo clinic, its staff first, and say how to sign in.

The demo staff (one of each role) are added before the charts, so the demo's history
names people who can sign in; their usernames and passwords are printed once, at the
end. Run again on a demo clinic, the command builds nothing and prints them again
(``scripts/run-demo.sh`` does so before it starts the window).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from clinic_desk.cli_output import say
from clinic_desk.cli_sign_in import acting_staff

if TYPE_CHECKING:
    from clinic_desk.services.clinic import Clinic


def _progress_printer(every_seconds: float = 5.0) -> Callable[[int, int], None]:
    last = [time.monotonic()]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= every_seconds or done == total:
            print(f"  {done:,} of {total:,} bulk charts", file=sys.stderr, flush=True)
            last[0] = now

    return progress


def run_seed_demo(args: argparse.Namespace, open_clinic: Callable[[], Clinic]) -> int:
    """Build the demo in an empty clinic (or, on a demo clinic, just say who can sign in)."""
    from clinic_desk import demo

    started = time.perf_counter()
    with open_clinic() as clinic:
        if demo.is_demo_clinic(clinic):
            patients = sum(clinic.count_by_color().values())
            where = clinic.describe_database()
            say(f"{where} is already a demo clinic ({patients:,} patients): nothing to build.")
            _use_local_loop(args, clinic)
            say_demo_staff()
            return 0
        demo.check_can_seed(clinic, args.patients)  # before anything is asked or written
        clinic.setup.check(_local_loop_settings(args))
        acting = acting_staff(args, clinic)
        demo.add_demo_staff(clinic, actor=acting.actor)
        ids = demo.seed_demo(clinic, args.patients, seed=args.seed, progress=_progress_printer())
        elapsed = time.perf_counter() - started
        say(f"Built a demo clinic of {args.patients:,} patients in {clinic.describe_database()}.")
        say("Showcase patients:")
        width = max(len(key) for key in ids)
        for key, patient_id in ids.items():
            chart = clinic.staff.chart(patient_id)
            called = f' "{chart.preferred_name}"' if chart.preferred_name else ""
            name = f"{chart.first_name}{called} {chart.last_name}"
            say(f"  {key:<{width}}  id {patient_id:<6} MRN {chart.mrn:<8} {name}")
        counts = clinic.count_by_color()
        _use_local_loop(args, clinic)
    total = sum(counts.values())
    say(
        "Patients by colour: "
        + ", ".join(f"{color} {count:,}" for color, count in counts.items())
        + f" ({total:,} in all)"
    )
    say(f"Done in {elapsed:.1f} s.")
    say_demo_staff()
    return 0


def _local_loop_settings(args: argparse.Namespace) -> dict[str, Any]:
    from clinic_desk import demo

    return demo.local_loop_settings(
        portal_url=getattr(args, "portal_url", None), mail_port=getattr(args, "mail_port", None)
    )


def _use_local_loop(args: argparse.Namespace, clinic: Clinic) -> None:
    """--portal-url / --mail-port: the demo's emails go to its own catcher and link to its own portal."""
    from clinic_desk import demo

    portal_url, mail_port = getattr(args, "portal_url", None), getattr(args, "mail_port", None)
    if portal_url is None and mail_port is None:
        return
    demo.use_local_loop(clinic, portal_url=portal_url, mail_port=mail_port)
    if portal_url is not None:
        say(f"The demo's emails link to its portal at {clinic.settings.portal_url}.")
    if mail_port is not None:
        say(f"The demo sends its emails to the demo mail catcher on 127.0.0.1:{mail_port}.")


def say_demo_staff() -> None:
    """The demo staff's usernames and passwords (demo passwords: printing them is the point)."""
    from clinic_desk.demo import DEMO_STAFF
    from clinic_desk.domain.roles import role_label

    say("Demo staff (sign in at the window with one of these, unless someone changed them since):")
    width = max(len(member.username) for member in DEMO_STAFF)
    longest = max(len(member.password) for member in DEMO_STAFF)
    for member in DEMO_STAFF:
        say(
            f"  {member.username:<{width}}  password {member.password:<{longest}}  "
            f"{member.full_name}, {role_label(member.role)}"
        )
