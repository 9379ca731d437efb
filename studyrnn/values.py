"""The values the engine facade (``studyrnn.engine.study.Study``) hands to its callers (the CLI,
the plain review and the Textual app), and that the lower layers (``store``, ``schedule``) share
with it. It sits just above ``decks`` and below every layer that uses it, so that ``store`` and
``schedule`` never import the engine. Plain frozen dataclasses: they cross thread boundaries (the
app calls the engine from worker threads) and must never carry a live ORM object or session.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from studyrnn.decks.model import Card, Problem


class Rating(enum.IntEnum):
    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


class Source(enum.StrEnum):
    REVIEW = "review"
    RECALL = "recall"
    CRAM = "cram"


@dataclass(frozen=True, slots=True)
class SyncReport:
    added: int
    changed: int
    carried_over: int
    retired: int
    unchanged: int
    problems: tuple[Problem, ...] = ()

    def summary(self) -> str:
        return (
            f"added {self.added}, changed {self.changed}, carried over {self.carried_over}, "
            f"retired {self.retired}, unchanged {self.unchanged}"
        )


@dataclass(frozen=True, slots=True)
class DeckCounts:
    """Today's counts for one deck (section "" is the whole deck)."""

    deck: str
    section: str
    new: int
    learning: int
    review: int
    total: int


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One card to show now. ``seed`` is the variant seed of a parametric card (stable until the
    card is answered, so a learner who comes back sees the same variant)."""

    card_id: int  # the store's id of the card
    card: Card
    state: str  # "new", "learning", "review", "relearning"
    due: datetime | None
    seed: int | None = None
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Preview:
    """What each answer would do to a card, as shown on the buttons."""

    intervals: dict[Rating, timedelta]

    def label(self, rating: Rating) -> str:
        return format_interval(self.intervals[rating])


def format_interval(delta: timedelta) -> str:
    """Anki-like short form: 1m, 10m, 3h, 4d, 2.1mo, 1.3y."""
    seconds = delta.total_seconds()
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One row of the append-only review log, as shown in a card's history."""

    id: int
    card_id: int
    rating: Rating
    reviewed_at: datetime
    duration_ms: int
    source: Source
    state_before: str
    state_after: str
    due_before: datetime | None
    due_after: datetime | None
    verdict: str | None = None
    seed: int | None = None


@dataclass(frozen=True, slots=True)
class CardInfo:
    """A card as Browse shows it."""

    card_id: int
    card: Card
    state: str
    due: datetime | None
    stability: float | None
    difficulty: float | None
    reps: int
    lapses: int
    suspended: bool
    leech: bool
    retired: bool


@dataclass(frozen=True, slots=True)
class CardSearch:
    """One Browse search: the cards shown (up to a limit), how many matched in all, and the
    decks a ``deck:`` filter matched (empty: no filter, or no deck matched)."""

    cards: tuple[CardInfo, ...]
    total: int
    decks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Settings:
    desired_retention: float = 0.90
    new_per_day: int = 20
    reviews_per_day: int = 200
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    day_cutoff_hour: int = 4
    device: str = "auto"
    theme: str = "textual-dark"


@dataclass(frozen=True, slots=True)
class Stats:
    reviews_today: int
    streak_days: int
    true_retention_30d: float | None  # None when there were no reviews to measure
    forecast: tuple[tuple[date, int], ...]  # the next 30 study days, due count each
    leeches: int
    reviews_per_day: tuple[tuple[date, int], ...]  # the last weeks, for the heatmap
    retention_by_month: tuple[tuple[str, float], ...]  # ("2026-11", 0.91)
    button_mix: dict[Rating, int]
