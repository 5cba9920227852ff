"""the audit log is hash-chained and append-only on every database (REPLACE, TRUNCATE refused)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 15:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import clinic_desk.db.types
from clinic_desk.domain.audit_chain import GENESIS, ChainLink

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

REFUSAL = "the audit log is append-only"
# Written out (not imported) so this step stays what it was when later code changes.
SQLITE_TRIGGERS = {
    "audit_log_no_update": f"BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
    "audit_log_no_delete": f"BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
    # REPLACE deletes the row it clashes with without firing DELETE triggers: refuse the clash.
    "audit_log_no_replace": (
        "BEFORE INSERT ON audit_log WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id) "
        f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
    ),
}
MARIADB_SIGNAL = f"SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '{REFUSAL}'"
MARIADB_TRIGGERS = {
    "audit_log_no_update": f"BEFORE UPDATE ON audit_log FOR EACH ROW {MARIADB_SIGNAL}",
    "audit_log_no_delete": f"BEFORE DELETE ON audit_log FOR EACH ROW {MARIADB_SIGNAL}",
    "audit_log_no_replace": (
        "BEFORE INSERT ON audit_log FOR EACH ROW "
        f"IF EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id) THEN {MARIADB_SIGNAL}; END IF"
    ),
    # Appending locks the guard's row: it must stay.
    "audit_log_guard_no_update": f"BEFORE UPDATE ON audit_log_guard FOR EACH ROW {MARIADB_SIGNAL}",
    "audit_log_guard_no_delete": f"BEFORE DELETE ON audit_log_guard FOR EACH ROW {MARIADB_SIGNAL}",
}
OLD_TRIGGERS = ("audit_log_no_update", "audit_log_no_delete")

_AUDIT = sa.table(
    "audit_log",
    sa.column("id", sa.Integer()),
    sa.column("at", clinic_desk.db.types.UTCDateTime(timezone=True)),
    sa.column("actor", sa.String()),
    sa.column("action", sa.String()),
    sa.column("patient_id", sa.Integer()),
    sa.column("before", sa.Text()),
    sa.column("after", sa.Text()),
    sa.column("note", sa.String()),
)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("entry_hash", sa.String(length=64), nullable=True))
    _drop_triggers(dialect, OLD_TRIGGERS)
    _chain_existing_entries()
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("entry_hash", existing_type=sa.String(length=64), nullable=False)
    op.create_table(
        "audit_log_guard",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["audit_log.id"], name=op.f("fk_audit_log_guard_entry_id_audit_log")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log_guard")),
    )
    op.execute("INSERT INTO audit_log_guard (id, entry_id) VALUES (1, NULL)")
    if dialect == "sqlite":
        _create_triggers(SQLITE_TRIGGERS)
    elif dialect in ("mysql", "mariadb"):
        _create_triggers(MARIADB_TRIGGERS)
    elif dialect == "postgresql":
        op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")
        op.execute(
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
        )


def _drop_triggers(dialect: str, names: tuple[str, ...]) -> None:
    if dialect == "postgresql":
        # The owner may; the desk's own role never owns the table once secured (README).
        op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
        return
    for name in names:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


def _create_triggers(triggers: dict[str, str]) -> None:
    for name, body in triggers.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def _chain_existing_entries() -> None:
    """Link the entries written before the chain existed, oldest first."""
    connection = op.get_bind()
    previous = GENESIS
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(_AUDIT).where(_AUDIT.c.id > last_id).order_by(_AUDIT.c.id).limit(1000)
        ).all()
        if not rows:
            return
        updates = []
        for row in rows:
            link = ChainLink(
                id=row.id,
                at=row.at,
                actor=row.actor,
                action=row.action,
                patient_id=row.patient_id,
                before=row.before,
                after=row.after,
                note=row.note,
                prev_hash=previous,
            )
            previous = link.computed_hash()
            updates.append({"row_id": row.id, "prev": link.prev_hash, "own": previous})
            last_id = row.id
        connection.execute(
            sa.text("UPDATE audit_log SET prev_hash = :prev, entry_hash = :own WHERE id = :row_id"), updates
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
    else:
        _drop_triggers(dialect, tuple(SQLITE_TRIGGERS))
    op.drop_table("audit_log_guard")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("entry_hash")
        batch_op.drop_column("prev_hash")
    if dialect == "sqlite":
        _create_triggers({name: SQLITE_TRIGGERS[name] for name in OLD_TRIGGERS})
    elif dialect in ("mysql", "mariadb"):
        _create_triggers({name: MARIADB_TRIGGERS[name] for name in OLD_TRIGGERS})
