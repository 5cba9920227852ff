"""request ids: a staff action retried after a lost reply is not done twice

Revision ID: 0004
Revises: 0002 (the merge re-points this to 0003)
Create Date: 2026-11-26 15:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import clinic_desk.db.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "done_requests",
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("done_at", clinic_desk.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_done_requests")),
    )


def downgrade() -> None:
    op.drop_table("done_requests")
