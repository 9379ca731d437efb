"""The engine facade: the one object the CLI, the plain review and the app talk to.

``Study`` owns the store (an engine and its session factories) and the clock, and exposes the
study operations as plain method calls that take and return the frozen values of
``studyrnn.values``. Every method opens its own short transaction and commits before it
returns, so it is safe to call from Textual worker threads, one call at a time per thread.
Writes take the database's write lock first (see ``store.engine``), so two processes on one
SQLite file queue up instead of failing.

The work itself lives in one module per concept, each taking the session ``Study`` opened:

- ``engine.context``: settings, FSRS configuration and study day; card and deck lookups;
- ``engine.queue``: today's queue, its limits (and study more), and the counts;
- ``engine.answers``: answering (with sibling burying and leeches) and taking an answer back;
- ``engine.undo``: the stack of undoable actions (answer, bury, suspend);
- ``engine.browse``: search, card details, review history;
- ``engine.parameters``: importing a review history and fitting FSRS parameters;
- ``engine.schedule_import``: schedules carried over from Obsidian's scheduling comments;
- ``store.sync`` and ``store.stats``: deck sync and statistics.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from sqlalchemy.orm import Session

from studyrnn.decks.model import DeckSet
from studyrnn.decks.sr_comments import SrSchedule
from studyrnn.engine import answers, browse, parameters, schedule_import, undo
from studyrnn.engine import queue as todays_queue
from studyrnn.engine.context import (
    Context,
    card_row,
    deck_id,
    hidden_files,
    load_context,
    memory,
    present,
    scope,
)
from studyrnn.engine.parameters import Optimization
from studyrnn.errors import UsageError
from studyrnn.schedule import fsrs_step
from studyrnn.schedule.day import StudyDay
from studyrnn.store import settings as settings_store
from studyrnn.store import stats as stats_store
from studyrnn.store import sync as sync_store
from studyrnn.store.anki_history import AttachReport
from studyrnn.store.engine import Sessions
from studyrnn.store.history_import import ImportReport
from studyrnn.store.migrate import open_store
from studyrnn.store.schedule_import import CarryReport
from studyrnn.values import (
    CardInfo,
    CardSearch,
    DeckCounts,
    HiddenFile,
    NewLimit,
    NextUp,
    Preview,
    QueueItem,
    Rating,
    ReviewRow,
    Settings,
    Source,
    Stats,
    SyncReport,
    Undone,
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
        self.deck_paths = deck_paths
        self._clock = clock or (lambda: datetime.now(UTC))
        self._tz = tz
        self._fuzz = fuzz
        self._load = loader or _load_decks
        self.engine = open_store(db_url)
        self.sessions = Sessions(self.engine)
        self._undo = undo.UndoStack()  # answers, burials and suspensions, newest last

    @property
    def deck_paths(self) -> list[Path]:
        """The configured decks: only their cards are studied and counted (none: every card)."""
        return list(self._deck_paths)

    @deck_paths.setter
    def deck_paths(self, paths: Sequence[Path]) -> None:
        # the scope follows the paths, so a deck copied mid-session is studied from its copy
        self._deck_paths = [Path(p) for p in paths]
        self._scope = scope(self._deck_paths)

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
        return load_context(session, self._tz, fuzz=self._fuzz, decks=self._scope)

    # --- decks -------------------------------------------------------------------------
    def sync(self, paths: Sequence[Path] | None = None) -> SyncReport:
        """Parse the decks (unchanged files are skipped) and reconcile them with the store.
        The report names the files of the store that are not among this study's decks: their
        cards are kept, and hidden until those decks are configured again."""
        targets = [Path(p) for p in paths] if paths else self.deck_paths
        with self.sessions.write() as session:
            report = sync_store.sync(session, targets, self.now(), self._load)
            return replace(report, hidden=hidden_files(session, self._scope))

    def hidden(self) -> tuple[HiddenFile, ...]:
        """The files of the store not among this study's decks (see ``sync``)."""
        with self.sessions.read() as session:
            return hidden_files(session, self._scope)

    def deck_counts(self) -> list[DeckCounts]:
        """Per deck and per section: ``counts`` of each deck (the new, learning and review
        cards studying it alone brings today), and each one's card total."""
        now = self.now()
        with self.sessions.read() as session:
            return todays_queue.deck_counts(session, self._context(session), now)

    def counts(self, deck: str | None = None, *, ahead_days: int = 0) -> DeckCounts:
        """Today's new, learning and review cards left in the deck (None: all decks, with
        ``deck`` ""): the numbers Home, the review header, `due` and `stats` show."""
        now = self.now()
        with self.sessions.read() as session:
            scope = deck_id(session, deck)
            context = self._context(session)
            return todays_queue.counts(session, context, now, scope, ahead_days=ahead_days)

    def total_counts(self) -> DeckCounts:
        """``counts`` for all decks together."""
        return self.counts(None)

    def new_limit(self, deck: str | None = None) -> NewLimit:
        """How the deck's new cards stand against today's limits, to explain a 0."""
        now = self.now()
        with self.sessions.read() as session:
            scope, context = deck_id(session, deck), self._context(session)
            left = todays_queue.allowance(session, context, now)
            today = todays_queue.counts(session, context, now, scope)
            return todays_queue.new_limit(left, today, scope)

    def study_more(self, deck: str | None, extra_new: int) -> None:
        """Anki's custom study "increase today's new card limit": ``extra_new`` more new cards
        today in the deck (None: all decks), beyond the shared daily limit."""
        if extra_new <= 0:
            raise UsageError("the extra new cards must be a positive number", "e.g. 10")
        now = self.now()
        with self.sessions.write() as session:
            scope, context = deck_id(session, deck), self._context(session)
            todays_queue.grant_extra_new(session, context, now, scope, extra_new)

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

    def next_up(self, deck: str | None = None, *, ahead_days: int = 0) -> NextUp:
        """The next card with today's counts, how early it comes if it is a learning card
        shown ahead, or when the next learning card comes when none may be shown yet.
        ``ahead_days``: a review-ahead session over the reviews due in that many days."""
        now = self.now()
        with self.sessions.read() as session:
            scope, context = deck_id(session, deck), self._context(session)
            return todays_queue.next_up(session, context, now, scope, ahead_days=ahead_days)

    def queue_size(self, deck: str | None = None, *, cram: bool = False) -> int:
        """How many cards are left today (``counts(deck).left``; for cram, the queue's
        length), for the progress bar."""
        if cram:
            return len(self.queue(deck, cram=True))
        return self.counts(deck).left

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
        self._undo.push(undo.Action(undo.ANSWER, card_id, review_id=result.id))
        return result

    def undo(self) -> Undone | None:
        """Take back the last answer, bury or suspend of this session, exactly (an answer's
        log row is deleted and the card's previous state restored); None when there is
        nothing to undo."""
        while (action := self._undo.pop()) is not None:
            with self.sessions.write() as session:
                row = undo.take_back(session, action)
                if row is not None:
                    return Undone(action.kind, todays_queue.queue_item(row))
        return None

    def can_undo(self) -> bool:
        return bool(self._undo)

    def suspend(self, card_id: int, suspended: bool = True) -> None:
        """Suspend (or unsuspend) the card; undoable."""
        with self.sessions.write() as session:
            row = card_row(session, card_id)
            before, row.suspended = row.suspended, suspended
        self._undo.push(undo.Action(undo.SUSPEND, card_id, suspended=before))

    def bury(self, card_id: int) -> None:
        """Hide the card until the next study day; undoable."""
        now = self.now()
        with self.sessions.write() as session:
            until = self._context(session).tomorrow_starts(now)
            row = card_row(session, card_id)
            before, row.buried_until = row.buried_until, until
        self._undo.push(undo.Action(undo.BURY, card_id, buried_until=before))

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
            context = self._context(session)
            cards = present(context.decks)  # the configured decks' cards, as `due` counts
            result = stats_store.compute(session, context.day, now, history=history, cards=cards)
            today = todays_queue.counts(session, context, now, None)
        # Today's part is today's queue, the same numbers as Home and `due`: the forecast's
        # first day counts the learning and review cards still to come today.
        forecast = result.forecast
        if forecast:
            forecast = ((forecast[0][0], today.learning + today.review), *forecast[1:])
        return dataclasses.replace(result, forecast=forecast, today=today)

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

    def carry_schedules(
        self, schedules: Mapping[str, SrSchedule], *, tz: tzinfo | None = None
    ) -> CarryReport:
        """Give synced cards (by key) the schedules Obsidian kept for them, in the study days
        of ``tz`` (None: this study's zone); see ``engine.schedule_import``."""
        with self.sessions.write() as session:
            context = self._context(session)
            day = StudyDay(context.day.cutoff_hour, tz if tz is not None else self._tz)
            return schedule_import.carry(session, context, schedules, day)
    def import_anki_history(
        self,
        histories: Mapping[str, tuple[Sequence[tuple[int, datetime, int]], int | None, bool]],
        created: int,
        *,
        tz: tzinfo | None = None,
    ) -> AttachReport:
        """Attach the histories of cards imported from Anki (synced first), replayed in the
        study days of ``tz`` (None: this study's zone); see ``engine.parameters``."""
        with self.sessions.write() as session:
            context = self._context(session)
            day = StudyDay(context.day.cutoff_hour, tz if tz is not None else self._tz)
            return parameters.import_anki_history(session, context, histories, created, day)

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
