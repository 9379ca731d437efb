"""The first schema: decks, deck files, cards with their schedule, the review log, settings and
fitted FSRS parameters.

Revision ID: 0001
Revises:
Create Date: 2026-11-29

Frozen: later changes go in new revisions. Datetime columns are plain ``DateTime(timezone=True)``
here; the models wrap them in ``UTCDateTime``, which only changes how values are bound and read.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

UTC_DT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "deck_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("problems", sa.Text(), nullable=False),
        sa.Column("cards", sa.Integer(), nullable=False),
        sa.Column("synced_at", UTC_DT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deck_files")),
        sa.UniqueConstraint("path", name=op.f("uq_deck_files_path")),
    )
    op.create_table(
        "decks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decks")),
        sa.UniqueConstraint("name", name=op.f("uq_decks_name")),
    )
    op.create_table(
        "fsrs_parameters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parameters", sa.Text(), nullable=False),
        sa.Column("fitted_at", UTC_DT, nullable=False),
        sa.Column("reviews", sa.Integer(), nullable=False),
        sa.Column("log_loss", sa.Float(), nullable=True),
        sa.Column("rmse_bins", sa.Float(), nullable=True),
        sa.Column("method", sa.String(length=50), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fsrs_parameters")),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "cards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=500), nullable=False),
        sa.Column("note_key", sa.String(length=500), nullable=False),
        sa.Column("explicit_id", sa.String(length=200), nullable=True),
        sa.Column("deck_id", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("front", sa.Text(), nullable=False),
        sa.Column("back", sa.Text(), nullable=False),
        sa.Column("tags", sa.String(length=1000), nullable=False),
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("leech", sa.Boolean(), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("stability", sa.Float(), nullable=True),
        sa.Column("difficulty", sa.Float(), nullable=True),
        sa.Column("due", UTC_DT, nullable=True),
        sa.Column("last_review", UTC_DT, nullable=True),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
        sa.Column("suspended", sa.Boolean(), nullable=False),
        sa.Column("buried_until", UTC_DT, nullable=True),
        sa.Column("pending_seed", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["deck_id"], ["decks.id"], name=op.f("fk_cards_deck_id_decks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cards")),
        sa.UniqueConstraint("key", name=op.f("uq_cards_key")),
    )
    with op.batch_alter_table("cards", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cards_deck_id"), ["deck_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cards_due"), ["due"], unique=False)
        batch_op.create_index("ix_cards_leech", ["leech", "retired"], unique=False)
        batch_op.create_index("ix_cards_new", ["retired", "suspended", "state", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cards_note_key"), ["note_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_cards_path"), ["path"], unique=False)
        batch_op.create_index(
            "ix_cards_queue",
            ["retired", "suspended", "state", "due", "buried_until"],
            unique=False,
        )
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", UTC_DT, nullable=False),
        sa.Column("study_day", sa.Integer(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("state_before", sa.Integer(), nullable=False),
        sa.Column("state_after", sa.Integer(), nullable=False),
        sa.Column("due_before", UTC_DT, nullable=True),
        sa.Column("due_after", UTC_DT, nullable=True),
        sa.Column("verdict", sa.String(length=20), nullable=True),
        sa.Column("seed", sa.Integer(), nullable=True),
        sa.Column("prior", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["card_id"], ["cards.id"], name=op.f("fk_reviews_card_id_cards")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.create_index("ix_reviews_card_time", ["card_id", "reviewed_at"], unique=False)
        batch_op.create_index(
            "ix_reviews_day",
            ["study_day", "card_id", "state_before", "source", "rating"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_reviews_reviewed_at"), ["reviewed_at"], unique=False)


def downgrade() -> None:
    op.drop_table("reviews")
    op.drop_table("cards")
    op.drop_table("settings")
    op.drop_table("fsrs_parameters")
    op.drop_table("decks")
    op.drop_table("deck_files")
