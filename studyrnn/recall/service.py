"""The recall journal as one object: open the store, then create, autosave, mark, finish and
read sessions, each call one short transaction. The CLI's ``journal`` commands and the app's
recall screens use it; it imports neither textual nor the engine facade.

It opens its own engine with ``store.migrate.open_store`` (which creates or upgrades the
schema, recall tables included), so it needs only the database URL, not a running ``Study``.
Two engines on one SQLite file are fine: WAL plus ``BEGIN IMMEDIATE`` writes queue politely.

Marks become reviews through :func:`apply_marks`, which takes anything with the engine's
``answer`` signature (the ``Study`` facade), so this layer stays below ``engine/``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Protocol

from studyrnn.recall import store_ops
from studyrnn.recall.journal import MarkRecord, SessionRecord, Target
from studyrnn.recall.marks import Stage
from studyrnn.store.engine import Sessions
from studyrnn.store.migrate import open_store
from studyrnn.values import Rating, ReviewRow, Source


def utc_now() -> datetime:
    return datetime.now(UTC)


class RecallJournal:
    """Recall sessions in one store. Safe from worker threads: every call has its own session."""

    def __init__(self, db_url: str, *, clock: Callable[[], datetime] | None = None) -> None:
        self._engine = open_store(db_url)
        self._sessions = Sessions(self._engine)
        self.clock = clock or utc_now

    def close(self) -> None:
        self._engine.dispose()

    # --- writing ----------------------------------------------------------------------
    def start(self, goal: str, targets: Sequence[Target]) -> SessionRecord:
        with self._sessions.write() as s:
            session_id = store_ops.create(s, goal, targets, self.clock())
        return self.get(session_id)

    def autosave(self, session_id: int, text: str, recall_ms: int) -> datetime:
        """Save the recall text; returns when it was saved, for the "saved 12:03:04" line."""
        now = self.clock()
        with self._sessions.write() as s:
            store_ops.save_text(s, session_id, text, recall_ms, now)
        return now

    def update(
        self,
        session_id: int,
        *,
        goal: str | None = None,
        targets: Sequence[Target] | None = None,
        stage: Stage | None = None,
        check_ms: int | None = None,
        debrief: str | None = None,
    ) -> None:
        with self._sessions.write() as s:
            store_ops.update(
                s,
                session_id,
                self.clock(),
                goal=goal,
                targets=targets,
                stage=stage,
                check_ms=check_ms,
                debrief=debrief,
            )

    def put_mark(self, session_id: int, mark: MarkRecord) -> None:
        with self._sessions.write() as s:
            store_ops.put_mark(s, session_id, mark, self.clock())

    def remove_mark(self, session_id: int, card_key: str) -> None:
        with self._sessions.write() as s:
            store_ops.remove_mark(s, session_id, card_key)

    def link_review(self, session_id: int, card_key: str, review_id: int) -> None:
        with self._sessions.write() as s:
            store_ops.link_review(s, session_id, card_key, review_id)

    def abandon(self, session_id: int) -> None:
        """Close an interrupted session without finishing it; it stays in the journal."""
        self.update(session_id, stage=Stage.ABANDONED)

    # --- reading ----------------------------------------------------------------------
    def get(self, session_id: int) -> SessionRecord:
        with self._sessions.read() as s:
            return store_ops.load(s, session_id)

    def latest_open(self) -> SessionRecord | None:
        with self._sessions.read() as s:
            return store_ops.latest_open(s)

    def all(self) -> list[SessionRecord]:
        with self._sessions.read() as s:
            return store_ops.all_sessions(s)


class Answerer(Protocol):
    """The part of ``studyrnn.engine.study.Study`` that records a review."""

    def answer(
        self,
        card_id: int,
        rating: Rating,
        *,
        duration_ms: int,
        source: Source = ...,
        verdict: str | None = ...,
        seed: int | None = ...,
    ) -> ReviewRow: ...


def apply_marks(journal: RecallJournal, engine: Answerer, session_id: int) -> list[ReviewRow]:
    """Record each mark of a session as a review with source "recall" (✓ Good, 🟡 Hard,
    🔴 Again; skip records nothing). A mark that already has its review is left alone, so a
    debrief interrupted half-way can simply be applied again. Returns the new review rows.

    The review is scheduled by the same rules as any other, and the engine buries a card
    answered with source "recall" until the next study day (see ``engine.answers``): the
    learner has just read its answer while checking, so a short learning step (10 minutes
    after Good on a new card) must not ask it again today."""
    rows: list[ReviewRow] = []
    for mark in journal.get(session_id).marks:
        rating = mark.mark.rating
        if rating is None or mark.card_id is None or mark.review_id is not None:
            continue
        row = engine.answer(
            mark.card_id, rating, duration_ms=mark.duration_ms, source=Source.RECALL
        )
        journal.link_review(session_id, mark.card_key, row.id)
        rows.append(row)
    return rows


def finish(
    journal: RecallJournal, engine: Answerer, session_id: int, debrief: str, check_ms: int
) -> list[ReviewRow]:
    """The end of the debrief: save the debrief line, turn marks into reviews, close it."""
    journal.update(session_id, debrief=debrief, check_ms=check_ms, stage=Stage.DEBRIEF)
    rows = apply_marks(journal, engine, session_id)
    journal.update(session_id, stage=Stage.DONE)
    return rows
