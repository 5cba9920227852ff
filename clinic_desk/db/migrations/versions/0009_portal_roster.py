"""portal roster: a colour rank on each chart, index orders for its pages, the daily status record

- ``patients.color_rank`` (0 red, 1 gold, 2 blue) is kept in step with the colour class
  (db/status_counts.py), so (color_rank, last_key, first_key, id) and its MRN and date of
  birth twins are single indexes: a roster page by colour, or filtered by colour, is one
  index range scan at a million charts.
- The name and date-of-birth indexes end in the chart id (the roster's tie-break), so a
  keyset page reads the index in order on PostgreSQL too (SQLite and InnoDB append it anyway).
- ``portal_accounts.first_login_at``: the first successful login (adoption's median).
  Known for accounts with exactly one login; left empty for the rest.
- ``portal_status_days``: how many active patients had each colour, once a day.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 00:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import clinic_desk.db.types
from clinic_desk.db.status_counts import fill_color_ranks

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("patients", sa.Column("color_rank", sa.SmallInteger(), nullable=True))
    op.add_column(
        "portal_accounts",
        sa.Column("first_login_at", clinic_desk.db.types.UTCDateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "portal_status_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("color", sa.String(length=4), nullable=False),
        sa.Column("patients", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "color", name=op.f("pk_portal_status_days")),
    )
    accounts = sa.table(
        "portal_accounts",
        sa.column("first_login_at"),
        sa.column("last_login_at"),
        sa.column("login_count", sa.Integer()),
    )
    op.execute(
        accounts.update()
        .where(accounts.c.login_count == 1, accounts.c.last_login_at.is_not(None))
        .values(first_login_at=accounts.c.last_login_at)
    )
    fill_color_ranks(op.get_bind())
    # Plain statements, never a batch copy: re-creating ``patients`` on SQLite would cascade.
    op.drop_index("ix_patients_last_first", table_name="patients")
    op.create_index("ix_patients_last_first", "patients", ["last_key", "first_key", "id"])
    op.drop_index("ix_patients_date_of_birth", table_name="patients")
    op.create_index("ix_patients_date_of_birth", "patients", ["date_of_birth", "id"])
    op.create_index("ix_patients_color_name", "patients", ["color_rank", "last_key", "first_key", "id"])
    op.create_index("ix_patients_color_mrn", "patients", ["color_rank", "mrn"])
    op.create_index("ix_patients_color_born", "patients", ["color_rank", "date_of_birth", "id"])
    op.create_index("ix_portal_accounts_first_login_at", "portal_accounts", ["first_login_at"])
    op.create_index("ix_outbox_emails_sent_at", "outbox_emails", ["sent_at"])


def downgrade() -> None:
    op.drop_index("ix_outbox_emails_sent_at", table_name="outbox_emails")
    op.drop_index("ix_portal_accounts_first_login_at", table_name="portal_accounts")
    for name in ("ix_patients_color_born", "ix_patients_color_mrn", "ix_patients_color_name"):
        op.drop_index(name, table_name="patients")
    op.drop_index("ix_patients_date_of_birth", table_name="patients")
    op.create_index("ix_patients_date_of_birth", "patients", ["date_of_birth"])
    op.drop_index("ix_patients_last_first", table_name="patients")
    op.create_index("ix_patients_last_first", "patients", ["last_key", "first_key"])
    op.drop_column("patients", "color_rank")  # ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later)
    op.drop_table("portal_status_days")
    op.drop_column("portal_accounts", "first_login_at")
