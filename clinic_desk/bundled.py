"""What this copy of Clinic Desk is made of: its version and its components' licences.

Read from the installed distributions' metadata (importlib.metadata), so a pip install, a
source checkout and the PyInstaller bundle (which copies the metadata) all say the same.
Standard library only: ``clinic-desk --version`` must not load Qt or SQLAlchemy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import metadata

from clinic_desk import __version__

DISTRIBUTION = "clinic-desk"

#: The components the app runs on, as (distribution, what it does for the clinic), in About's order.
COMPONENTS = (
    ("PySide6-Essentials", "the window (Qt for Python)"),
    ("shiboken6", "Qt for Python's bindings"),
    ("SQLAlchemy", "the database"),
    ("alembic", "database upgrades"),
    ("argon2-cffi", "password hashes"),
    ("keyring", "passwords in the system's keyring"),
    ("email-validator", "email address checks"),
    ("platformdirs", "where files live"),
    ("starlette", "the patient portal's pages"),
    ("jinja2", "the portal's page templates"),
    ("uvicorn", "the portal's web server"),
    ("python-multipart", "the portal's forms"),
    ("segno", "the QR code on activation letters"),
    ("psycopg", "PostgreSQL driver"),
    ("psycopg-binary", "PostgreSQL client library"),
    ("PyMySQL", "MariaDB driver"),
)

# 'License :: OSI Approved :: BSD License' -> 'BSD'; the Trove classifier when there is no SPDX field.
_CLASSIFIER = re.compile(r"^License :: (?:OSI Approved :: )?(?P<name>.+?)(?: License)?$")
_LONGEST_LICENSE_FIELD = 80  # some packages put the whole licence text in 'License'


@dataclass(frozen=True)
class Component:
    """One bundled distribution: its name, version, licence and its job in Clinic Desk."""

    name: str
    version: str
    licence: str
    role: str


def installed_version() -> str:
    """Clinic Desk's version from its package metadata (the source's own when it is not installed)."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return __version__


def licence_of(info: metadata.PackageMetadata) -> str:
    """A distribution's licence: its SPDX expression, a short License field, or its Trove classifier."""
    expression = _field(info, "License-Expression")
    if expression:
        return expression
    field = _field(info, "License")
    if field and "\n" not in field and len(field) <= _LONGEST_LICENSE_FIELD:
        return field
    for classifier in info.get_all("Classifier") or []:
        match = _CLASSIFIER.match(classifier)
        if match:
            return match.group("name")
    return "see its own files"


def _field(info: metadata.PackageMetadata, name: str) -> str:
    """A metadata field's first value, stripped ('' when absent)."""
    values = info.get_all(name) or []
    return str(values[0]).strip() if values else ""


def components() -> list[Component]:
    """The components found in this installation (a driver that is not installed is left out)."""
    found = []
    for name, role in COMPONENTS:
        try:
            info = metadata.metadata(name)
        except metadata.PackageNotFoundError:
            continue
        found.append(Component(str(info["Name"]), str(info["Version"]), licence_of(info), role))
    return found
