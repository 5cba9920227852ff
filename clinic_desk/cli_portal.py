"""``clinic-desk portal``: serve the patient portal's web pages over the clinic database, until stopped.

The key that signs the pages' form tokens comes from a file or a systemd credential (checked
like mail-worker's password file); without one, a random key is made for this run.
"""

from __future__ import annotations

import argparse
import logging
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from clinic_desk.cli_output import CommandProblem, echo, say
from clinic_desk.cli_secrets import read_credential, read_password_file

if TYPE_CHECKING:
    import uvicorn

    from clinic_desk.services.clinic import Clinic

MIN_SECRET_CHARACTERS = 32
SECRET_HELP = (
    "read the key that signs the pages' forms from this file (yours, readable by you only; first "
    f"line, at least {MIN_SECRET_CHARACTERS} characters). Without it a random key is made at start: "
    "fine for one process, but forms open in browsers stop working after a restart, and several "
    "portal processes behind one proxy need the same file"
)


# Server connections one portal process holds (its requests run on a thread pool); README
# "Many desks on one server" has the budget of each kind of process.
PORTAL_POOL_SIZE = 2


def port_number(text: str) -> int:
    """A TCP port from 1 to 65535."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{echo(text)}' is not a port number") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError("choose a port from 1 to 65535")
    return value


def add_portal_command(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    database: argparse.ArgumentParser,
    open_clinic: Callable[[argparse.Namespace], Clinic],
) -> None:
    """The ``portal`` command."""
    portal = commands.add_parser(
        "portal", parents=[database], help="serve the patient portal's web pages until stopped"
    )
    portal.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    portal.add_argument("--port", type=port_number, default=8080, help="port to listen on (default 8080)")
    portal.add_argument(
        "--behind-proxy",
        action="store_true",
        help="a reverse proxy with HTTPS sits in front: trust its X-Forwarded-For (last hop) and "
        "X-Forwarded-Proto, and mark cookies Secure",
    )
    secret = portal.add_mutually_exclusive_group()
    secret.add_argument("--secret-file", metavar="PATH", help=SECRET_HELP)
    secret.add_argument(
        "--secret-credential", metavar="NAME", help="read that key from the systemd credential NAME"
    )
    portal.add_argument(
        "--demo-mailbox",
        metavar="DIR",
        type=Path,
        help="for the demo: also show the emails caught in DIR at /demo-mailbox",
    )
    portal.set_defaults(
        handler=lambda args: run_portal(args, lambda: open_clinic(args)), pool_size=PORTAL_POOL_SIZE
    )


def secret_key(args: argparse.Namespace) -> bytes:
    """The form-signing key from --secret-file / --secret-credential, or a random one for this run."""
    if args.secret_file is not None:
        text = read_password_file(args.secret_file, what="The portal's secret file")
    elif args.secret_credential is not None:
        text = read_credential(args.secret_credential)
    else:
        return secrets.token_bytes(32)
    if len(text) < MIN_SECRET_CHARACTERS:
        raise CommandProblem(
            f"the portal's secret is too short; use at least {MIN_SECRET_CHARACTERS} random characters "
            "(for example the output of: openssl rand -base64 48)."
        )
    return text.encode("utf-8")


def run_portal(args: argparse.Namespace, open_clinic: Callable[[], Clinic]) -> int:
    """Serve the portal until Ctrl+C or SIGTERM; returns the exit code."""
    import uvicorn

    from clinic_desk.portal.app import create_app
    from clinic_desk.portal.server import server_config

    key = secret_key(args)  # a bad file stops the command before it touches the database
    logging.getLogger("clinic_desk.portal").setLevel(logging.INFO)  # one line per request
    with open_clinic() as clinic:
        app = create_app(
            clinic,
            key,
            behind_proxy=args.behind_proxy,
            secure_cookies=args.behind_proxy,
            demo_mailbox=args.demo_mailbox,
        )
        server = uvicorn.Server(server_config(app, host=args.host, port=args.port))
        say(f"Serving the patient portal of {clinic.describe_database()} on http://{args.host}:{args.port}/")
        _serve_until_stopped(server)
    say("The portal has stopped.")
    return 0


def _serve_until_stopped(server: uvicorn.Server) -> None:
    """Run uvicorn; Ctrl+C and SIGTERM (systemd's stop) end it cleanly, exit code 0.

    uvicorn finishes the requests under way, then raises the signal again once it has
    stopped: both signals then land here as KeyboardInterrupt.
    """
    import signal

    def stop(_number: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
