"""staff accounts, and the workstation on each audit entry

Staff sign in with their own username (DESIGN.md section 5); the audit log records the
computer each action came from. Older entries keep no workstation (and their hashes).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import clinic_desk.db.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("username_key", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        sa.Column("failed_sign_ins", sa.Integer(), nullable=False),
        sa.Column("locked_until", clinic_desk.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_sign_in_at", clinic_desk.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", clinic_desk.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", clinic_desk.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role in ('front_desk', 'manager', 'admin')", name=op.f("ck_staff_members_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_members")),
        sa.UniqueConstraint("username_key", name=op.f("uq_staff_members_username_key")),
    )
    op.add_column("audit_log", sa.Column("workstation", sa.String(length=100), nullable=True))
    # The clinic-wide log's filters, newest first (keyset paging on the id).
    op.create_index("ix_audit_log_actor", "audit_log", ["actor", "id"])
    op.create_index("ix_audit_log_action", "audit_log", ["action", "id"])
    op.create_index("ix_audit_log_at", "audit_log", ["at"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.drop_index("ix_audit_log_action", table_name="audit_log")
    op.drop_index("ix_audit_log_actor", table_name="audit_log")
    op.drop_column("audit_log", "workstation")
    op.drop_table("staff_members")
