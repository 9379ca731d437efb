"""Today's queue: which cards come today, in which order, and how many per deck.

The queue is built from three candidate lists, each one indexed query:
- learning and relearning cards that are due now (no limit: a step in progress is finished);
- review cards due before the next study day starts, oldest due first, up to what is left of
  the daily review limit;
- new cards in the order they were added, up to what is left of the daily new limit.
``schedule.queue.ordered`` then puts learning first and spreads the new cards among the
reviews. ``deck_counts`` counts the very same lists, so the numbers shown per deck are the
cards a session over all decks brings today and add up to at most the daily limits.

Part of the engine facade (``studyrnn.engine.study``); takes the caller's ``Session``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import Session

from studyrnn.decks.model import Card
from studyrnn.decks.params import draw
from studyrnn.engine.context import Context, showable
from studyrnn.schedule.queue import Limits, limits, ordered
from studyrnn.store.codec import card_from_json
from studyrnn.store.models import (
    LEARNING,
    NEW,
    RELEARNING,
    REVIEW,
    STATE_NAMES,
    CardRow,
    Deck,
    Review,
)
from studyrnn.values import DeckCounts, QueueItem, Source

# When nothing else is left today, learning cards due within this long come early rather than
# leaving the learner waiting for a 10-minute step.
LEARN_AHEAD = timedelta(minutes=20)


def draw_params(card: Card, seed: int | None) -> dict[str, object]:
    """The drawn values of a parametric card's variant, or {} when the card has none."""
    if seed is None or card.code is None or card.code.params is None:
        return {}
    return draw(card.code.params.code, seed)


def queue_item(row: CardRow) -> QueueItem:
    """The card as the review screen shows it, with its variant drawn when it is parametric
    (the seed stays the same until the card is answered)."""
    card = card_from_json(row.content)
    seed = row.pending_seed if card.is_parametric else None
    return QueueItem(
        card_id=row.id,
        card=card,
        state=STATE_NAMES[row.state],
        due=row.due,
        seed=seed,
        params=draw_params(card, seed),
    )


def limits_left(session: Session, context: Context, now: datetime) -> Limits:
    """What is left of today's new and review limits. Every answer today to a card that was
    new (or in review) counts, recall included; cram answers do not."""
    done = dict(
        session.execute(
            select(Review.state_before, func.count())
            .where(Review.study_day == context.today(now).toordinal())
            .where(Review.source != Source.CRAM.value)
            .where(Review.state_before.in_((NEW, REVIEW)))
            .group_by(Review.state_before)
        ).all()
    )
    settings = context.settings
    return limits(
        settings.new_per_day, settings.reviews_per_day, done.get(NEW, 0), done.get(REVIEW, 0)
    )


# The three candidate lists, as conditions and orders shared by the queue and the counts.
def _learning_due(now: datetime) -> Any:
    return showable(now) & CardRow.state.in_((LEARNING, RELEARNING)) & (CardRow.due <= now)


def _reviews_due(context: Context, now: datetime) -> Any:
    return showable(now) & (CardRow.state == REVIEW) & (CardRow.due < context.tomorrow_starts(now))


def _new(now: datetime) -> Any:
    return showable(now) & (CardRow.state == NEW)


_DUE_ORDER = (CardRow.due, CardRow.id)
_NEW_ORDER = (CardRow.id,)

# Where each count goes in ``deck_counts``' per-deck list.
_NEW_SLOT, _LEARNING_SLOT, _REVIEW_SLOT, _TOTAL_SLOT = 0, 1, 2, 3


def queue_ids(
    session: Session,
    context: Context,
    now: datetime,
    deck_id: int | None,
    *,
    first_only: bool = False,
) -> list[int]:
    """Today's queue as card ids, in order; ``first_only`` stops at the first card (what
    ``next_card`` needs, and cheaper)."""

    def ids(condition: Any, order: Sequence[Any], limit: int | None = None) -> list[int]:
        query: Select[int] = select(CardRow.id).where(condition).order_by(*order)
        if deck_id is not None:
            query = query.where(CardRow.deck_id == deck_id)
        if limit is not None:
            query = query.limit(limit)
        return list(session.scalars(query))

    learning = ids(_learning_due(now), _DUE_ORDER, 1 if first_only else None)
    if first_only and learning:
        return learning
    left = limits_left(session, context, now)
    reviews = ids(_reviews_due(context, now), _DUE_ORDER, left.reviews_left)
    news = ids(_new(now), _NEW_ORDER, left.new_left)
    queue = ordered(learning, reviews, news)
    if not queue:
        soon = showable(now) & CardRow.state.in_((LEARNING, RELEARNING))
        queue = ids(soon & (CardRow.due <= now + LEARN_AHEAD), _DUE_ORDER)
    return queue[:1] if first_only else queue


