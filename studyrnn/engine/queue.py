"""Today's queue and today's counts: which cards come today, in which order, and how many.

One set of numbers. ``counts`` gives Anki's three counts for a deck (or all decks), and the
queue is built from the very same candidate lists, so the review header, Home's deck tree,
``studyrnn due`` and ``studyrnn stats`` show the same numbers, and they only go down as the
learner answers (apart from a card that moves to the learning count: a new card answered Good
on its 10-minute step leaves "new" and joins "lrn", as in Anki).

- learning: learning and relearning cards due before the next study day starts, those whose
  step is not over yet included. Anki counts only the steps due within its learn-ahead limit
  (20 minutes); counting the whole day keeps the number from jumping when a step comes
  within 20 minutes, and a session waits for such a card rather than ending without it.
- review: review cards due before the next study day starts, oldest due first, up to what is
  left of the daily review limit;
- new: new cards in the order they were added, up to what is left of the daily new limit,
  which all decks share, plus the extra new cards "study more" granted for the deck today.

The order (``next_up``): learning cards that are due now, then the reviews with the new cards
spread among them (``schedule.queue.ordered``). When nothing else is left, a learning card due
within ``LEARN_AHEAD`` comes early (Anki's learn-ahead limit) and the screen says how early; a
learning card due later than that makes the session wait for it.

Part of the engine facade (``studyrnn.engine.study``); takes the caller's ``Session``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import Session

from studyrnn.decks.model import Card
from studyrnn.decks.params import draw
from studyrnn.engine.context import Context, present, showable
from studyrnn.schedule.queue import ordered
from studyrnn.store.codec import card_from_json
from studyrnn.store.models import (
    LEARNING,
    NEW,
    RELEARNING,
    REVIEW,
    STATE_NAMES,
    CardRow,
    Deck,
    ExtraNew,
    Review,
)
from studyrnn.values import DeckCounts, NewLimit, NextUp, QueueItem, Source

# When nothing else is left today, learning cards due within this long come early rather than
# leaving the learner waiting for a 10-minute step (Anki's default learn-ahead limit).
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


# --- the daily limits ---------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Allowance:
    """What is left today of the daily limits.

    New cards of a deck with extra cards granted today count against those first, then
    against the shared limit; so a grant is "N more for this deck" whatever order the learner
    studies in, and never takes from the other decks' share.
    """

    per_day: int  # the shared new-card limit in the settings
    pool: int  # the shared limit today: per_day plus extra granted for all decks
    pool_done: int  # new cards counted against the shared limit today
    reviews_left: int
    extra: Mapping[int, int] = field(default_factory=dict)  # deck id -> extra granted today
    extra_done: Mapping[int, int] = field(default_factory=dict)  # deck id -> of those, studied

    @property
    def pool_left(self) -> int:
        return max(0, self.pool - self.pool_done)

    def extra_left(self, deck_id: int) -> int:
        return self.extra.get(deck_id, 0) - self.extra_done.get(deck_id, 0)

    def new_cap(self, deck_id: int) -> int:
        """How many more new cards studying this deck may bring today."""
        return self.pool_left + self.extra_left(deck_id)

    def new_for_all(self, available: int, in_granted: Mapping[int, int]) -> int:
        """Of ``available`` new cards in all decks (``in_granted``: of those, per deck with
        extra cards left), how many come today: each deck's extra cards, then the shared
        limit over the rest."""
        extras = sum(min(n, self.extra_left(d)) for d, n in in_granted.items())
        return extras + min(available - extras, self.pool_left)

    def granted_decks(self) -> list[int]:
        """The decks with extra new cards left today."""
        return sorted(d for d in self.extra if self.extra_left(d) > 0)


def allowance(session: Session, context: Context, now: datetime) -> Allowance:
    """The limits left today. Every answer today to a card that was new (or in review)
    counts, recall included; cram answers do not."""
    day = context.today(now).toordinal()
    new_done: dict[int, int] = defaultdict(int)
    reviews_done = 0
    for deck, state, n in session.execute(
        select(CardRow.deck_id, Review.state_before, func.count())
        .join(CardRow, CardRow.id == Review.card_id)
        .where(Review.study_day == day)
        .where(Review.source != Source.CRAM.value)
        .where(Review.state_before.in_((NEW, REVIEW)))
        .group_by(CardRow.deck_id, Review.state_before)
    ):
        if state == NEW:
            new_done[deck] += n
        else:
            reviews_done += n
    granted: dict[int | None, int] = dict(
        session.execute(
            select(ExtraNew.deck_id, func.sum(ExtraNew.count))
            .where(ExtraNew.study_day == day)
            .group_by(ExtraNew.deck_id)
        ).all()
    )
    for_all = int(granted.pop(None, 0) or 0)
    extra = {int(d): int(n) for d, n in granted.items() if d is not None}
    extra_done = {d: min(new_done.get(d, 0), n) for d, n in extra.items()}
    settings = context.settings
    return Allowance(
        per_day=settings.new_per_day,
        pool=settings.new_per_day + for_all,
        pool_done=sum(new_done.values()) - sum(extra_done.values()),
        reviews_left=max(0, settings.reviews_per_day - reviews_done),
        extra=extra,
        extra_done=extra_done,
    )


def grant_extra_new(
    session: Session, context: Context, now: datetime, deck_id: int | None, count: int
) -> None:
    """Study more: ``count`` more new cards today for the deck (None: for all decks)."""
    day = context.today(now).toordinal()
    same_deck = ExtraNew.deck_id.is_(None) if deck_id is None else ExtraNew.deck_id == deck_id
    row = session.scalar(select(ExtraNew).where(ExtraNew.study_day == day, same_deck))
    if row is None:
        session.add(ExtraNew(study_day=day, deck_id=deck_id, count=count))
    else:
        row.count += count


def new_limit(left: Allowance, counts: DeckCounts, deck_id: int | None) -> NewLimit:
    """How the new cards of ``counts``' deck stand against the limits."""
    shared_done = min(left.pool_done, left.per_day)
    extra = left.pool - left.per_day
    extra_done = min(extra, left.pool_done - shared_done)
    if deck_id is not None:
        extra += left.extra.get(deck_id, 0)
        extra_done += left.extra_done.get(deck_id, 0)
    return NewLimit(
        left.per_day, shared_done, extra, extra_done, counts.new_waiting, allowed=counts.new
    )


