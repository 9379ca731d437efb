"""The engine facade: the one object the CLI, the plain review and the app talk to.

``Study`` owns the store (an engine and its session factories) and the clock, and exposes the
study operations as plain method calls that take and return the frozen values of
``studyrnn.values``. Every method opens its own short transaction and commits before it
returns, so it is safe to call from Textual worker threads, one call at a time per thread.
Writes take the database's write lock first (see ``store.engine``), so two processes on one
SQLite file queue up instead of failing.

The work itself lives in one module per concept, each taking the session ``Study`` opened:

- ``engine.context``: settings, FSRS configuration and study day; card and deck lookups;
- ``engine.queue``: today's queue, its limits, and the per-deck counts;
- ``engine.answers``: answering (with sibling burying and leeches) and undo;
- ``engine.browse``: search, card details, review history;
- ``engine.parameters``: importing a review history and fitting FSRS parameters;
- ``store.sync`` and ``store.stats``: deck sync and statistics.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from sqlalchemy.orm import Session

from studyrnn.decks.model import DeckSet
from studyrnn.engine import answers, browse, parameters
from studyrnn.engine import queue as todays_queue
from studyrnn.engine.context import Context, card_row, deck_id, load_context, memory
from studyrnn.engine.parameters import Optimization
from studyrnn.schedule import fsrs_step
from studyrnn.schedule.day import StudyDay
from studyrnn.store import settings as settings_store
from studyrnn.store import stats as stats_store
from studyrnn.store import sync as sync_store
from studyrnn.store.engine import Sessions
from studyrnn.store.history_import import ImportReport
from studyrnn.store.migrate import open_store
from studyrnn.values import (
    CardInfo,
    CardSearch,
    DeckCounts,
    Preview,
    QueueItem,
    Rating,
    ReviewRow,
    Settings,
    Source,
    Stats,
    SyncReport,
)

__all__ = ["Optimization", "Study"]


def _load_decks(paths: Sequence[Path]) -> DeckSet:
    # Imported here, not at the top: the parser (markdown-it and its plugins) is only needed
    # when a deck file changed, and an unchanged re-sync or a plain `studyrnn stats` skips it.
    from studyrnn.decks import parser

    return parser.load(paths)


class Study:
    def __init__(
        self,
        db_url: str,
        deck_paths: Sequence[Path],
        *,
        clock: Callable[[], datetime] | None = None,
        tz: tzinfo | None = None,
        loader: Callable[[Sequence[Path]], DeckSet] | None = None,
        fuzz: bool = True,
    ) -> None:
        """Open (create, migrate) the store. ``clock`` returns aware UTC now; tests fix it.
        ``tz`` is the time zone of the study day (None: the machine's); ``loader`` parses
        deck files (None: ``studyrnn.decks.parser.load``). ``fuzz=False`` rounds review
        intervals instead of fuzzing them: only for replaying reference schedules."""
        self.db_url = db_url
        self.deck_paths = [Path(p) for p in deck_paths]
        self._clock = clock or (lambda: datetime.now(UTC))
        self._tz = tz
        self._fuzz = fuzz
        self._load = loader or _load_decks
        self.engine = open_store(db_url)
        self.sessions = Sessions(self.engine)
        self._undo: list[int] = []  # review ids this Study wrote, newest last
        self._undo_lock = threading.Lock()

    def close(self) -> None:
        self.engine.dispose()

    def now(self) -> datetime:
        moment = self._clock()
        if moment.tzinfo is None:
            raise ValueError("the clock must return an aware datetime")
        return moment.astimezone(UTC)

    def study_day(self) -> StudyDay:
        with self.sessions.read() as session:
            return self._context(session).day

    def _context(self, session: Session) -> Context:
        return load_context(session, self._tz, fuzz=self._fuzz)

    # --- decks -------------------------------------------------------------------------
    def sync(self, paths: Sequence[Path] | None = None) -> SyncReport:
        """Parse the decks (unchanged files are skipped) and reconcile them with the store."""
        targets = [Path(p) for p in paths] if paths else self.deck_paths
        with self.sessions.write() as session:
            return sync_store.sync(session, targets, self.now(), self._load)

    def deck_counts(self) -> list[DeckCounts]:
        """Per deck and per section: the new, learning and review cards studying it alone
        would bring today (capped by the daily limits), and each one's card total."""
        now = self.now()
        with self.sessions.read() as session:
            return todays_queue.deck_counts(session, self._context(session), now)

    def total_counts(self) -> DeckCounts:
        """The same for all decks together (``deck`` is "")."""
        now = self.now()
        with self.sessions.read() as session:
            return todays_queue.total_counts(session, self._context(session), now)

    # --- the queue ---------------------------------------------------------------------
    def _queue_ids(
        self, session: Session, deck: str | None, cram: bool, first_only: bool
    ) -> list[int]:
        now, context, scope = self.now(), self._context(session), deck_id(session, deck)
        if cram:
            return todays_queue.cram_ids(session, context, now, scope, first_only=first_only)
        return todays_queue.queue_ids(session, context, now, scope, first_only=first_only)

    def queue(self, deck: str | None = None, *, cram: bool = False) -> list[int]:
        """Today's queue, as card ids in the order they will come."""
        with self.sessions.read() as session:
            return self._queue_ids(session, deck, cram, first_only=False)

    def next_card(self, deck: str | None = None, *, cram: bool = False) -> QueueItem | None:
        """The next card of today's queue (learning due, then reviews, new interleaved)."""
        with self.sessions.read() as session:
            ids = self._queue_ids(session, deck, cram, first_only=True)
            return todays_queue.queue_item(card_row(session, ids[0])) if ids else None

    def queue_size(self, deck: str | None = None, *, cram: bool = False) -> int:
        """How many cards are left in today's queue, for the progress bar."""
        return len(self.queue(deck, cram=cram))

    def preview(self, card_id: int) -> Preview:
        """The interval each rating would give, exactly as ``answer`` would apply it."""
        now = self.now()
        with self.sessions.read() as session:
            config = self._context(session).config
            row = card_row(session, card_id)
            return Preview(fsrs_step.preview(config, row.id, row.reps, memory(row), now))

    # --- answering ---------------------------------------------------------------------
    def answer(
        self,
        card_id: int,
        rating: Rating,
        *,
        duration_ms: int,
        source: Source = Source.REVIEW,
        verdict: str | None = None,
        seed: int | None = None,
    ) -> ReviewRow:
        """Schedule the card, append the log row, commit. Committed before it returns.
        With ``source=Source.RECALL`` the card is also buried until the next study day, and
        with ``Source.CRAM`` its schedule is left alone (see ``engine.answers``)."""
        now = self.now()
        with self.sessions.write() as session:
            log = answers.record(
                session,
                self._context(session),
                card_row(session, card_id),
                Rating(rating),
                now,
                duration_ms=duration_ms,
                source=Source(source),
                verdict=verdict,
                seed=seed,
            )
            result = browse.review_row(log)
        with self._undo_lock:
            self._undo.append(result.id)
        return result

    def undo(self) -> QueueItem | None:
        """Undo the last answer: restore the exact previous state, delete its log row."""
        with self._undo_lock:
            if not self._undo:
                return None
            review_id = self._undo.pop()
        with self.sessions.write() as session:
            row = answers.take_back(session, review_id)
            return todays_queue.queue_item(row) if row is not None else None

    def can_undo(self) -> bool:
        with self._undo_lock:
            return bool(self._undo)

    def suspend(self, card_id: int, suspended: bool = True) -> None:
        with self.sessions.write() as session:
            card_row(session, card_id).suspended = suspended

    def bury(self, card_id: int) -> None:
        """Hide the card until the next study day."""
        now = self.now()
        with self.sessions.write() as session:
            until = self._context(session).tomorrow_starts(now)
            card_row(session, card_id).buried_until = until

    # --- browse, history, stats, settings ------------------------------------------------
    def search(
        self, text: str = "", *, tag: str | None = None, deck: str | None = None, limit: int = 200
    ) -> list[CardInfo]:
        with self.sessions.read() as session:
            scope = deck_id(session, deck)
            return browse.search(session, text, tag=tag, deck_id=scope, limit=limit)

    def find(
        self, text: str = "", *, tag: str | None = None, deck: str | None = None, limit: int = 200
    ) -> CardSearch:
        """Browse's search: ``deck`` matches a deck by part of its name or file name."""
        with self.sessions.read() as session:
            return browse.find(session, text, tag=tag, deck=deck, limit=limit)

    def card_info(self, card_id: int) -> CardInfo:
        with self.sessions.read() as session:
            return browse.card_info(card_row(session, card_id))

    def history(self, card_id: int) -> list[ReviewRow]:
        with self.sessions.read() as session:
            card_row(session, card_id)  # an unknown id is an error, not an empty history
            return browse.history(session, card_id)

    def stats(self, *, history: bool = True) -> Stats:
        """Statistics; ``history=False`` skips the heatmap and retention by month (the
        ``studyrnn stats`` command does not print them)."""
        now = self.now()
        with self.sessions.read() as session:
            day = self._context(session).day
            return stats_store.compute(session, day, now, history=history)

    def settings(self) -> Settings:
        with self.sessions.read() as session:
            return settings_store.load(session)

    def save_settings(self, settings: Settings) -> None:
        with self.sessions.write() as session:
            settings_store.save(session, settings)

    # --- review history and FSRS parameters ----------------------------------------------
    def import_reviews(self, path: Path, *, tz: tzinfo | None = None) -> ImportReport:
        """Load a review history CSV (see ``store.history_import``), replayed in the study
        days of ``tz``, the zone it was recorded in (None: this study's zone)."""
        with self.sessions.write() as session:
            context = self._context(session)
            day = StudyDay(context.day.cutoff_hour, tz if tz is not None else self._tz)
            return parameters.import_reviews(session, context, Path(path), day)

    def optimize(self, *, save: bool = True, reschedule: bool = False) -> Optimization:
        """Fit FSRS parameters to the review log; keep them only if they beat the current
        ones on the newer, held-out reviews by more than the noise of fitting. Keeping them
        recomputes every card's memory state; ``reschedule`` also moves review due dates."""
        with self.sessions.read() as session:
            context = self._context(session)
            history = parameters.answers_to_fit(session)
        result = parameters.fit(history, context)
        if not (save and result.better):
            return Optimization(result, False, len(history))
        with self.sessions.write() as session:
            recomputed = parameters.put_in_force(
                session,
                self._context(session),
                result.parameters,
                at=self.now(),
                reviews=len(history),
                score=result.fitted,
                method="fsrs-rs",
                reschedule=reschedule,
            )
        return Optimization(result, True, len(history), recomputed)

    def use_parameters(
        self, values: Sequence[float], *, reschedule: bool = False
    ) -> parameters.Recomputed:
        """Put these FSRS parameters in force (checked against the ranges fsrs accepts, float32
        noise at a bound clamped) and recompute every card's memory state from its history;
        ``reschedule`` also moves review due dates. One transaction."""
        with self.sessions.write() as session:
            return parameters.put_in_force(
                session,
                self._context(session),
                values,
                at=self.now(),
                reviews=0,
                score=None,
                method="given",
                reschedule=reschedule,
            )
