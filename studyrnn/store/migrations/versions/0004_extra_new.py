"""Extra new cards for a day (the allowance "study more" grants beyond the daily limit), and
an index for one deck's counts.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

A new table and a new index only; no existing row is touched. Frozen: later changes go in new
revisions. Mirrors ``ExtraNew`` and ``ix_cards_deck_queue`` in ``studyrnn/store/models.py``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

DECK_QUEUE = ["deck_id", "retired", "suspended", "state", "due", "buried_until"]


def upgrade() -> None:
    op.create_table(
        "extra_new",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("study_day", sa.Integer(), nullable=False),
        sa.Column("deck_id", sa.Integer(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["deck_id"], ["decks.id"], name=op.f("fk_extra_new_deck_id_decks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extra_new")),
    )
    op.create_index("ix_extra_new_day", "extra_new", ["study_day", "deck_id"], unique=False)
    op.create_index("ix_cards_deck_queue", "cards", DECK_QUEUE, unique=False)


def downgrade() -> None:
    op.drop_index("ix_cards_deck_queue", table_name="cards")
    op.drop_index("ix_extra_new_day", table_name="extra_new")
    op.drop_table("extra_new")
