"""What the recall screens share while one session runs: the journal, the session, and the
cards to check with their suggestions. Plus the messages their workers post.

The flow is created by ``RecallStartScreen`` and handed to each stage screen (write, check,
debrief), so the stages never re-read what the previous one already knew. Its methods block
(store and engine calls) and are called from worker threads, with one exception: when a stage
screen is covered or left, it saves what the learner typed (text, time, debrief line) at once
on the event loop, one short commit, so that nothing typed is lost to a worker cancelled with
its screen.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.message import Message

from studyrnn.recall.journal import CheckItem, SessionRecord, Target, plan_check
from studyrnn.recall.service import RecallJournal
from studyrnn.recall.suggest import Suggestion, suggest_all
from studyrnn.values import CardInfo, DeckCounts

if TYPE_CHECKING:
    from studyrnn.engine.study import Study
    from studyrnn.runner.verdict import CheckResult
    from studyrnn.ui.backend import Backend

ALL_CARDS = 100_000  # search's limit when listing a whole deck for the check step


class RecallFlow:
    """One recall session in progress, from goal to debrief."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self._journal: RecallJournal | None = None
        self._lock = threading.Lock()
        self.session: SessionRecord | None = None
        self.items: list[CheckItem] = []
        self.suggestions: dict[str, Suggestion] = {}
        self.finished = False

    @property
    def journal(self) -> RecallJournal:
        """The journal on the app's database, opened on first use (from a worker thread)."""
        with self._lock:
            if self._journal is None:
                self._journal = RecallJournal(self.backend.db_url, clock=self.backend.now)
            return self._journal

    def close(self) -> None:
        with self._lock:
            journal, self._journal = self._journal, None
        if journal is not None:
            journal.close()

    @property
    def session_id(self) -> int:
        assert self.session is not None, "no session started"
        return self.session.id

    def reload(self) -> SessionRecord:
        self.session = self.journal.get(self.session_id)
        return self.session

    def deck_counts(self) -> list[DeckCounts]:
        counts: list[DeckCounts] = self.backend.call(lambda s: s.deck_counts())
        return counts

    def plan(self) -> list[CheckItem]:
        """Load the chosen decks' cards and suggest a mark for each from the recall text."""
        session = self.reload()
        decks = list(dict.fromkeys(t.deck for t in session.targets))
        infos: list[CardInfo] = []
        for deck in decks:
            infos += self.backend.call(partial(_whole_deck, deck=deck))
        self.items = plan_check(session.targets, infos)
        pairs = [(item.info.card.front, item.info.card.back) for item in self.items]
        suggestions = suggest_all(session.text, pairs)
        self.suggestions = {
            item.key: sug for item, sug in zip(self.items, suggestions, strict=True)
        }
        return self.items


def _whole_deck(study: Study, deck: str) -> list[CardInfo]:
    return study.search(deck=deck, limit=ALL_CARDS)


def target_choices(counts: list[DeckCounts]) -> list[tuple[Target, int]]:
    """Every deck, then its sections, with their card counts, for the picker."""
    out: list[tuple[Target, int]] = []
    for c in counts:
        out.append((Target(c.deck, c.section), c.total))
    return out


@dataclass
class RecallLoaded(Message):
    """The picker's decks and sections, and the interrupted session to offer, if any."""

    choices: list[tuple[Target, int]]
    open_session: SessionRecord | None


@dataclass
class RecallReady(Message):
    """A session is started or resumed, and (for the check step) its cards are planned."""

    session: SessionRecord


@dataclass
class RecallSaved(Message):
    """An autosave finished; ``at`` is shown as "saved 12:03:04"."""

    at: str


@dataclass
class RecallRunDone(Message):
    """A code card was run from the check step."""

    card_key: str
    result: CheckResult


@dataclass
class RecallFinished(Message):
    """The debrief was saved and the marks recorded as reviews."""

    reviews: int
