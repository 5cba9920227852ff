"""``clinic-desk demo-mail``: the demo's mail catcher, keeping every email sent to it as an .eml file.

It listens on 127.0.0.1 only. The demo clinic sends its emails there
(``seed-demo --mail-port``), and the portal started with ``--demo-mailbox DIR`` shows the
folder at ``/demo-mailbox``. Ctrl+C (or SIGTERM) stops it.
"""

from __future__ import annotations

import argparse
import errno
import threading
from pathlib import Path

from clinic_desk.cli_arguments import ClinicParser
from clinic_desk.cli_output import CommandProblem, say
from clinic_desk.cli_portal import port_number

DEFAULT_PORT = 8025


def add_demo_mail_command(commands: argparse._SubParsersAction[ClinicParser]) -> None:
    """The ``demo-mail`` command (it opens no database, so it takes no --db)."""
    catcher = commands.add_parser(
        "demo-mail",
        help="for the demo: catch the emails sent to 127.0.0.1 and keep each as a file in a folder",
    )
    catcher.add_argument("--folder", required=True, metavar="DIR", help="where to keep the emails (made)")
    catcher.add_argument(
        "--port",
        type=port_number,
        default=DEFAULT_PORT,
        metavar="PORT",
        help=f"the SMTP port on 127.0.0.1 (default {DEFAULT_PORT})",
    )
    catcher.set_defaults(handler=run_demo_mail)


def run_demo_mail(args: argparse.Namespace, stop: threading.Event | None = None) -> int:
    """Catch mail until Ctrl+C (or until ``stop`` is set, for tests)."""
    from clinic_desk.demo.mail_catcher import catch_mail

    folder = Path(args.folder)
    try:
        with catch_mail(folder, args.port) as (host, port):
            say(f"Catching the demo's emails on {host}:{port}; each is kept in {folder}. Ctrl+C stops.")
            (stop or threading.Event()).wait()
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise CommandProblem(
                f"port {args.port} on 127.0.0.1 is already in use (is another demo-mail running?); "
                "choose another with --port."
            ) from None
        raise
    return 0
