"""Schedules brought from another tool, written onto cards the decks already synced.

A carried schedule makes a new card a review card: its memory state, its last review day and
its due day, so it comes up when the other tool would have shown it. No review row is
written: the source did not record the answers, and the log holds only answers given (the
optimizer and the statistics read it). A card that already has a schedule or answers in the
store is left as it is: the store's own history wins over an old copy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyrnn.store.chunks import chunked, rows_by_key
from studyrnn.store.models import NEW, REVIEW, Review


@dataclass(frozen=True, slots=True)
class Carried:
    """A review card's schedule."""

    stability: float
    difficulty: float
    due: datetime  # aware UTC: the start of the study day it is due
    last_review: datetime  # aware UTC
    reps: int = 0  # answers the source counted (0: it did not say)
    lapses: int = 0


@dataclass(frozen=True, slots=True)
class CarryReport:
    carried: int
    scheduled: int  # left alone: already scheduled or answered in the store
    missing: int  # no card with that key in the store


def carry(session: Session, schedules: Mapping[str, Carried]) -> CarryReport:
    """Give each keyed card its schedule, in the caller's transaction."""
    rows = rows_by_key(session, list(schedules))
    ids = [row.id for row in rows.values()]
    answered: set[int] = set()
    for chunk_ids in chunked(ids):
        answered.update(
            session.scalars(select(Review.card_id).where(Review.card_id.in_(chunk_ids)).distinct())
        )
    carried = scheduled = missing = 0
    for key, schedule in schedules.items():
        row = rows.get(key)
        if row is None:
            missing += 1
        elif row.state != NEW or row.id in answered:
            scheduled += 1
        else:
            row.state, row.step = REVIEW, None
            row.stability, row.difficulty = schedule.stability, schedule.difficulty
            row.due, row.last_review = schedule.due, schedule.last_review
            row.reps, row.lapses = schedule.reps, schedule.lapses
            carried += 1
    session.flush()
    return CarryReport(carried, scheduled, missing)