# --- the candidate lists, as conditions shared by the queue and the counts -----------------
def _learning_now(context: Context, now: datetime) -> Any:
    shown = showable(now, context.decks)
    return shown & CardRow.state.in_((LEARNING, RELEARNING)) & (CardRow.due <= now)


def _learning_today(context: Context, now: datetime) -> Any:
    """Learning cards with a step due today, the ones not due yet included."""
    return (
        showable(now, context.decks)
        & CardRow.state.in_((LEARNING, RELEARNING))
        & (CardRow.due < context.tomorrow_starts(now))
    )


def _reviews_due(context: Context, now: datetime) -> Any:
    shown = showable(now, context.decks)
    return shown & (CardRow.state == REVIEW) & (CardRow.due < context.tomorrow_starts(now))


def _reviews_ahead(context: Context, now: datetime, days: int) -> Any:
    """Review cards due in the next ``days`` study days (not today's: the queue has those)."""
    until = context.day.end(context.today(now) + timedelta(days=days))
    return (
        showable(now, context.decks)
        & (CardRow.state == REVIEW)
        & (CardRow.due >= context.tomorrow_starts(now))
        & (CardRow.due < until)
    )


def _new(context: Context, now: datetime) -> Any:
    return showable(now, context.decks) & (CardRow.state == NEW)


_DUE_ORDER = (CardRow.due, CardRow.id)
_NEW_ORDER = (CardRow.id,)


def _ids(
    session: Session,
    condition: Any,
    order: Sequence[Any],
    deck_id: int | None,
    limit: int | None = None,
) -> list[int]:
    query: Select[int] = select(CardRow.id).where(condition).order_by(*order)
    if deck_id is not None:
        query = query.where(CardRow.deck_id == deck_id)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def _count(session: Session, condition: Any, deck_id: int | None) -> int:
    query = select(func.count()).select_from(CardRow).where(condition)
    if deck_id is not None:
        query = query.where(CardRow.deck_id == deck_id)
    return int(session.execute(query).scalar_one())


