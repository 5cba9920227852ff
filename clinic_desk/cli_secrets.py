"""Passwords the command line reads from a file or a systemd credential (a server has no keyring).

The file must belong to the user running the command and be readable by nobody else,
as for ssh keys: a password other people can read is not a secret any more. Nothing
here ever prints, logs or puts the password in an error message.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from clinic_desk.cli_output import echo
from clinic_desk.domain.errors import ClinicDeskError

CREDENTIALS_ENV = "CREDENTIALS_DIRECTORY"  # where systemd puts LoadCredential= files
MAX_PASSWORD_BYTES = 4096


class SecretFileProblem(ClinicDeskError):
    """A password file or credential cannot be used (said in one line, without its content)."""


def read_password_file(path: str, *, what: str = "The password file", root_may_own: bool = False) -> str:
    """The password in the file at ``path`` (its first line), after checking who may read the file.

    ``root_may_own``: systemd may leave a credential owned by root and grant the service
    user read access by ACL; the file must still be private (no group or other bits).

    Raises:
        SecretFileProblem: missing, not a regular file, readable by others, not ours, empty.
    """
    where = f"{what} {echo(path)}"
    try:
        # O_NOFOLLOW: the checks below are about the file itself; O_NONBLOCK: a FIFO cannot hang us.
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        descriptor = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except ValueError:  # a NUL in the path
        raise SecretFileProblem(f"{where} is not a usable file name.") from None
    except FileNotFoundError:
        raise SecretFileProblem(f"{where} does not exist.") from None
    except OSError as error:
        raise SecretFileProblem(f"{where} cannot be read ({error.strerror or 'error'}).") from None
    facts = os.fstat(descriptor)
    if not stat.S_ISREG(facts.st_mode):
        os.close(descriptor)
        raise SecretFileProblem(f"{where} is not a plain file.")
    with os.fdopen(descriptor, "rb") as handle:
        if os.name == "posix":
            if facts.st_uid != os.getuid() and not (root_may_own and facts.st_uid == 0):
                raise SecretFileProblem(
                    f"{where} belongs to another user; it must belong to the user running Clinic Desk."
                )
            if facts.st_mode & 0o077:
                raise SecretFileProblem(
                    f"{where} can be read by other users; make it private first (chmod 600) and "
                    "change the password if others may have seen it."
                )
        data = handle.read(MAX_PASSWORD_BYTES + 1)
    if len(data) > MAX_PASSWORD_BYTES:
        raise SecretFileProblem(f"{where} is too long for a password file.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SecretFileProblem(f"{where} is not UTF-8 text.") from None
    password = text.split("\n", 1)[0].removesuffix("\r")  # the first line, without its line break
    if not password:
        raise SecretFileProblem(f"{where} is empty; put the password on its first line.")
    return password


def read_credential(name: str) -> str:
    """The password in the systemd credential ``name`` ($CREDENTIALS_DIRECTORY/name)."""
    if not name or name in (".", "..") or "/" in name or "\0" in name:
        raise SecretFileProblem(f"'{echo(name)}' is not a credential name (a plain name like smtp-password).")
    folder = os.environ.get(CREDENTIALS_ENV, "")
    if not folder:
        raise SecretFileProblem(
            f"the credential '{echo(name)}' cannot be read: {CREDENTIALS_ENV} is not set. Run the command "
            "from a systemd service with LoadCredential= or SetCredentialEncrypted=, or use a password file."
        )
    return read_password_file(str(Path(folder) / name), what="The credential", root_may_own=True)
