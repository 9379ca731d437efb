"""Looking cards up: search (Browse), one card's schedule, and one card's review history.

Read-only queries that turn store rows into the plain values of ``studyrnn.values``. Part of the
engine facade (``studyrnn.engine.study``); takes the caller's ``Session``.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from studyrnn.store.codec import card_from_json
from studyrnn.store.models import STATE_NAMES, CardRow, Review
from studyrnn.values import CardInfo, Rating, ReviewRow, Source


def search(
    session: Session, text: str, *, tag: str | None, deck_id: int | None, limit: int
) -> list[CardInfo]:
    """Cards whose question, answer or key contains ``text`` (any case), with ``tag``, in the
    deck ``deck_id`` (None: every deck), retired ones included, in the order they were added."""
    query = select(CardRow)
    if text:
        pattern = f"%{text}%"
        query = query.where(
            or_(
                CardRow.front.ilike(pattern),
                CardRow.back.ilike(pattern),
                CardRow.key.ilike(pattern),
            )
        )
    if tag:
        query = query.where(CardRow.tags.like(f"% {tag} %"))  # the column is " a b c "
    if deck_id is not None:
        query = query.where(CardRow.deck_id == deck_id)
    return [card_info(row) for row in session.scalars(query.order_by(CardRow.id).limit(limit))]


def card_info(row: CardRow) -> CardInfo:
    return CardInfo(
        card_id=row.id,
        card=card_from_json(row.content),
        state=STATE_NAMES[row.state],
        due=row.due,
        stability=row.stability,
        difficulty=row.difficulty,
        reps=row.reps,
        lapses=row.lapses,
        suspended=row.suspended,
        leech=row.leech,
        retired=row.retired,
    )


def history(session: Session, card_id: int) -> list[ReviewRow]:
    """Every answer to the card, oldest first."""
    logs = session.scalars(
        select(Review).where(Review.card_id == card_id).order_by(Review.reviewed_at, Review.id)
    )
    return [review_row(log) for log in logs]


def review_row(log: Review) -> ReviewRow:
    return ReviewRow(
        id=log.id,
        card_id=log.card_id,
        rating=Rating(log.rating),
        reviewed_at=log.reviewed_at,
        duration_ms=log.duration_ms,
        source=Source(log.source),
        state_before=STATE_NAMES[log.state_before],
        state_after=STATE_NAMES[log.state_after],
        due_before=log.due_before,
        due_after=log.due_after,
        verdict=log.verdict,
        seed=log.seed,
    )
