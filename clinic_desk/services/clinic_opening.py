"""Opening a clinic database: the engine, the schema brought up to date, the stored settings.

Kept apart from the facade so that ``Clinic.open`` stays a short list of steps; every way a
database can refuse to open comes out here as one of the domain's plain-words errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from clinic_desk.db import schema
from clinic_desk.db.engine import default_url, describe, make_engine, make_session_factory, normalize_url
from clinic_desk.db.sqlite_file import check_clinic_file, local_path
from clinic_desk.domain.errors import DatabaseUnavailable, NotFound, ServerFull
from clinic_desk.services.db_faults import is_server_full, opening_problem
from clinic_desk.services.settings import ClinicSettings, load_settings, settings_stamp


@dataclass(frozen=True)
class OpenedDatabase:
    """An engine on a current schema, and the settings stored in it."""

    engine: Engine
    url: URL
    settings: ClinicSettings
    settings_stamp: str | None


def open_database(
    url: str | URL | None,
    *,
    upgrade: bool,
    create: bool,
    busy_seconds: float | None,
    answer_seconds: float | None,
    pool_size: int | None,
) -> OpenedDatabase:
    """Connect to ``url`` (the default local file when None), create or upgrade the schema when
    asked, and read the stored settings; the engine is disposed again if any step fails."""
    parsed = normalize_url(url or default_url())
    local = local_path(parsed)
    if local is not None:
        check_clinic_file(local)  # not a database, read-only, a stale -shm: said before SQLite's words
    limits: dict[str, Any] = {"busy_seconds": busy_seconds, "answer_seconds": answer_seconds}
    if pool_size is not None and parsed.get_backend_name() == "postgresql":
        limits["pool_size"] = max(1, int(pool_size))
    try:
        engine = make_engine(
            parsed, create=create, **{name: value for name, value in limits.items() if value is not None}
        )
    except FileNotFoundError:
        if create:
            raise
        raise NotFound(f"{describe(parsed)}: there is no clinic database there.") from None
    try:
        if upgrade:
            schema.upgrade(engine)
        else:
            schema.ensure_current(engine)
        with make_session_factory(engine)() as session:
            return OpenedDatabase(engine, parsed, load_settings(session), settings_stamp(session))
    except DBAPIError as error:
        engine.dispose()
        if is_server_full(error):
            raise ServerFull(opening_problem(parsed, error)) from error
        raise DatabaseUnavailable(opening_problem(parsed, error)) from error
    except BaseException:
        engine.dispose()
        raise
