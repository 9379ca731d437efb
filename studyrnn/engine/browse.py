"""Looking cards up: search (Browse), one card's schedule, and one card's review history.

Read-only queries that turn store rows into the plain values of ``studyrnn.values``. Part of the
engine facade (``studyrnn.engine.study``); takes the caller's ``Session``.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from studyrnn.store.codec import card_from_json
from studyrnn.store.models import STATE_NAMES, CardRow, Deck, Review
from studyrnn.values import CardInfo, CardSearch, Rating, ReviewRow, Source


def search(
    session: Session, text: str, *, tag: str | None, deck_id: int | None, limit: int
) -> list[CardInfo]:
    """Cards whose question, answer or key contains ``text`` (any case), with ``tag``, in the
    deck ``deck_id`` (None: every deck), retired ones included, in the order they were added."""
    decks = None if deck_id is None else [deck_id]
    query = select(CardRow).where(*_conditions(text, tag, decks))
    return [card_info(row) for row in session.scalars(query.order_by(CardRow.id).limit(limit))]


def _conditions(text: str, tag: str | None, deck_ids: list[int] | None) -> list[Any]:
    conditions: list[Any] = []
    if text:
        pattern = f"%{text}%"
        conditions.append(
            or_(
                CardRow.front.ilike(pattern),
                CardRow.back.ilike(pattern),
                CardRow.key.ilike(pattern),
            )
        )
    if tag:
        conditions.append(CardRow.tags.like(f"% {tag} %"))  # the column is " a b c "
    if deck_ids is not None:
        conditions.append(CardRow.deck_id.in_(deck_ids))
    return conditions


def _squeezed(text: str) -> str:
    """Lower case without spaces: ``Ch 13 · RNNs`` and ``ch13`` meet as ``ch13·rnns``."""
    return "".join(text.casefold().split())


def decks_matching(session: Session, needle: str) -> list[int]:
    """The decks a Browse ``deck:`` filter means: the one with exactly that name, else every
    deck whose name or one of whose files contains it (any case, spaces ignored), so
    ``deck:ch13`` finds "Ch 13 · RNNs, LSTMs and GRUs" from its name or ``ch13-rnns.md``."""
    names = dict(session.execute(select(Deck.id, Deck.name)).all())
    exact = [deck_id for deck_id, name in names.items() if name.casefold() == needle.casefold()]
    if exact:
        return exact
    wanted = _squeezed(needle)
    found = {deck_id for deck_id, name in names.items() if wanted in _squeezed(name)}
    for deck_id, path in session.execute(select(CardRow.deck_id, CardRow.path).distinct()):
        if wanted in _squeezed(PurePath(path).name):
            found.add(deck_id)
    return sorted(found)


def find(
    session: Session, text: str, *, tag: str | None, deck: str | None, limit: int
) -> CardSearch:
    """Browse's search: the first ``limit`` matching cards, how many match in all, and, for a
    ``deck`` filter, the names of the decks it matched."""
    deck_ids = None if deck is None else decks_matching(session, deck)
    conditions = _conditions(text, tag, deck_ids)
    total = session.scalar(select(func.count()).select_from(CardRow).where(*conditions)) or 0
    query = select(CardRow).where(*conditions).order_by(CardRow.id).limit(limit)
    names: tuple[str, ...] = ()
    if deck_ids:
        names = tuple(session.scalars(select(Deck.name).where(Deck.id.in_(deck_ids))))
    return CardSearch(
        cards=tuple(card_info(row) for row in session.scalars(query)),
        total=total,
        decks=names,
    )


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
