"""The engine facade: the one object the CLI, the plain review and the app talk to.

It owns the store (an engine and a session factory) and the scheduler, and exposes the study
operations as plain method calls that take and return the frozen values of
``studyrnn.study_types``. Every method opens its own short session and commits before it
returns, so it is safe to call from Textual worker threads, one call at a time per thread.

INTERFACE CONTRACT (filled in by the engine work; the UI codes against these signatures).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from studyrnn.study_types import (
    CardInfo,
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


class Study:
    def __init__(
        self,
        db_url: str,
        deck_paths: Sequence[Path],
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        """Open (create, migrate) the store. ``clock`` returns aware UTC now; tests fix it."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    # --- decks -------------------------------------------------------------------------
    def sync(self, paths: Sequence[Path] | None = None) -> SyncReport:
        """Parse the decks (unchanged files are skipped) and reconcile them with the store."""
        raise NotImplementedError

    def deck_counts(self) -> list[DeckCounts]:
        """Per deck and per section: new, learning and review cards due today."""
        raise NotImplementedError

    # --- the queue ---------------------------------------------------------------------
    def next_card(self, deck: str | None = None, *, cram: bool = False) -> QueueItem | None:
        """The next card of today's queue (learning due, then reviews, new interleaved)."""
        raise NotImplementedError

    def queue_size(self, deck: str | None = None, *, cram: bool = False) -> int:
        """How many cards are left in today's queue, for the progress bar."""
        raise NotImplementedError

    def preview(self, card_id: int) -> Preview:
        """The interval each rating would give, exactly as ``answer`` would apply it."""
        raise NotImplementedError

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
        """Schedule the card, append the log row, commit. Committed before it returns."""
        raise NotImplementedError

    def undo(self) -> QueueItem | None:
        """Undo the last answer: restore the exact previous state, delete its log row."""
        raise NotImplementedError

    def suspend(self, card_id: int, suspended: bool = True) -> None:
        raise NotImplementedError

    def bury(self, card_id: int) -> None:
        """Hide the card until the next study day."""
        raise NotImplementedError

    # --- browse, history, stats, settings -------------------------------------------------
    def search(
        self, text: str = "", *, tag: str | None = None, deck: str | None = None, limit: int = 200
    ) -> list[CardInfo]:
        raise NotImplementedError

    def card_info(self, card_id: int) -> CardInfo:
        raise NotImplementedError

    def history(self, card_id: int) -> list[ReviewRow]:
        raise NotImplementedError

    def stats(self) -> Stats:
        raise NotImplementedError

    def settings(self) -> Settings:
        raise NotImplementedError

    def save_settings(self, settings: Settings) -> None:
        raise NotImplementedError
