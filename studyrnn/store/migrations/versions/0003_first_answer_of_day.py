"""Reviews: the ``first_of_day`` flag, set on the first answer to a card in its study day.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29

True retention counts only those answers; before this revision they were found by grouping the
log by day and card, which took most of a second over a year of a large log. Existing rows are
marked here with the same rule the engine now applies when it writes an answer: the smallest
id among the card's answers of that study day, cram answers left out.

Frozen: later changes go in new revisions. Mirrors ``studyrnn/store/models.py``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

OLD_DAY_INDEX = ["study_day", "card_id", "state_before", "source", "rating"]

# One pass: the first ids are collected once (not looked up row by row, which took 40 s on a
# log of a million reviews), and cram answers are never among them.
MARK_FIRST_ANSWERS = """
UPDATE reviews SET first_of_day = (
    reviews.id IN (
        SELECT min(id) FROM reviews WHERE source != 'cram' GROUP BY study_day, card_id
    )
)
"""


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN (SQLite has it), not a batch copy of the whole table.
    op.add_column(
        "reviews",
        sa.Column("first_of_day", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.execute(MARK_FIRST_ANSWERS)
    op.drop_index("ix_reviews_day", table_name="reviews")
    op.create_index("ix_reviews_day", "reviews", [*OLD_DAY_INDEX, "first_of_day"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_reviews_day", table_name="reviews")
    op.create_index("ix_reviews_day", "reviews", OLD_DAY_INDEX, unique=False)
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_column("first_of_day")
