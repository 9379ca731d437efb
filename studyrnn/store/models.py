"""The engine's tables: decks, deck files, cards with their schedule, the review log, settings,
fitted FSRS parameters, and the extra new cards "study more" granted for a day.

Card state lives in real, indexed columns (not a JSON blob) so that the queue is built with plain
indexed queries. The review log is append-only; the only deletion is undo of the last answer,
which is why each row keeps ``prior`` (a JSON snapshot of everything the answer changed).
This module may import only SQLAlchemy and ``store.base``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from studyrnn.store.base import Base, UTCDateTime

# Card states, as stored. fsrs numbers Learning 1, Review 2, Relearning 3; 0 is ours for "new".
NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3
STATE_NAMES = {NEW: "new", LEARNING: "learning", REVIEW: "review", RELEARNING: "relearning"}


class Deck(Base):
    __tablename__ = "decks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class DeckFile(Base):
    """One synced markdown file: its digest lets sync skip a file whose bytes are unchanged, and
    its problems (JSON) are returned again on such a sync without parsing the file."""

    __tablename__ = "deck_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(String(1000), unique=True)
    digest: Mapped[str] = mapped_column(String(64))
    problems: Mapped[str] = mapped_column(Text, default="[]")
    cards: Mapped[int] = mapped_column(Integer, default=0)  # synced from it, for "unchanged"
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CardRow(Base):
    """A card and its schedule. ``content`` is the parsed card as JSON (see ``store.codec``);
    the searchable fields are also columns."""

    __tablename__ = "cards"
    __table_args__ = (
        # The queue's indexes, named in the queries as SQLite hints (see ``QUEUE_INDEX``):
        # due learning and review cards, with buried_until so no row is read to filter them,
        Index("ix_cards_queue", "retired", "suspended", "state", "due", "buried_until"),
        # and new cards in the order they were added;
        Index("ix_cards_new", "retired", "suspended", "state", "id"),
        # one deck's counts (the review header's, each answer), read without a row.
        Index(
            "ix_cards_deck_queue", "deck_id", "retired", "suspended", "state", "due", "buried_until"
        ),
        Index("ix_cards_leech", "leech", "retired"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(500), unique=True)
    note_key: Mapped[str] = mapped_column(String(500), index=True)
    explicit_id: Mapped[str | None] = mapped_column(String(200))
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id"), index=True)
    section: Mapped[str] = mapped_column(String(500), default="")
    kind: Mapped[str] = mapped_column(String(20))
    front: Mapped[str] = mapped_column(Text)
    back: Mapped[str] = mapped_column(Text)
    tags: Mapped[str] = mapped_column(String(1000), default="")  # " a b c " for LIKE '% a %'
    path: Mapped[str] = mapped_column(String(1000), index=True)
    line: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)  # global order new cards come in
    content: Mapped[str] = mapped_column(Text)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    leech: Mapped[bool] = mapped_column(Boolean, default=False)

    state: Mapped[int] = mapped_column(Integer, default=NEW)
    step: Mapped[int | None] = mapped_column(Integer)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reps: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    buried_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pending_seed: Mapped[int | None] = mapped_column(Integer)


class Review(Base):
    """One answer. ``prior`` is the JSON snapshot undo restores (the card's schedule fields and
    the siblings this answer buried). ``first_of_day`` marks the first answer to the card in
    its study day (cram answers never are): true retention counts only those, and a flag set
    when the answer is written keeps that a plain indexed count over a year of history."""

    __tablename__ = "reviews"
    __table_args__ = (
        Index("ix_reviews_card_time", "card_id", "reviewed_at"),
        # covers the statistics: per-day counts and retention without reading the rows
        Index(
            "ix_reviews_day",
            "study_day",
            "card_id",
            "state_before",
            "source",
            "rating",
            "first_of_day",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"))
    rating: Mapped[int] = mapped_column(Integer)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # the study day (local, after the cutoff) as ``date.toordinal()``, fixed when answered
    study_day: Mapped[int] = mapped_column(Integer)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(20), default="review")
    state_before: Mapped[int] = mapped_column(Integer)
    state_after: Mapped[int] = mapped_column(Integer)
    due_before: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_after: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verdict: Mapped[str | None] = mapped_column(String(20))
    seed: Mapped[int | None] = mapped_column(Integer)
    prior: Mapped[str | None] = mapped_column(Text)
    first_of_day: Mapped[bool] = mapped_column(Boolean, default=False)


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON


class ExtraNew(Base):
    """Extra new cards "study more" allowed on one study day, beyond the shared daily limit:
    for one deck, or (``deck_id`` None) for all decks, which raises the shared limit that day.
    One row per day and deck; a second grant adds to it."""

    __tablename__ = "extra_new"
    __table_args__ = (Index("ix_extra_new_day", "study_day", "deck_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    study_day: Mapped[int] = mapped_column(Integer)  # ``date.toordinal()``, as in reviews
    deck_id: Mapped[int | None] = mapped_column(ForeignKey("decks.id"))
    count: Mapped[int] = mapped_column(Integer)


class FsrsParameters(Base):
    """A set of FSRS weights the optimizer kept; the newest row is the one in use."""

    __tablename__ = "fsrs_parameters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parameters: Mapped[str] = mapped_column(Text)  # JSON list of floats
    fitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    log_loss: Mapped[float | None] = mapped_column(Float)
    rmse_bins: Mapped[float | None] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(50), default="")