def cram_ids(
    session: Session, context: Context, now: datetime, deck_id: int | None, *, first_only: bool
) -> list[int]:
    """Cram: every card that has been studied before, soonest due first, each once a day
    (a card crammed today does not come back in cram until tomorrow)."""
    crammed_today = (
        select(Review.id)
        .where(Review.card_id == CardRow.id, Review.source == Source.CRAM.value)
        .where(Review.reviewed_at >= context.day.start(context.today(now)))
        .exists()
    )
    query = (
        select(CardRow.id)
        .where(CardRow.retired == false(), CardRow.suspended == false())
        .where(CardRow.state != NEW, ~crammed_today)
        .order_by(*_DUE_ORDER)
    )
    if deck_id is not None:
        query = query.where(CardRow.deck_id == deck_id)
    return list(session.scalars(query.limit(1) if first_only else query))


def deck_counts(session: Session, context: Context, now: datetime) -> list[DeckCounts]:
    """Per deck and per section (section "" is the whole deck): the new, learning and review
    cards that studying that deck or section alone would bring today, and its card total.

    Each row is capped by what is left of the daily limits, as Anki's deck list is: the limits
    are shared by all decks, so the rows can add up to more than the limit, and
    ``total_counts`` gives the numbers for all decks together.
    """
    left = limits_left(session, context, now)
    names = dict(session.execute(select(Deck.id, Deck.name)).all())
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])

    def add(deck_id: int, section: str, slot: int, n: int) -> None:
        for key in {(names[deck_id], ""), (names[deck_id], section)}:
            counts[key][slot] += n

    place = (CardRow.deck_id, CardRow.section)
    counted = (
        (CardRow.retired == false(), _TOTAL_SLOT),
        (_learning_due(now), _LEARNING_SLOT),
        (_reviews_due(context, now), _REVIEW_SLOT),
        (_new(now), _NEW_SLOT),
    )
    for condition, slot in counted:
        for deck_id, section, n in session.execute(
            select(*place, func.count()).where(condition).group_by(*place)
        ):
            add(deck_id, section, slot, n)
    for row in counts.values():
        row[_NEW_SLOT] = min(row[_NEW_SLOT], left.new_left)
        row[_REVIEW_SLOT] = min(row[_REVIEW_SLOT], left.reviews_left)
    order = book_order(session, names)
    return [
        DeckCounts(deck=deck, section=section, new=new, learning=learning, review=review, total=n)
        for (deck, section), (new, learning, review, n) in sorted(
            counts.items(), key=lambda kv: (kv[0][0].casefold(), order.get(kv[0], 0))
        )
    ]


def book_order(session: Session, names: dict[int, str]) -> dict[tuple[str, str], int]:
    """Each section's place in its deck: where its first card comes in the deck's files, so
    sections list as the book has them, not alphabetically. The whole deck ("") comes first."""
    first: dict[tuple[str, str], tuple[str, int]] = {}
    columns = (CardRow.deck_id, CardRow.section, CardRow.path, CardRow.position)
    for deck_id, section, path, position in session.execute(
        select(*columns).where(CardRow.retired == false())
    ):
        key, here = (names[deck_id], section), (path, position)
        if key not in first or here < first[key]:
            first[key] = here
    places = {key: i + 1 for i, key in enumerate(sorted(first, key=first.__getitem__))}
    places.update({(name, ""): 0 for name in names.values()})
    return places


def total_counts(session: Session, context: Context, now: datetime) -> DeckCounts:
    """The new, learning and review cards today's queue over all decks brings."""
    left = limits_left(session, context, now)

    def count(condition: Any) -> int:
        return int(session.execute(select(func.count()).where(condition)).scalar_one())

    return DeckCounts(
        deck="",
        section="",
        new=min(count(_new(now)), left.new_left),
        learning=count(_learning_due(now)),
        review=min(count(_reviews_due(context, now)), left.reviews_left),
        total=count(CardRow.retired == false()),
    )
