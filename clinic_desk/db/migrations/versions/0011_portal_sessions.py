"""portal web sessions: who is signed in on the portal's pages (only each secret's hash is kept)

Activation codes need no table of their own: they are links of kind "activation" in
``portal_tokens`` (its ``kind`` column holds any short code), so they share the link lifecycle.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27 04:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from clinic_desk.db.types import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "portal_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_portal_sessions_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_portal_sessions_token_hash")),
    )
    op.create_index("ix_portal_sessions_patient", "portal_sessions", ["patient_id", "ended_at"])


def downgrade() -> None:
    # The table takes its index with it (MariaDB refuses to drop an index a foreign key uses).
    op.drop_table("portal_sessions")
