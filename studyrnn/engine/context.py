"""What every study operation needs before it starts: the learner's settings, the FSRS
configuration they imply, and the study day; and the lookups every operation shares (a card or
a deck by id or name, with a clear error when it is not there, and "may this card be shown").

Part of the engine facade (``studyrnn.engine.study``): it combines the store with the scheduling
layer, and, like the rest of the facade's modules, takes the caller's ``Session`` and never
opens or commits one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from sqlalchemy import and_, false, func, or_, select, true
from sqlalchemy.orm import Session

from studyrnn.errors import UsageError
from studyrnn.schedule.day import StudyDay
from studyrnn.schedule.fsrs_step import Memory, SchedulerConfig
from studyrnn.store import settings as settings_store
from studyrnn.store.models import CardRow, Deck, DeckFile
from studyrnn.values import HiddenFile, Settings


@dataclass(frozen=True, slots=True)
class Context:
    """The settings in force for one operation, read once at its start."""

    settings: Settings
    config: SchedulerConfig
    day: StudyDay
    # The configured deck files and folders, resolved, when the store has cards outside them;
    # () stands for every deck in the store (what a command that names no decks, such as
    # `studyrnn stats`, works on, and what a store holding only the configured decks has).
    decks: tuple[str, ...] = ()

    def today(self, now: datetime) -> date:
        return self.day.day_of(now)

    def tomorrow_starts(self, now: datetime) -> datetime:
        """When the next study day begins: how long a bury lasts."""
        return self.day.end(self.day.day_of(now))


def load_context(
    session: Session, tz: tzinfo | None, *, fuzz: bool = True, decks: Sequence[str] = ()
) -> Context:
    """Settings, the FSRS parameters in use (the optimizer's, else FSRS-6's defaults) and the
    study day in ``tz`` (None: the machine's time zone). ``fuzz=False`` only for comparing
    with reference schedules recorded without fuzz. ``decks``: the configured deck paths
    (``scope``), whose cards alone are studied and counted (none: every card of the store)."""
    settings = settings_store.load(session)
    fitted = settings_store.current_parameters(session)
    day = StudyDay(settings.day_cutoff_hour, tz)
    config = SchedulerConfig(
        parameters=tuple(json.loads(fitted.parameters)) if fitted is not None else None,
        desired_retention=settings.desired_retention,
        learning_steps=settings.learning_steps,
        relearning_steps=settings.relearning_steps,
        day=day,
        fuzz=fuzz,
    )
    # Narrow the queries only when the store holds synced files outside ``decks`` (one look
    # at the small files table): otherwise every card is in them, and the path test, which
    # the queue's indexes do not cover, would only slow every queue build.
    outside = decks and session.scalar(
        select(DeckFile.path).where(~configured(decks, DeckFile.path)).limit(1)
    )
    return Context(settings, config, day, tuple(decks) if outside else ())


def scope(paths: Sequence[Path]) -> tuple[str, ...]:
    """Deck paths as the store keeps card files: resolved, so one folder given two ways is
    one folder."""
    return tuple(str(Path(p).resolve()) for p in paths)


def card_row(session: Session, card_id: int) -> CardRow:
    row = session.get(CardRow, card_id)
    if row is None:
        raise UsageError(f"no card with id {card_id}", "ids are shown by browse and history")
    return row


def deck_id(session: Session, deck: str | None) -> int | None:
    """The id of the deck named ``deck``; None stands for every deck."""
    if deck is None:
        return None
    found = session.scalar(select(Deck.id).where(Deck.name == deck))
    if found is None:
        raise UsageError(f"no deck named {deck!r}", "run `studyrnn due` to see the decks")
    return found


def showable(now: datetime, decks: Sequence[str] = ()) -> Any:
    """The SQL condition for a card that may be shown at ``now``: still in a deck, in one of
    the configured ``decks``, not suspended, and not buried (or its bury is over)."""
    return and_(
        present(decks),
        CardRow.suspended == false(),
        or_(CardRow.buried_until.is_(None), CardRow.buried_until <= now),
    )


def present(decks: Sequence[str] = ()) -> Any:
    """The SQL condition for a card that is in the decks now: not retired, and its file is
    one of the configured ``decks`` (resolved paths) or lies under one. Cards of decks that
    are not configured (``--decks`` names another folder) stay in the store, not shown."""
    return and_(CardRow.retired == false(), configured(decks))


def configured(decks: Sequence[str], column: Any = CardRow.path) -> Any:
    """Whether the file in ``column`` (a card's, by default) is one of ``decks`` or under one
    of them; true for ``()``. The prefix is compared exactly (SQLite's LIKE ignores case, a
    path does not)."""
    if not decks:
        return true()
    conditions = []
    for path in decks:
        folder = path.rstrip(os.sep) + os.sep
        conditions += [column == path, func.substr(column, 1, len(folder)) == folder]
    return or_(*conditions)


def hidden_files(session: Session, decks: Sequence[str]) -> tuple[HiddenFile, ...]:
    """The files whose cards are in the store (not retired) but not among ``decks``, with how
    many cards each has; () when ``decks`` is () (every deck is configured)."""
    if not decks:
        return ()
    # The synced files are few, the cards many: find the files first, then count their cards
    # through the index on the card's path.
    files = list(session.scalars(select(DeckFile.path).where(~configured(decks, DeckFile.path))))
    if not files:
        return ()
    rows = session.execute(
        select(Deck.name, CardRow.path, func.count())
        .join(Deck, Deck.id == CardRow.deck_id)
        .where(CardRow.path.in_(files), CardRow.retired == false())
        .group_by(Deck.name, CardRow.path)
        .order_by(CardRow.path, Deck.name)
    )
    return tuple(HiddenFile(name, path, n) for name, path, n in rows)


def memory(row: CardRow) -> Memory:
    """The card's schedule as the FSRS step takes it."""
    return Memory(row.state, row.step, row.stability, row.difficulty, row.due, row.last_review)
