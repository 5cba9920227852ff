"""the shared-email lookup and the first-name search read indexes in id order

Opening a patient asks for the other charts with the same email, the first ten by id.
With an index on email_key alone, a server that has no statistics yet (right after a
bulk load) may walk the whole primary key in id order instead. An index on
(email_key, id) hands those charts over already in id order, whatever the statistics.
It also serves every lookup the old index did, which goes.

The search by first name ("jo", "maria garcia") lists matches by first name, then id: an
index on (first_key, id) gives them in that order on PostgreSQL too, where an index on
first_key alone made it read and sort every chart with that first name.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 21:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_patients_email_key_id", "patients", ["email_key", "id"])
    op.drop_index("ix_patients_email_key", table_name="patients")
    op.create_index("ix_patients_first_key_id", "patients", ["first_key", "id"])
    op.drop_index("ix_patients_first_key", table_name="patients")


def downgrade() -> None:
    op.create_index("ix_patients_first_key", "patients", ["first_key"])
    op.drop_index("ix_patients_first_key_id", table_name="patients")
    op.create_index("ix_patients_email_key", "patients", ["email_key"])
    op.drop_index("ix_patients_email_key_id", table_name="patients")
