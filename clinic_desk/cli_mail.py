"""``clinic-desk mail-worker``: send the outbox from this machine until stopped.

On a server without a keyring the mail server password comes from a file or a systemd
credential named on the command line; with no password at all the worker stops at once
and says how to give one (it never loops on "password not set"). The password is never
printed or logged.
"""

from __future__ import annotations

import argparse
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from clinic_desk.cli_output import CommandProblem, say
from clinic_desk.cli_secrets import read_credential, read_password_file

if TYPE_CHECKING:
    from clinic_desk.services.clinic import Clinic, DeliveryReport

NO_SERVER = "no email server is set up; enter it in the window under Clinic settings first."
NO_PASSWORD = (
    "the email server needs a password and this computer has none (no keyring, or it was never "
    "entered). Give it with --smtp-password-file PATH (a file only you can read) or "
    "--smtp-password-credential NAME (a systemd credential), or enter it in the window under "
    "Clinic settings on this computer."
)


def add_password_options(worker: argparse.ArgumentParser) -> None:
    """--smtp-password-file and --smtp-password-credential (one or the other)."""
    password = worker.add_mutually_exclusive_group()
    password.add_argument(
        "--smtp-password-file",
        metavar="PATH",
        help="read the mail server password from this file (yours, readable by you only; first line)",
    )
    password.add_argument(
        "--smtp-password-credential",
        metavar="NAME",
        help="read it from the systemd credential NAME ($CREDENTIALS_DIRECTORY/NAME)",
    )


def password_given(args: argparse.Namespace) -> str | None:
    """The mail server password from --smtp-password-file or --smtp-password-credential, if given."""
    if getattr(args, "smtp_password_file", None) is not None:
        return read_password_file(args.smtp_password_file)
    if getattr(args, "smtp_password_credential", None) is not None:
        return read_credential(args.smtp_password_credential)
    return None


def run_mail_worker(args: argparse.Namespace, open_clinic: Callable[[], Clinic]) -> int:
    """Send the outbox until Ctrl+C or SIGTERM; returns the exit code."""
    from clinic_desk.services.clinic import MailProblem

    given = password_given(args)  # a bad file stops the worker before it touches the database
    stop = threading.Event()
    gave_up: list[str] = []

    def on_signal(_number: int, _frame: object) -> None:
        stop.set()

    def on_report(report: DeliveryReport) -> None:
        # Called only after a run that did something or hit a problem (see run_forever).
        # Counts and the server's problem only: never an address or a patient.
        line = f"sent {report.sent}, retry later {report.retried}, failed {report.failed}"
        say(
            line
            + (f" ({report.problem})" if report.problem else "")
            + (f"; {report.limit_note}" if report.limit_note else "")
        )
        # These do not mend by waiting (the server was removed, the password forgotten): stop and say so.
        if report.problem_kind is MailProblem.NO_PASSWORD:
            gave_up.append(NO_PASSWORD)
            stop.set()
        elif report.problem_kind is MailProblem.NO_SERVER:
            gave_up.append(NO_SERVER)
            stop.set()

    with open_clinic() as clinic:
        if not clinic.settings.smtp_host:
            raise CommandProblem(NO_SERVER)
        if clinic.settings.smtp_username.strip() and not (given or clinic.setup.smtp_password()):
            # Every round would fail the same way: say how to give a password, once.
            raise CommandProblem(NO_PASSWORD)
        import signal  # the mail worker only: not loaded when the window starts

        previous = {number: signal.signal(number, on_signal) for number in (signal.SIGTERM, signal.SIGINT)}
        try:
            say(f"Sending the outbox of {clinic.describe_database()} (Ctrl+C to stop).")
            clinic.mail.run_sender(
                stop,
                poll_seconds=args.poll,
                on_report=on_report,
                # The keyring is asked each round (a password entered later is used); a file once.
                password_provider=(lambda: given) if given else None,
                record_status=True,  # the adoption chart's daily record, also when no window is open
                follow_settings=True,  # an administrator's new settings, without a restart
            )
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
    if gave_up:
        raise CommandProblem(gave_up[0])
    return 0
