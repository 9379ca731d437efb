"""The recall journal's tables: one row per recall session, one row per card checked in it.

A session keeps everything the learner produced (goal, the decks and sections in the order
chosen, the free-recall text, the debrief line) and its times, so the journal can show and
export it years later. A mark keeps a snapshot of the card's deck, section and front next to
the card's id, so an exported session reads the same after the deck was edited or the card
retired. ``review_id`` links a mark to the review row it became, which makes applying marks
idempotent: a resumed debrief never records a mark twice.

This module may import only SQLAlchemy and ``store.base``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from studyrnn.store.base import Base, UTCDateTime


class RecallSessionRow(Base):
    __tablename__ = "recall_sessions"
    __table_args__ = (Index("ix_recall_sessions_stage", "stage"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    goal: Mapped[str] = mapped_column(Text, default="")
    targets: Mapped[str] = mapped_column(Text, default="[]")  # JSON [[deck, section], ...]
    text: Mapped[str] = mapped_column(Text, default="")  # the free recall, markdown
    debrief: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[str] = mapped_column(String(20), default="recall")  # recall.marks.Stage
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)  # last autosave
    recall_ms: Mapped[int] = mapped_column(Integer, default=0)  # time spent writing
    check_ms: Mapped[int] = mapped_column(Integer, default=0)  # time spent checking
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RecallMarkRow(Base):
    __tablename__ = "recall_marks"
    __table_args__ = (UniqueConstraint("session_id", "card_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("recall_sessions.id", ondelete="CASCADE"), index=True
    )
    card_id: Mapped[int | None] = mapped_column(
        ForeignKey("cards.id", ondelete="SET NULL"), nullable=True
    )
    card_key: Mapped[str] = mapped_column(String(500))
    deck: Mapped[str] = mapped_column(String(200))
    section: Mapped[str] = mapped_column(String(500), default="")
    front: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)  # order on the check screen
    mark: Mapped[str] = mapped_column(String(20))  # recall.marks.Mark
    note: Mapped[str] = mapped_column(Text, default="")
    suggested: Mapped[str | None] = mapped_column(String(20))  # the pre-suggested mark, if any
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    review_id: Mapped[int | None] = mapped_column(
        ForeignKey("reviews.id", ondelete="SET NULL"), nullable=True
    )
