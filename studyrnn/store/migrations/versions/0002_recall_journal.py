"""The recall journal: recall sessions and the marks given to cards while checking them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

Frozen: later changes go in new revisions. Mirrors ``studyrnn/store/recall_models.py``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UTC_DT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "recall_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("targets", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("debrief", sa.Text(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("started_at", UTC_DT, nullable=False),
        sa.Column("saved_at", UTC_DT, nullable=False),
        sa.Column("recall_ms", sa.Integer(), nullable=False),
        sa.Column("check_ms", sa.Integer(), nullable=False),
        sa.Column("finished_at", UTC_DT, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recall_sessions")),
    )
    with op.batch_alter_table("recall_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_recall_sessions_stage", ["stage"], unique=False)
    op.create_table(
        "recall_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=True),
        sa.Column("card_key", sa.String(length=500), nullable=False),
        sa.Column("deck", sa.String(length=200), nullable=False),
        sa.Column("section", sa.String(length=500), nullable=False),
        sa.Column("front", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("mark", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("suggested", sa.String(length=20), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("marked_at", UTC_DT, nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["recall_sessions.id"],
            name=op.f("fk_recall_marks_session_id_recall_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["card_id"],
            ["cards.id"],
            name=op.f("fk_recall_marks_card_id_cards"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_recall_marks_review_id_reviews"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recall_marks")),
        sa.UniqueConstraint("session_id", "card_key", name=op.f("uq_recall_marks_session_id")),
    )
    with op.batch_alter_table("recall_marks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recall_marks_session_id"), ["session_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("recall_marks")
    op.drop_table("recall_sessions")
