"""colour counts kept in step with each change; indexes for trouble spots counted on demand

Each portal account stores its colour class and ``status_count_deltas`` holds the
+n/-n rows the counts are summed from (db/status_counts.py says why). The existing
charts are classified here, from the rule table itself (not a copy of it): a later
change of the rule resets ``status_class`` to NULL and empties the deltas in its own
migration, and they are filled again the same way.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 21:00:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from clinic_desk.db.status_counts import Placeholders, classify_unclassified

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_UNCLASSIFIED = sa.text("status_class IS NULL")


def upgrade() -> None:
    op.create_table(
        "status_count_deltas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status_class", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_count_deltas")),
    )
    op.add_column("portal_accounts", sa.Column("status_class", sa.Integer(), nullable=True))
    op.create_index(
        "ix_portal_accounts_unclassified",
        "portal_accounts",
        ["patient_id"],
        postgresql_where=_UNCLASSIFIED,
        sqlite_where=_UNCLASSIFIED,
    )
    locked, failed = sa.text("locked_until IS NOT NULL"), sa.text("failed_logins > 0")
    op.create_index(
        "ix_portal_accounts_locked_until",
        "portal_accounts",
        ["locked_until"],
        postgresql_where=locked,
        sqlite_where=locked,
    )
    op.create_index(
        "ix_portal_accounts_failed_logins",
        "portal_accounts",
        ["failed_logins"],
        postgresql_where=failed,
        sqlite_where=failed,
    )
    op.create_index("ix_portal_tokens_expires_at", "portal_tokens", ["expires_at"])
    classify_unclassified(op.get_bind(), _placeholders(), ranks=False)  # 0009 adds and fills the ranks


def _placeholders() -> Placeholders:
    """The clinic's placeholder settings as stored (JSON), over the defaults."""
    settings = sa.table("clinic_settings", sa.column("key", sa.String), sa.column("value", sa.Text))
    names = ("placeholder_domain", "placeholder_addresses")
    rows = op.get_bind().execute(sa.select(settings.c.key, settings.c.value).where(settings.c.key.in_(names)))
    stored = {key: json.loads(value) for key, value in rows}
    default = Placeholders()
    return Placeholders(
        str(stored.get("placeholder_domain", default.domain)),
        tuple(stored.get("placeholder_addresses", default.addresses)),
    )


def downgrade() -> None:
    op.drop_index("ix_portal_tokens_expires_at", table_name="portal_tokens")
    op.drop_index("ix_portal_accounts_failed_logins", table_name="portal_accounts")
    op.drop_index("ix_portal_accounts_locked_until", table_name="portal_accounts")
    op.drop_index("ix_portal_accounts_unclassified", table_name="portal_accounts")
    with op.batch_alter_table("portal_accounts", schema=None) as batch_op:
        batch_op.drop_column("status_class")
    op.drop_table("status_count_deltas")
