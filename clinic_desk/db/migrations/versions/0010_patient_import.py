"""patient import: MRNs of up to 64 characters, preferred language, what the last import brought

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 00:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from clinic_desk.db.types import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "patients", sa.Column("preferred_language", sa.String(length=35), nullable=False, server_default="en")
    )
    # SQLite ignores a VARCHAR's length (the model says so): rebuilding the patients table
    # there would cascade-delete every portal account, so only the servers widen the column.
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column(
            "patients",
            "mrn",
            existing_type=sa.String(length=20),
            type_=sa.String(length=64),
            existing_nullable=False,
        )
    op.create_table(
        "import_values",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("field_values", sa.Text(), nullable=False),
        sa.Column("imported_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_import_values_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("patient_id", name=op.f("pk_import_values")),
    )


def downgrade() -> None:
    op.drop_table("import_values")
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column(
            "patients",
            "mrn",
            existing_type=sa.String(length=64),
            type_=sa.String(length=20),
            existing_nullable=False,
        )
        op.drop_column("patients", "preferred_language")
    else:
        op.execute("ALTER TABLE patients DROP COLUMN preferred_language")  # no rebuild (see upgrade)
