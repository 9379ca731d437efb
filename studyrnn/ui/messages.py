"""The messages the app's workers send back to the event loop.

Workers never touch widgets: they compute in a thread and post one of these, and the screen
that started them updates itself in a handler. Each is a small dataclass; the value types
are imported for annotations only, so this module costs nothing at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # annotations only: importing the runner package here could be slow
    from studyrnn.runner.verdict import CheckResult
    from studyrnn.values import (
        CardInfo,
        DeckCounts,
        NewLimit,
        NextUp,
        Preview,
        QueueItem,
        ReviewRow,
        Settings,
        Stats,
        SyncReport,
    )


@dataclass
class HomeLoaded(Message):
    """The deck counts and stats for Home, with the sync report when a sync ran."""

    counts: list[DeckCounts]
    total: DeckCounts  # all decks together: the limits are shared, so not the rows' sum
    stats: Stats
    report: SyncReport | None = None
    limit: NewLimit | None = None  # all decks' new cards against the daily limit


@dataclass
class StudyMoreReady(Message):
    """The deck's limit, fetched for the Study more dialog that opens next."""

    deck: str | None
    limit: NewLimit


@dataclass
class CheckerStatus(Message):
    """The checker's warm-up moved on: ``state`` is "warming", "ready" or "failed"."""

    state: str
    detail: str = ""


@dataclass
class CardShown(Message):
    """The next card to review (None when today's queue is empty), with what it would do."""

    item: QueueItem | None
    remaining: int
    preview: Preview | None
    note: str = ""  # a one-line notice to show, e.g. "Undid: ..." or "Deck re-synced"
    answered: int = 0  # +1 after an answer, -1 after an undo: the session's progress
    up: NextUp | None = None  # today's counts, and how early or when the next card comes


@dataclass
class CheckDone(Message):
    """The checker judged the learner's answer to the card on screen."""

    card_id: int
    result: CheckResult
    attempt: int  # the screen's attempt it answers: a late result for another is dropped


@dataclass
class ExpectedShown(Message):
    """The right answer for the card's variant, computed for a learner who gave up."""

    card_id: int
    expected: str
    attempt: int  # as for CheckDone


@dataclass
class SearchDone(Message):
    """Browse's search results, for the query that produced them."""

    query: str
    cards: list[CardInfo]
    total: int = 0  # how many matched in all; ``cards`` stops at Browse's limit
    decks: tuple[str, ...] = ()  # the decks a ``deck:`` filter matched


@dataclass
class CardDetailLoaded(Message):
    """A card's state and full review history, for the detail screen."""

    info: CardInfo
    history: list[ReviewRow]
    variants: list[tuple[int, dict[str, object]]] = field(default_factory=list)


@dataclass
class StatsLoaded(Message):
    """The numbers the Stats screen plots."""

    stats: Stats


@dataclass
class SettingsLoaded(Message):
    """The stored settings, for the Settings form."""

    settings: Settings
