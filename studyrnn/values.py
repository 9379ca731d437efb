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
from pathlib import PurePath

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
    # Cards in the store whose files are not among the configured decks now (another --decks
    # folder, or the bundled decks before ./decks was made): kept with their history, and
    # hidden from the queue and the counts until their decks are configured again.
    hidden: tuple[HiddenFile, ...] = ()

    def summary(self) -> str:
        return (
            f"added {self.added}, changed {self.changed}, carried over {self.carried_over}, "
            f"retired {self.retired}, unchanged {self.unchanged}"
        )

    def hidden_note(self, bundled: str = "") -> str:
        """One line on the hidden cards, "" when there are none. ``bundled`` is the bundled
        decks' folder: when they are all that is hidden, the line says so by that name."""
        if not self.hidden:
            return ""
        cards = sum(h.cards for h in self.hidden)
        if bundled and all(PurePath(h.path).is_relative_to(bundled) for h in self.hidden):
            which = "bundled decks not configured now"
        else:
            names = ", ".join(dict.fromkeys(h.deck for h in self.hidden))
            which = f"decks not configured now ({names})"
        return (
            f"{which}: {cards} card{'s' if cards != 1 else ''} kept in the store, "
            "hidden until configured again"
        )


@dataclass(frozen=True, slots=True)
class HiddenFile:
    """A deck file whose cards are in the store but not among the configured decks."""

    deck: str
    path: str
    cards: int


@dataclass(frozen=True, slots=True)
class DeckCounts:
    """Today's counts for one deck (section "" is the whole deck), as Anki shows them: new
    cards, learning cards (every learning step due today, the ones not due yet included) and
    reviews. ``new_waiting`` is how many more new cards the daily limit holds back today."""

    deck: str
    section: str
    new: int
    learning: int
    review: int
    total: int
    new_waiting: int = 0

    @property
    def left(self) -> int:
        """Every card still to come today."""
        return self.new + self.learning + self.review

    def words(self) -> str:
        """``3 new · 1 lrn · 12 due``: the counts as every screen and command words them."""
        return f"{self.new} new · {self.learning} lrn · {self.review} due"


@dataclass(frozen=True, slots=True)
class NewLimit:
    """Where today's new cards stand against the daily limit, so a screen can say which limit
    holds cards back, and where it is set."""

    per_day: int  # the shared daily limit (Settings: new cards per day)
    done: int  # new cards counted against it today, all decks together
    extra: int  # extra new cards "study more" granted today for this deck (or all decks)
    extra_done: int  # of those, already studied
    waiting: int  # new cards of this deck the limits hold back today
    allowed: int = 0  # new cards of this deck still to come today

    @property
    def reached(self) -> bool:
        """True when the limits stop this deck's new cards for today while some are left."""
        return self.waiting > 0 and self.allowed == 0

    def explain(self) -> str:
        """One line: how many wait, which limit, how far along today, where it is set."""
        extra = f", plus {self.extra_done}/{self.extra} extra" if self.extra else ""
        cards = "card waits" if self.waiting == 1 else "cards wait"
        return (
            f"{self.waiting} new {cards} for tomorrow: the daily new-card limit is at "
            f"{self.done}/{self.per_day} today{extra}, shared by all decks (set in Settings)."
        )

    def short(self) -> str:
        """For a status line: ``new-card limit 20/20 (Settings)``."""
        return f"new-card limit {self.done}/{self.per_day} (Settings)"


@dataclass(frozen=True, slots=True)
class NextUp:
    """What the review screen shows next, and today's counts in its deck (the card on screen
    included). With no ``item``: ``show_at`` is when a learning card will come (the session
    waits for it), or None when the session is over for today."""

    item: QueueItem | None
    counts: DeckCounts
    limit: NewLimit
    early: timedelta | None = None  # a learning card shown this long before it is due
    show_at: datetime | None = None  # nothing now: a learning card comes at this moment
    next_due: datetime | None = None  # ... and is due at this one


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
class Undone:
    """What ``Study.undo`` took back (``action`` is "answer", "bury" or "suspend"), with the
    card as it is again."""

    action: str
    item: QueueItem


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
    today: DeckCounts | None = None  # today's counts over all decks, as Home shows them
