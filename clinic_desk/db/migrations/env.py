"""Alembic environment: always run on the connection Clinic Desk hands over."""

from __future__ import annotations

from alembic import context

from clinic_desk.db.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached from the alembic CLI
    raise SystemExit("Run migrations with `clinic-desk db upgrade`, not the alembic command.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
