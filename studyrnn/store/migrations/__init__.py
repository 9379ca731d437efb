"""Alembic migrations of the store, run in code by ``studyrnn.store.migrate`` (no alembic.ini)."""
