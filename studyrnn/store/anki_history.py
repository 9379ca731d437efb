"""Attaching an Anki review history to the cards ``studyrnn import anki`` wrote and synced.

Each imported card's answers become its review log, replayed through fsrs as
``store.history_import`` replays a CSV, so every log row has real states and the card's
stability and difficulty are what Anki computes from the same answers. A review card keeps
the due day Anki gave it (Anki's fuzz drew that day; a replay would draw another), and a card
suspended in Anki stays suspended. Rows already in the store (same card, same time) are not
added again. The cards are found by key, so the decks must be synced first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from studyrnn.store.chunks import chunked, rows_by_key
from studyrnn.store.history_import import (
    Replay,
    mark_first_answers,
    review_rows,
    set_schedule,
)
from studyrnn.store.models import REVIEW, Review
from studyrnn.values import Rating


@dataclass(frozen=True, slots=True)
class Continued:
    """One card's history and what Anki kept of its schedule."""

    answers: Sequence[tuple[Rating, datetime, int]]  # (rating, aware UTC, duration ms), in order
    due: datetime | None  # the start of a review card's due study day, as Anki scheduled it
    suspended: bool


@dataclass(frozen=True, slots=True)
class AttachReport:
    reviews: int  # log rows added
    cards: int  # cards that got them
    skipped: int  # answers already in the store
    missing: int  # keys with no card in the store (not synced)
    zone: str = ""  # the time zone whose study days the history was replayed in


def attach(
    session: Session,
    histories: Mapping[str, Continued],
    replay: Replay,
    day_of: Callable[[datetime], date],
) -> AttachReport:
    """Write each keyed card's history and schedule, in the caller's transaction."""
    by_key = rows_by_key(session, list(histories))
    have: dict[int, set[datetime]] = defaultdict(set)  # review times already in the store
    for chunk in chunked([r.id for r in by_key.values()]):
        found = session.execute(
            select(Review.card_id, Review.reviewed_at).where(Review.card_id.in_(chunk))
        )
        for card_id, when in found:
            have[card_id].add(when)
    rows: list[dict[str, object]] = []
    touched: set[int] = set()
    skipped = missing = 0
    for key, history in histories.items():
        row = by_key.get(key)
        if row is None:
            missing += 1
            continue
        row.suspended = history.suspended
        if not history.answers:
            continue
        steps = replay(row.id, [(rating, when) for rating, when, _ in history.answers])
        added, already = review_rows(row, history.answers, steps, day_of, have[row.id])
        rows += added
        skipped += already
        if added:
            touched.add(row.id)
        set_schedule(row, history.answers, steps)
        if history.due is not None and row.state == REVIEW:
            row.due = history.due
    if rows:
        session.execute(insert(Review), rows)
        mark_first_answers(session, sorted(touched))
    session.flush()
    return AttachReport(len(rows), len(touched), skipped, missing)
