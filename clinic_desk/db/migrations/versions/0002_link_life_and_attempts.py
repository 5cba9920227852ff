"""links and queued emails end with a reason; patient-side attempt limits; staff's reason for a switch-off

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 13:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import clinic_desk.db.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Written out (not imported) so this step stays what it was when later code changes.
OLD_EMAIL_STATUSES = "status in ('queued', 'sent', 'failed')"
NEW_EMAIL_STATUSES = "status in ('queued', 'sent', 'failed', 'cancelled')"


def upgrade() -> None:
    with op.batch_alter_table("outbox_emails", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("cancelled_at", clinic_desk.db.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("cancel_reason", sa.String(length=40), nullable=True))
        batch_op.drop_constraint(op.f("ck_outbox_emails_status"), type_="check")
        batch_op.create_check_constraint("status", NEW_EMAIL_STATUSES)

    with op.batch_alter_table("portal_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revoke_reason", sa.String(length=40), nullable=True))

    with op.batch_alter_table("portal_accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("staff_off_reason", sa.String(length=32), nullable=True))

    op.create_table(
        "portal_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", clinic_desk.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_failure_at", clinic_desk.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("locked_until", clinic_desk.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_attempts")),
        sa.UniqueConstraint("scope", "key_hash", name=op.f("uq_portal_attempts_scope_key")),
    )
    op.create_table(
        "portal_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", clinic_desk.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("typed_key", sa.String(length=254), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_events")),
    )
    with op.batch_alter_table("portal_events", schema=None) as batch_op:
        batch_op.create_index("ix_portal_events_typed_key", ["typed_key", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("portal_events", schema=None) as batch_op:
        batch_op.drop_index("ix_portal_events_typed_key")
    op.drop_table("portal_events")
    op.drop_table("portal_attempts")
    with op.batch_alter_table("portal_accounts", schema=None) as batch_op:
        batch_op.drop_column("staff_off_reason")
    with op.batch_alter_table("portal_tokens", schema=None) as batch_op:
        batch_op.drop_column("revoke_reason")
    op.execute("UPDATE outbox_emails SET status = 'failed' WHERE status = 'cancelled'")
    with op.batch_alter_table("outbox_emails", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_outbox_emails_status"), type_="check")
        batch_op.create_check_constraint("status", OLD_EMAIL_STATUSES)
        batch_op.drop_column("cancel_reason")
        batch_op.drop_column("cancelled_at")
