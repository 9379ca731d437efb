"""Alembic environment for studyrnn's store.

It is only ever run programmatically (``studyrnn.store.migrate``), which passes an open
connection in ``config.attributes["connection"]``; there is no alembic.ini on disk.
``render_as_batch`` lets migrations alter tables on SQLite (copy-and-move).
"""

from __future__ import annotations

from alembic import context

from studyrnn.store.base import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached by running the alembic CLI by hand
    raise RuntimeError("run migrations through studyrnn.store.migrate, which passes a connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