def _new_today(
    session: Session, context: Context, now: datetime, deck_id: int | None, left: Allowance
) -> tuple[int, int]:
    """How many new cards the deck (None: all decks) has, and how many of them come today.
    Plain counts on the new-card index: only decks with extra cards are counted apart."""
    available = _count(session, _new(context, now), deck_id)
    if deck_id is not None:
        return available, min(available, left.new_cap(deck_id))
    granted = {d: _count(session, _new(context, now), d) for d in left.granted_decks()}
    return available, left.new_for_all(available, granted)


def _new_ids(
    session: Session, context: Context, now: datetime, deck_id: int | None, left: Allowance
) -> list[int]:
    """Today's new cards, as ``Allowance.new_for`` counts them."""
    if deck_id is not None:
        return _ids(session, _new(context, now), _NEW_ORDER, deck_id, left.new_cap(deck_id))
    extras: list[int] = []
    for deck in left.granted_decks():
        extras += _ids(session, _new(context, now), _NEW_ORDER, deck, left.extra_left(deck))
    others = _new(context, now) & CardRow.id.not_in(extras)
    rest = _ids(session, others, _NEW_ORDER, None, left.pool_left)
    return sorted(extras + rest)


# --- counts -------------------------------------------------------------------------------
def _scope_counts(
    session: Session,
    context: Context,
    now: datetime,
    deck_id: int | None,
    left: Allowance,
    ahead_days: int,
) -> DeckCounts:
    available, new = _new_today(session, context, now, deck_id, left)
    if ahead_days:
        review = _count(session, _reviews_ahead(context, now, ahead_days), deck_id)
        shown_new = 0
    else:
        review = min(_count(session, _reviews_due(context, now), deck_id), left.reviews_left)
        shown_new = new
    name = ""
    if deck_id is not None:
        name = session.scalar(select(Deck.name).where(Deck.id == deck_id)) or ""
    return DeckCounts(
        deck=name,
        section="",
        new=shown_new,
        learning=_count(session, _learning_today(context, now), deck_id),
        review=review,
        total=_count(session, present(context.decks), deck_id),
        new_waiting=available - new,
    )


def counts(
    session: Session, context: Context, now: datetime, deck_id: int | None, *, ahead_days: int = 0
) -> DeckCounts:
    """The new, learning and review cards left today in the deck (None: all decks). With
    ``ahead_days``, a review-ahead session's: no new cards, and the reviews due in the next
    ``ahead_days`` study days instead of today's."""
    left = allowance(session, context, now)
    return _scope_counts(session, context, now, deck_id, left, ahead_days)


def deck_counts(session: Session, context: Context, now: datetime) -> list[DeckCounts]:
    """Per deck and per section (section "" is the whole deck): ``counts`` of each deck, in
    grouped queries, and each section's share of them (new cards capped like its deck's).

    The limits are shared by all decks, so the rows can add up to more than ``counts`` for all
    decks, as in Anki's deck list.
    """
    left = allowance(session, context, now)
    names = dict(session.execute(select(Deck.id, Deck.name)).all())
    slots: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    new_slot, learning_slot, review_slot, total_slot = 0, 1, 2, 3
    place = (CardRow.deck_id, CardRow.section)
    counted = (
        (present(context.decks), total_slot),
        (_learning_today(context, now), learning_slot),
        (_reviews_due(context, now), review_slot),
        (_new(context, now), new_slot),
    )
    for condition, slot in counted:
        for deck_id, section, n in session.execute(
            select(*place, func.count()).where(condition).group_by(*place)
        ):
            for key in {(deck_id, ""), (deck_id, section)}:
                slots[key][slot] += n
    out = []
    for (deck_id, section), (available, learning, review, total) in slots.items():
        new = min(available, left.new_cap(deck_id))
        out.append(
            DeckCounts(
                deck=names[deck_id],
                section=section,
                new=new,
                learning=learning,
                review=min(review, left.reviews_left),
                total=total,
                new_waiting=available - new,
            )
        )
    order = book_order(session, context, names)
    return sorted(out, key=lambda c: (c.deck.casefold(), order.get((c.deck, c.section), 0)))


