"""Securing the audit log against the desks' own database role (an administrator's step).

The triggers refuse edits from anyone who cannot drop them; the hash chain makes
what is left detectable. On PostgreSQL, ``secure_audit_log`` makes the guarantee hold
for the desks' role: the audit table moves to a role of its own (NOLOGIN) and the
desks' role may only read and append. MariaDB does it with the desks' user's privileges
(no DROP, ALTER or TRIGGER), which we only describe here.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, text

from clinic_desk.domain.errors import NotAllowed, ValidationError

DEFAULT_OWNER_ROLE = "clinic_desk_audit"
_ROLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")

SQLITE_WORDS = (
    "A local file has no database roles: triggers refuse edits and deletions, and "
    "`clinic-desk audit verify` detects any change made with other tools."
)
MARIADB_WORDS = (
    "On MariaDB, give the desks' user only SELECT, INSERT, UPDATE, DELETE on the clinic's "
    "database (never DROP, ALTER, TRIGGER or SUPER), for example: "
    "GRANT SELECT, INSERT, UPDATE, DELETE ON clinic.* TO 'desk'@'%'. "
    "Without DROP it cannot empty the audit log, without TRIGGER it cannot remove the triggers. "
    "Run `clinic-desk db upgrade` as an administrator user."
)


def _role(name: str, what: str) -> str:
    if not _ROLE_NAME.fullmatch(name):
        raise ValidationError(
            f"{what}: use letters, digits and underscores only (up to 63, not starting with a digit).",
            field=what.lower().replace(" ", "_"),
        )
    return f'"{name}"'


def secure_postgres(connection: Connection, app_role: str, owner_role: str = DEFAULT_OWNER_ROLE) -> str:
    """Give the audit table to ``owner_role`` (made when missing); ``app_role`` may only SELECT and INSERT.

    Run as a superuser (or a member of ``owner_role`` allowed to create it), in one transaction.

    Raises:
        ValidationError: a role name that is not a plain identifier, or the same for both.
        NotAllowed: the desks' role does not exist, is a superuser or belongs to the owner role
            (the guarantee could not hold).
    """
    app, owner = _role(app_role, "App role"), _role(owner_role, "Owner role")
    if app_role == owner_role:
        raise ValidationError("The audit log's owner must be a role other than the desks' role.")
    found = connection.execute(
        text("SELECT rolsuper FROM pg_roles WHERE rolname = :name"), {"name": app_role}
    ).first()
    if found is None:
        raise NotAllowed(f"There is no database role named {app_role}: create the desks' role first.")
    if found[0]:
        raise NotAllowed(
            f"{app_role} is a superuser, so nothing can stop it from editing the audit log: "
            "let the desks connect as an ordinary role."
        )
    exists = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": owner_role})
    if exists.first() is None:
        connection.execute(text(f"CREATE ROLE {owner} NOLOGIN"))
    member = connection.execute(
        text("SELECT pg_has_role(:app, :owner, 'MEMBER')"), {"app": app_role, "owner": owner_role}
    ).scalar()
    if member:
        raise NotAllowed(f"{app_role} is a member of {owner_role}: the owner must be a role of its own.")
    for statement in (
        f"ALTER TABLE audit_log OWNER TO {owner}",  # its id sequence follows
        f"ALTER FUNCTION audit_log_append_only() OWNER TO {owner}",
        f"REVOKE ALL ON audit_log FROM PUBLIC, {app}",
        f"GRANT SELECT, INSERT ON audit_log TO {app}",
        f"GRANT USAGE, SELECT ON SEQUENCE audit_log_id_seq TO {app}",
    ):
        connection.execute(text(statement))
    return (
        f"The audit log now belongs to {owner_role}; {app_role} may only read it and add to it "
        "(no UPDATE, DELETE, TRUNCATE, or disabling its triggers)."
    )
