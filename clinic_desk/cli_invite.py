"""``clinic-desk invite``: portal invitations in bulk, for the patients a roster filter or MRNs name.

It first runs the batch as a dry run and prints the preview (how many get an invitation,
each skipped patient's MRN and why), then, unless ``--dry-run``, asks y/N (``--yes``
skips the question) and sends: each patient in their own transaction, progress on
stderr, Ctrl+C stops after the current patient. Managers and administrators only.
Exit codes as for every command; a batch stopped by Ctrl+C or a "no" at the question
exits 130 and 1.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from clinic_desk import cli_sign_in
from clinic_desk.cli_arguments import ClinicParser
from clinic_desk.cli_output import CommandProblem, say, shown
from clinic_desk.cli_sign_in import PROG, acting_staff, add_sign_in_options
from clinic_desk.domain import codes
from clinic_desk.domain.errors import NotFound
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.roster import ROSTER_TROUBLES, RosterFilter, parse_roster_filter

if TYPE_CHECKING:
    from clinic_desk.domain.roster import InvitationReport
    from clinic_desk.services.clinic import Clinic

OpenClinic = Callable[[argparse.Namespace], "Clinic"]
EXIT_DECLINED = 1
EXIT_INTERRUPTED = 130


def add_invite_command(
    commands: argparse._SubParsersAction[ClinicParser], database: ClinicParser, open_clinic: OpenClinic
) -> None:
    """The ``invite`` command; ``open_clinic(args)`` opens the --db clinic."""
    invite = commands.add_parser(
        "invite",
        parents=[database],
        help="send portal invitations in bulk to the patients a filter or MRNs name (managers, admins)",
    )
    invite.add_argument("--color", choices=codes.COLORS, help="only patients of this colour")
    invite.add_argument("--reason", choices=codes.RED_REASONS, metavar="REASON", help="only this red reason")
    invite.add_argument(
        "--trouble",
        choices=ROSTER_TROUBLES,
        metavar="TROUBLE",
        help="only this trouble spot, e.g. no_invitation_sent",
    )
    invite.add_argument("--search", metavar="TEXT", help="only patients a search for TEXT finds")
    invite.add_argument(
        "--filter",
        metavar="FILTER",
        help='the roster filter in one, e.g. "color=gold trouble=no_invitation_sent text=smith"',
    )
    invite.add_argument(
        "--mrn", nargs="+", action="extend", metavar="MRN", help="these patients (instead of a filter)"
    )
    invite.add_argument(
        "--dry-run", action="store_true", help="only show who would be invited and who skipped"
    )
    invite.add_argument("--yes", action="store_true", help="send without asking y/N after the preview")
    add_sign_in_options(invite)
    invite.set_defaults(handler=lambda args: _invite(args, open_clinic))


def roster_filter(args: argparse.Namespace) -> RosterFilter:
    """The filter --filter and the single options make together; a field given twice must agree."""
    wanted = parse_roster_filter(args.filter or "")
    for name, value in (("color", args.color), ("reason", args.reason), ("trouble", args.trouble)):
        if value is None:
            continue
        already = getattr(wanted, name)
        if already is not None and already != value:
            raise CommandProblem(f"--{name} {value} and --filter's {name}={already} disagree; give one.")
        wanted = replace(wanted, **{name: value})
    if args.search is not None:
        if wanted.text and wanted.text != args.search.strip():
            raise CommandProblem("--search and --filter's text= disagree; give one.")
        wanted = replace(wanted, text=args.search.strip())
    return wanted


def _invite(args: argparse.Namespace, open_clinic: OpenClinic) -> int:
    filtering = any(
        getattr(args, name) is not None for name in ("color", "reason", "trouble", "search", "filter")
    )
    if args.mrn and filtering:
        raise CommandProblem(
            "give either --mrn or a filter (--filter, --color, --reason, --trouble, --search)."
        )
    wanted = roster_filter(args)
    with open_clinic(args) as clinic:
        acting = acting_staff(args, clinic, Permission.BULK_INVITATIONS)
        ids, unknown = _patients(clinic, args.mrn) if args.mrn else (clinic.roster_ids(wanted), [])
        preview = clinic.staff.send_invitations(
            ids, actor=acting.actor, dry_run=True, progress=_progress_printer("checked")
        )
        _say_preview(clinic, len(ids) + len(unknown), preview, unknown)
        if args.dry_run:
            say("Dry run: nothing was sent.")
            return 0
        if not preview.queued:
            say("Nobody to invite: nothing was sent.")
            return 0
        if not args.yes and not _confirmed(len(preview.queued)):
            say("Nothing was sent.")
            return EXIT_DECLINED
        with _stop_on_ctrl_c() as stopping:
            show = _progress_printer("done")

            def progress(done: int, total: int) -> bool:
                show(done, total)
                return not stopping()

            report = clinic.staff.send_invitations(ids, actor=acting.actor, progress=progress)
    return _say_summary(report, len(ids))


def _patients(clinic: Clinic, mrns: list[str]) -> tuple[list[int], list[str]]:
    """The chart ids of these MRNs, and the MRNs no chart has."""
    ids: list[int] = []
    unknown: list[str] = []
    for mrn in mrns:
        try:
            ids.append(clinic.staff.resolve_patient(mrn))
        except NotFound:
            unknown.append(mrn)
    return ids, unknown


def _say_preview(clinic: Clinic, asked: int, preview: InvitationReport, unknown: list[str]) -> None:
    invited = len(preview.queued)
    skipped = len(preview.skipped) + len(unknown)
    say(f"{asked:,} patients asked for: {invited:,} will get an invitation, {skipped:,} will be skipped.")
    for mrn in unknown:
        say(f"  MRN {shown(mrn)}: no chart has this MRN.")
    for patient_id, why in preview.skipped:
        say(f"  MRN {_mrn(clinic, patient_id)}: {why}")


def _mrn(clinic: Clinic, patient_id: int) -> str:
    try:
        return clinic.staff.chart(patient_id).mrn
    except NotFound:
        return f"(chart id {patient_id})"


def _confirmed(count: int) -> bool:
    if not cli_sign_in.can_ask():  # looked up when asked: one answer for every command
        raise CommandProblem(
            "there is no terminal to ask on: add --yes to send the invitations without asking."
        )
    try:
        answer = input(f"Send {count:,} invitation{'s' if count != 1 else ''}? [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def _say_summary(report: InvitationReport, asked: int) -> int:
    done = len(report.queued) + len(report.skipped)
    say(
        f"Queued {len(report.queued):,} invitations; {len(report.skipped):,} skipped "
        "(the mail sender sends them, within the clinic's hourly limit)."
    )
    if report.cancelled:
        say(
            f"Stopped after {done:,} of {asked:,} patients; the rest were not invited. Run it again to go on."
        )
        return EXIT_INTERRUPTED
    return 0


def _progress_printer(word: str, every_seconds: float = 2.0) -> Callable[[int, int], None]:
    last = [time.monotonic()]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= every_seconds or done == total:
            print(f"  {done:,} of {total:,} patients {word}", file=sys.stderr, flush=True)
            last[0] = now

    return progress


@contextmanager
def _stop_on_ctrl_c() -> Iterator[Callable[[], bool]]:
    """Ctrl+C asks the batch to stop after the patient in hand (their transaction finishes)."""
    asked = [False]

    def ask_to_stop(_signum: int, _frame: Any) -> None:
        asked[0] = True
        print(f"{PROG}: stopping after the current patient…", file=sys.stderr, flush=True)

    try:
        previous = signal.signal(signal.SIGINT, ask_to_stop)
    except ValueError:  # not the main thread (an embedding app): Ctrl+C keeps its meaning
        yield lambda: False
        return
    try:
        yield lambda: asked[0]
    finally:
        signal.signal(signal.SIGINT, previous)