def book_order(
    session: Session, context: Context, names: dict[int, str]
) -> dict[tuple[str, str], int]:
    """Each section's place in its deck: where its first card comes in the deck's files, so
    sections list as the book has them, not alphabetically. The whole deck ("") comes first."""
    first: dict[tuple[str, str], tuple[str, int]] = {}
    # grouped by file too: a few rows per section, however many cards it has
    columns = (CardRow.deck_id, CardRow.section, CardRow.path)
    for deck_id, section, path, position in session.execute(
        select(*columns, func.min(CardRow.position))
        .where(present(context.decks))
        .group_by(*columns)
    ):
        key, here = (names[deck_id], section), (path, position)
        if key not in first or here < first[key]:
            first[key] = here
    places = {key: i + 1 for i, key in enumerate(sorted(first, key=first.__getitem__))}
    places.update({(name, ""): 0 for name in names.values()})
    return places


# --- the queue ----------------------------------------------------------------------------
def queue_ids(
    session: Session,
    context: Context,
    now: datetime,
    deck_id: int | None,
    *,
    first_only: bool = False,
    ahead_days: int = 0,
    left: Allowance | None = None,
) -> list[int]:
    """The cards that may be shown now, as ids in order; ``first_only`` stops at the first
    (what ``next_up`` needs, and cheaper). Learning cards not yet due are not in it unless
    nothing else is left and they are due within ``LEARN_AHEAD``."""
    first = 1 if first_only else None
    learning = _ids(session, _learning_now(context, now), _DUE_ORDER, deck_id, first)
    if first_only and learning:
        return learning
    if ahead_days:
        reviews = _ids(session, _reviews_ahead(context, now, ahead_days), _DUE_ORDER, deck_id)
        news: list[int] = []
    else:
        left = left or allowance(session, context, now)
        reviews = _ids(session, _reviews_due(context, now), _DUE_ORDER, deck_id, left.reviews_left)
        news = _new_ids(session, context, now, deck_id, left)
    queue = ordered(learning, reviews, news)
    if not queue:
        soon = _learning_today(context, now) & (CardRow.due <= now + LEARN_AHEAD)
        queue = _ids(session, soon, _DUE_ORDER, deck_id)
    return queue[:1] if first_only else queue


def next_up(
    session: Session, context: Context, now: datetime, deck_id: int | None, *, ahead_days: int = 0
) -> NextUp:
    """The card to show now with today's counts; or, when none may be shown yet, when the
    next learning card comes."""
    left = allowance(session, context, now)
    today = _scope_counts(session, context, now, deck_id, left, ahead_days)
    limit = new_limit(left, today, deck_id)
    first = queue_ids(
        session, context, now, deck_id, first_only=True, ahead_days=ahead_days, left=left
    )
    if first:
        row = session.get(CardRow, first[0])
        assert row is not None
        learning = row.state in (LEARNING, RELEARNING)
        early = row.due - now if learning and row.due is not None and row.due > now else None
        return NextUp(queue_item(row), today, limit, early=early)
    if today.learning:
        soonest = select(func.min(CardRow.due)).where(_learning_today(context, now))
        if deck_id is not None:
            soonest = soonest.where(CardRow.deck_id == deck_id)
        due = session.scalar(soonest)
        if due is not None:
            return NextUp(None, today, limit, show_at=due - LEARN_AHEAD, next_due=due)
    return NextUp(None, today, limit)


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
        .where(present(context.decks), CardRow.suspended == false())
        .where(CardRow.state != NEW, ~crammed_today)
        .order_by(*_DUE_ORDER)
    )
    if deck_id is not None:
        query = query.where(CardRow.deck_id == deck_id)
    return list(session.scalars(query.limit(1) if first_only else query))
